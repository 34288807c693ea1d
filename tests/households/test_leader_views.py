"""Township leaders: the household panel's leader in contact, the village trip page and its figures,
the export, scope (404) and roles (403), Chinese refusals with nothing saved, the admin's post check."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import Household, VillageTrip
from households.services.leaders import household_link_leader, village_trip_record
from households.views_leaders import leader_panel
from povertycase.accounts.forms import ProfileAdminForm
from povertycase.core.models import ExportLog
from povertycase.errors import DomainError
from tests.factories import HouseholdFactory, UserFactory

TRIPS = reverse("households:leader_trips")
EXPORT = reverse("households:leader_export")


@pytest.fixture
def leaders(county_layout):
    t1, t2 = county_layout["townships"]
    return {
        "secretary": UserFactory(
            username="sec1", role="township", township=t1, role__leader_post="secretary", last_name="王"
        ),
        "mayor": UserFactory(username="may1", role="township", township=t1, role__leader_post="mayor"),
        "other": UserFactory(username="sec2", role="township", township=t2, role__leader_post="secretary"),
    }


def _link_url(household):
    return reverse("households:household_leader", args=[household.pk])


def _trip(leader, village, *, days_ago=0, purpose="走访贫困户"):
    return {
        "leader": leader.pk,
        "village": village.pk,
        "date": (timezone.localdate() - datetime.timedelta(days=days_ago)).isoformat(),
        "purpose": purpose,
    }


def _errors(response, field):
    return response.context["form"].errors.get(field, [])


# ------------------------------------------------------------------ household panel


def test_panel_shows_the_leader_and_a_form_to_township_and_county_editors(
    client, users, leaders, county_layout
):
    household = county_layout["households"]["v11"]
    Household.objects.filter(pk=household.pk).update(contact_leader=leaders["mayor"])
    for role in ("township", "command"):
        client.force_login(users[role])
        response = client.get(household.get_absolute_url())
        form = response.context["leader_form"]
        assert form is not None
        assert set(form.fields["leader"].queryset) == {leaders["secretary"], leaders["mayor"]}  # own township
        assert response.context["contact_leader"] == leaders["mayor"]
        assert "乡镇长" in response.content.decode()
    for role in ("village", "helper"):
        client.force_login(users[role])
        response = client.get(household.get_absolute_url())
        assert (
            response.context["leader_form"] is None and response.context["contact_leader"] == leaders["mayor"]
        )
        assert client.post(_link_url(household), {"leader": leaders["secretary"].pk}).status_code == 403


def test_panel_adds_at_most_two_queries(users, leaders, county_layout, django_assert_max_num_queries):
    household = Household.objects.select_related("village__township").get(
        pk=county_layout["households"]["v11"].pk
    )
    household.contact_leader_id = leaders["secretary"].pk
    user = users["township"]
    user.profile  # noqa: B018 - loaded with the request's user before the panel runs
    with django_assert_max_num_queries(2):
        context = leader_panel(household, user)
        list(context["leader_form"].fields["leader"].queryset)
        assert context["contact_leader"].profile.leader_post == "secretary"


def test_linking_a_leader_keeps_the_history(client, users, leaders, county_layout):
    household = county_layout["households"]["v11"]
    client.force_login(users["township"])
    response = client.post(_link_url(household), {"leader": leaders["secretary"].pk, "reason": "分工调整"})
    assert response.status_code == 302 and response.url.endswith("#leader")
    household.refresh_from_db()
    assert household.contact_leader == leaders["secretary"]
    latest = household.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == users["township"] and latest.history_change_reason == "分工调整"
    client.post(_link_url(household), {"leader": ""})
    household.refresh_from_db()
    assert household.contact_leader is None


def test_only_leaders_of_the_households_township_can_be_chosen(client, users, leaders, county_layout):
    household = county_layout["households"]["v11"]
    client.force_login(users["command"])
    response = client.post(_link_url(household), {"leader": leaders["other"].pk})
    assert response.status_code == 200
    assert "只能选择该户所在乡镇的党委书记或乡镇长" in _errors(response, "leader")[0]
    household.refresh_from_db()
    assert household.contact_leader is None
    plain = UserFactory(role="township", township=county_layout["townships"][0])  # no leading post
    with pytest.raises(DomainError, match="只能选择该户所在乡镇的党委书记或乡镇长"):
        household_link_leader(household=household, leader=plain, user=users["command"])
    household_link_leader(household=household, leader=leaders["mayor"], user=users["command"])
    with pytest.raises(DomainError, match="已是此户的联系乡镇领导"):
        household_link_leader(household=household, leader=leaders["mayor"], user=users["command"])


def test_household_outside_scope_is_404_and_service_refuses(client, users, leaders, county_layout):
    household = county_layout["households"]["v21"]
    client.force_login(users["township"])
    assert client.get(household.get_absolute_url()).status_code == 404
    assert client.post(_link_url(household), {"leader": leaders["other"].pk}).status_code == 404
    with pytest.raises(DomainError, match="无权"):
        household_link_leader(household=household, leader=leaders["other"], user=users["township"])
    with pytest.raises(DomainError, match="无权"):
        household_link_leader(household=household, leader=leaders["other"], user=users["inspector"])


# ------------------------------------------------------------------ recording village trips


def test_leader_records_own_trip_and_sees_it_in_the_week_summary(client, leaders, county_layout):
    secretary, village = leaders["secretary"], county_layout["villages"]["v12"]
    client.force_login(secretary)
    assert client.get(TRIPS).context["form"].fields["leader"].initial == secretary.pk
    response = client.post(TRIPS, _trip(secretary, village))
    assert response.status_code == 302
    trip = VillageTrip.objects.get()
    assert (trip.leader, trip.created_by, trip.village) == (secretary, secretary, village)
    assert trip.history.get().history_user == secretary
    page = client.get(TRIPS)
    assert page.context["weeks"][0].current and page.context["weeks"][0].trips == 1
    assert [t.pk for t in page.context["page_obj"]] == [trip.pk]
    assert "走访贫困户" in page.content.decode()


def test_township_cadre_records_for_a_leader_of_its_township(client, users, leaders, county_layout):
    client.force_login(users["township"])
    form = client.get(TRIPS).context["form"]
    assert set(form.fields["leader"].queryset) == {leaders["secretary"], leaders["mayor"]}
    client.post(TRIPS, _trip(leaders["mayor"], county_layout["villages"]["v11"], days_ago=2))
    trip = VillageTrip.objects.get()
    assert trip.leader == leaders["mayor"] and trip.created_by == users["township"]
    response = client.post(TRIPS, _trip(leaders["other"], county_layout["villages"]["v11"]))
    assert "只能为本乡镇领导登记下村记录" in _errors(response, "leader")[0]
    assert VillageTrip.objects.count() == 1


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"days_ago": -1}, "date", "下村日期不能晚于今天"),
        ({"days_ago": 31}, "date", "下村记录须在下村后 30 天内录入"),
        ({"purpose": "   "}, "purpose", "请填写下村事由及工作内容"),
        ({"purpose": "很" * 301}, "purpose", "300"),
    ],
)
def test_bad_trip_is_refused_field_by_field_with_nothing_saved(
    client, leaders, county_layout, change, field, message
):
    client.force_login(leaders["secretary"])
    response = client.post(TRIPS, _trip(leaders["secretary"], county_layout["villages"]["v11"], **change))
    assert response.status_code == 200
    assert any(message in text for text in _errors(response, field)), response.context["form"].errors
    assert not VillageTrip.objects.exists()


def test_trip_date_window_edges_are_accepted(client, leaders, county_layout):
    client.force_login(leaders["secretary"])
    for days_ago in (0, 30):
        response = client.post(
            TRIPS, _trip(leaders["secretary"], county_layout["villages"]["v11"], days_ago=days_ago)
        )
        assert response.status_code == 302
    assert VillageTrip.objects.count() == 2


def test_village_of_another_township_is_refused(client, leaders, county_layout):
    client.force_login(leaders["secretary"])
    response = client.post(TRIPS, _trip(leaders["secretary"], county_layout["villages"]["v21"]))
    assert "请选择该领导所在乡镇的行政村" in _errors(response, "village")[0]
    with pytest.raises(DomainError) as refused:
        village_trip_record(
            leader=leaders["secretary"],
            village=county_layout["villages"]["v21"],
            date=timezone.localdate(),
            purpose="督导",
            user=leaders["secretary"],
        )
    assert "请选择该领导所在乡镇的行政村" in refused.value.errors["village"][0]
    assert not VillageTrip.objects.exists()


@pytest.mark.parametrize("role", ["village", "helper", "department", "inspector"])
def test_other_roles_get_403(client, users, leaders, county_layout, role):
    client.force_login(users[role])
    assert client.get(TRIPS).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert client.get(reverse("households:leader_detail", args=[leaders["secretary"].pk])).status_code == 403
    assert (
        client.post(TRIPS, _trip(leaders["secretary"], county_layout["villages"]["v11"])).status_code == 403
    )


def test_command_office_sees_but_may_not_record(client, users, leaders, county_layout):
    client.force_login(users["command"])
    response = client.get(TRIPS)
    assert response.status_code == 200 and response.context["form"] is None
    assert (
        client.post(TRIPS, _trip(leaders["secretary"], county_layout["villages"]["v11"])).status_code == 403
    )


# ------------------------------------------------------------------ figures, detail, export


def test_figures_and_marks_follow_the_vs005_thresholds(client, users, leaders, county_layout):
    t1_households = [county_layout["households"]["v11"], county_layout["households"]["v12"]]
    t1_households.append(HouseholdFactory(village=county_layout["villages"]["v11"]))
    Household.objects.filter(pk__in=[h.pk for h in t1_households]).update(contact_leader=leaders["secretary"])
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    village = county_layout["villages"]["v11"]
    for day in (monday - datetime.timedelta(days=7), monday - datetime.timedelta(days=1), today):
        VillageTrip.objects.create(
            leader=leaders["secretary"],
            village=village,
            date=day,
            purpose="督导",
            created_by=leaders["secretary"],
        )
    client.force_login(users["command"])
    rows = {leader.username: leader for leader in client.get(TRIPS).context["leaders"]}
    assert set(rows) == {"sec1", "may1", "sec2"}
    secretary, mayor = rows["sec1"], rows["may1"]
    assert (secretary.linked, secretary.last_week, secretary.this_week) == (3, 2, 1)
    assert not secretary.few_households and not secretary.few_trips
    assert mayor.few_households and mayor.few_trips
    from households.models import RuleSetting

    RuleSetting.objects.create(rule_id="VS-005", params={"min_households": 4, "min_trips": 2})
    rows = {leader.username: leader for leader in client.get(TRIPS).context["leaders"]}
    assert rows["sec1"].few_households and not rows["sec1"].few_trips
    filtered = client.get(TRIPS, {"township": county_layout["townships"][1].pk}).context["leaders"]
    assert [leader.username for leader in filtered] == ["sec2"]


def test_township_sees_only_its_leaders_and_detail_outside_is_404(client, users, leaders):
    client.force_login(users["township"])
    response = client.get(TRIPS)
    assert {leader.username for leader in response.context["leaders"]} == {"sec1", "may1"}
    assert response.context["show_filter"] is False
    assert client.get(reverse("households:leader_detail", args=[leaders["secretary"].pk])).status_code == 200
    assert client.get(reverse("households:leader_detail", args=[leaders["other"].pk])).status_code == 404
    client.force_login(users["command"])
    assert client.get(reverse("households:leader_detail", args=[leaders["other"].pk])).status_code == 200


def test_page_queries_do_not_grow_with_leaders(
    client, users, leaders, county_layout, django_assert_max_num_queries
):
    client.force_login(users["command"])
    client.get(TRIPS)
    with django_assert_max_num_queries(14) as few:
        client.get(TRIPS)
    for n in range(6):
        UserFactory(role="township", township=county_layout["townships"][n % 2], role__leader_post="")
        VillageTrip.objects.create(
            leader=leaders["mayor"],
            village=county_layout["villages"]["v11"],
            date=timezone.localdate(),
            purpose="督导",
            created_by=leaders["mayor"],
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(TRIPS)


def test_export_is_logged_and_follows_the_filter(client, users, leaders, county_layout):
    client.force_login(users["command"])
    response = client.get(EXPORT, {"township": county_layout["townships"][0].pk})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(values) if row[0] == "乡镇")
    assert values[header][:4] == ["乡镇", "领导职务", "姓名", "联系户数"]
    body = values[header + 1 :]
    assert [row[1] for row in body] == ["乡镇党委书记", "乡镇长"]
    assert body[0][3] == 0 and "联系户少于 3 户" in body[0][6]
    log = ExportLog.objects.get()
    assert (log.user, log.kind, log.row_count) == (users["command"], "leaders", 2)
    assert log.filters == {"township": str(county_layout["townships"][0].pk)}


# ------------------------------------------------------------------ admin: who holds a post


def _profile_form(user, **data):
    values = {"role": "township", "township": user.profile.township_id, "phone": "", "leader_post": ""}
    values.update(data)
    return ProfileAdminForm(values, instance=user.profile)


def test_admin_allows_one_secretary_and_one_head_per_township(leaders, users, county_layout):
    cadre = users["township"]
    form = _profile_form(cadre, leader_post="secretary")
    assert not form.is_valid()
    assert "已有乡镇党委书记" in form.errors["leader_post"][0] and "王" in form.errors["leader_post"][0]
    assert _profile_form(leaders["secretary"], leader_post="secretary").is_valid()  # the holder itself
    leaders["secretary"].is_active = False
    leaders["secretary"].save()
    assert _profile_form(cadre, leader_post="secretary").is_valid()  # a former holder does not block
    form = _profile_form(users["command"], role="command", township="", leader_post="mayor")
    assert not form.is_valid() and "只有乡镇账号才能担任领导职务" in form.errors["leader_post"][0]


def test_admin_user_list_shows_the_post(client, leaders):
    admin = UserFactory(username="root", role="command", is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "（乡镇党委书记）" in page and "（乡镇长）" in page


@pytest.mark.parametrize(
    "role, shown", [("command", True), ("township", True), ("village", False), ("helper", False)]
)
def test_nav_links_the_trips_page_for_township_and_county(client, users, role, shown):
    client.force_login(users[role])
    page = client.get(reverse("home")).content.decode()
    assert (reverse("households:leader_trips") in page) is shown


def test_townships_without_a_leader_account_are_named(client, users, leaders, county_layout):
    t1, t2 = county_layout["townships"]
    client.force_login(users["command"])
    page = client.get(TRIPS).content.decode()
    assert 'data-testid="missing-leaders"' in page
    assert f"{t2.name}（乡镇长）" in page and f"{t1.name}（" not in page
    client.force_login(users["township"])  # the first township has both accounts
    assert 'data-testid="missing-leaders"' not in client.get(TRIPS).content.decode()
    leaders["mayor"].is_active = False
    leaders["mayor"].save()
    assert f"{t1.name}（乡镇长）" in client.get(TRIPS).content.decode()
