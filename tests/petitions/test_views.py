"""Petition pages: scoped 404, masking in list/export, constant queries, register and act."""

import pytest
from django.urls import reverse
from django.utils import timezone

from petitions import services
from petitions.models import Petition, State
from povertycase.core.models import ExportLog
from povertycase.excel import read_sheet
from tests.factories import HouseholdFactory

from .conftest import petition_data

pytestmark = pytest.mark.django_db


def test_detail_404_outside_scope(client, petition, other_dept_user):
    client.force_login(other_dept_user)
    assert client.get(reverse("petitions:detail", args=[petition.pk])).status_code == 404


def test_list_masks_for_village_and_shows_for_township(client, petition, users):
    client.force_login(users["village"])
    page = client.get(reverse("petitions:list")).content.decode()
    assert petition.number in page and "罗**" in page and "罗大明" not in page
    client.force_login(users["township"])
    page = client.get(reverse("petitions:list")).content.decode()
    assert "罗大明" in page and "13812345678" in page


def test_list_query_count_is_constant(client, users, county_layout, django_assert_max_num_queries):
    for _ in range(12):
        household = HouseholdFactory(village=county_layout["villages"]["v11"])
        services.petition_register(user=users["township"], data=petition_data(), households=[household])
    client.force_login(users["village"])
    with django_assert_max_num_queries(16):
        response = client.get(reverse("petitions:list"))
    assert response.status_code == 200


def test_export_masks_for_other_roles_and_logs(client, petition, users):
    client.force_login(users["inspector"])
    response = client.get(reverse("petitions:export"))
    assert response.status_code == 200
    rows = list(read_sheet(response.content).rows)
    text = repr(rows)
    assert petition.number in text and "罗**" in text and "罗大明" not in text and "138****5678" in text
    assert ExportLog.objects.get(kind="petition_ledger").row_count == 1


def test_register_page_finds_households_by_name_id_or_number(client, users, county_layout):
    household = county_layout["households"]["v11"]
    client.force_login(users["township"])
    assert client.get(reverse("petitions:create") + f"?household={household.pk}").status_code == 200
    category = petition_data()["category"]
    response = client.post(
        reverse("petitions:create"),
        {
            "channel": "02",
            "date": timezone.localdate().isoformat(),
            "complainant_name": "张三",
            "households": household.number,
            "category": category.pk,
            "content": "低保未落实",
        },
    )
    petition = Petition.objects.get()
    assert response.status_code == 302 and list(petition.households.all()) == [household]


def test_register_page_refuses_household_of_another_township(client, users, county_layout):
    client.force_login(users["township"])
    response = client.post(
        reverse("petitions:create"),
        {
            "channel": "02",
            "date": timezone.localdate().isoformat(),
            "complainant_name": "张三",
            "households": county_layout["households"]["v21"].number,
            "category": petition_data()["category"].pk,
            "content": "x",
        },
    )
    assert response.status_code == 200 and not Petition.objects.exists()


def test_actions_through_the_page(client, petition, users, county_layout):
    client.force_login(users["township"])
    url = reverse("petitions:action", args=[petition.pk, "transfer"])
    client.post(url, {"unit": f"d:{county_layout['department'].pk}"})
    petition.refresh_from_db()
    assert petition.handling_department == county_layout["department"]
    client.force_login(users["department"])
    client.post(
        reverse("petitions:action", args=[petition.pk, "reply"]),
        {"date": timezone.localdate(), "reply": "已办"},
    )
    petition.refresh_from_db()
    assert petition.state == State.REPLIED


def test_household_page_lists_its_petitions(client, petition, users, county_layout):
    client.force_login(users["helper"])
    page = client.get(county_layout["households"]["v11"].get_absolute_url()).content.decode()
    assert 'data-testid="petitions-panel"' in page and petition.number in page and "罗**" in page
