"""Every role against households in and out of its scope: list, detail, edit, export, home."""

import io

import openpyxl
import pytest
from django.urls import reverse

from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

ALL = {"v11", "v12", "v21", "v22"}
VISIBLE = {
    "command": ALL,
    "township": {"v11", "v12"},
    "village": {"v11"},
    "helper": {"v11"},
    "department": ALL,
    "inspector": ALL,
}
EDITORS = {"command", "township", "village"}
ROLES = sorted(VISIBLE)


@pytest.fixture
def households(county_layout):
    for household in county_layout["households"].values():
        MemberFactory(household=household, name=f"成员{household.village.name}")
    return county_layout["households"]


def as_role(client, users, role):
    client.force_login(users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_only_households_in_scope(client, users, households, role):
    response = as_role(client, users, role).get(reverse("households:household_list"))
    shown = {h.number for h in response.context["households"]}
    assert shown == {households[key].number for key in VISIBLE[role]}
    assert response.context["paginator"].count == len(VISIBLE[role])


@pytest.mark.parametrize("role", ROLES)
def test_filtering_by_a_hidden_village_shows_nothing_of_it(client, users, households, county_layout, role):
    hidden = county_layout["villages"]["v22"]
    response = as_role(client, users, role).get(reverse("households:household_list"), {"village": hidden.pk})
    shown = {h.number for h in response.context["households"]}
    expected = {households["v22"].number} if "v22" in VISIBLE[role] else set()
    assert shown == expected


@pytest.mark.parametrize("role", ROLES)
def test_detail_is_404_out_of_scope(client, users, households, role):
    as_role(client, users, role)
    for key, household in households.items():
        status = client.get(reverse("households:household_detail", args=[household.pk])).status_code
        assert status == (200 if key in VISIBLE[role] else 404), (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_edit_is_200_for_editors_in_scope_403_for_readers_404_out_of_scope(client, users, households, role):
    as_role(client, users, role)
    for key, household in households.items():
        url = reverse("households:household_update", args=[household.pk])
        if key not in VISIBLE[role]:
            expected = 404
        else:
            expected = 200 if role in EDITORS else 403
        assert client.get(url).status_code == expected, (role, key)
        assert client.post(url, {}).status_code == (expected if expected != 200 else 200), (role, key)
    create = client.get(reverse("households:household_create")).status_code
    assert create == (200 if role in EDITORS else 403)


@pytest.mark.parametrize("role", ROLES)
def test_export_holds_only_households_in_scope(client, users, households, role):
    response = as_role(client, users, role).get(reverse("households:household_export"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = {str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None}
    for key, household in households.items():
        assert (household.number in cells) == (key in VISIBLE[role]), (role, key)


@pytest.mark.parametrize("role", ROLES)
def test_home_counts_only_the_scope(client, users, households, role):
    response = as_role(client, users, role).get(reverse("home"))
    summary = response.context["summary"]
    assert summary["households"] == len(VISIBLE[role])
    assert summary["members"] == len(VISIBLE[role])
    assert summary["villages"] == len(VISIBLE[role])
    assert f'data-testid="households-total">{len(VISIBLE[role])}<' in response.content.decode()


def test_editor_cannot_move_a_household_into_a_hidden_village(client, users, households, county_layout):
    household = households["v11"]
    member = household.members.get()
    client.force_login(users["village"])
    data = {
        "number": household.number,
        "village": county_layout["villages"]["v12"].pk,
        "household_type": "1",
        "attribute": "1",
        "exit_status": "0",
        "members-TOTAL_FORMS": 1,
        "members-INITIAL_FORMS": 1,
        "members-0-id": member.pk,
        "members-0-name": member.name,
        "members-0-relation": "01",
        "members-0-id_type": "1",
        "members-0-id_number": member.id_number,
        "members-0-status": "1",
    }
    response = client.post(reverse("households:household_update", args=[household.pk]), data)
    assert response.status_code == 200
    household.refresh_from_db()
    assert household.village == county_layout["villages"]["v11"]


def test_admin_lists_only_the_scope(client, users, households):
    cadre = users["township"]
    cadre.is_staff = True
    cadre.save()
    from django.contrib.auth.models import Permission

    cadre.user_permissions.add(Permission.objects.get(codename="view_household"))
    client.force_login(cadre)
    page = client.get(reverse("admin:households_household_changelist")).content.decode()
    assert households["v11"].number in page and households["v21"].number not in page
    hidden = reverse("admin:households_household_change", args=[households["v21"].pk])
    assert client.get(hidden).status_code in {302, 404}


def test_admin_visits_are_scoped_and_read_only(client, users, households):
    import datetime

    from django.contrib.auth.models import Permission

    from households.models import Visit

    for key in ("v11", "v21"):
        Visit.objects.create(
            household=households[key],
            helper=users["helper"],
            date=datetime.date(2026, 11, 2),
            kind="1",
            done="入户核实收入",
            created_by=users["command"],
        )
    cadre = users["township"]
    cadre.is_staff = True
    cadre.save()
    cadre.user_permissions.add(*Permission.objects.filter(codename__in=["view_visit", "change_visit"]))
    client.force_login(cadre)
    page = client.get(reverse("admin:households_visit_changelist")).content.decode()
    assert households["v11"].number in page and households["v21"].number not in page
    visit = Visit.objects.get(household=households["v11"])
    client.post(reverse("admin:households_visit_change", args=[visit.pk]), {"done": "改写"})
    visit.refresh_from_db()
    assert visit.done == "入户核实收入"
