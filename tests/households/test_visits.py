import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from households.models import Visit
from households.services.visits import VisitInvalid, visit_record
from households.visit_stats import weekly_households, weekly_stats
from povertycase.core.models import Parameter
from povertycase.errors import DomainError
from tests.factories import DepartmentFactory, HouseholdFactory, UserFactory

pytestmark = pytest.mark.django_db
QUERY_BUDGET = 10  # session, user, profile, notifications, parameter, the list: same for 3 or 30
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def data(**overrides):
    return {"date": timezone.localdate(), "kind": "1", "done": "了解收入情况", **overrides}


def test_helper_records_a_visit(users, county_layout):
    household = county_layout["households"]["v11"]
    visit = visit_record(household=household, user=users["helper"], data=data(confirmed_by="罗建国"))
    assert visit.helper == users["helper"] and visit.created_by == users["helper"]
    assert visit.history.count() == 1


def test_future_date_is_refused(users, county_layout):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(VisitInvalid) as refused:
        visit_record(
            household=county_layout["households"]["v11"], user=users["helper"], data=data(date=tomorrow)
        )
    assert refused.value.errors["date"] == ["走访日期不能晚于今天。"]
    assert not Visit.objects.exists()


def test_date_before_registration_is_refused(users, county_layout):
    household = county_layout["households"]["v11"]  # identified 2016-03
    with pytest.raises(VisitInvalid) as refused:
        visit_record(household=household, user=users["helper"], data=data(date=datetime.date(2016, 2, 29)))
    assert "2016-03-01" in refused.value.errors["date"][0]


@pytest.mark.parametrize("role", ["department", "inspector"])
def test_readers_may_not_record(users, county_layout, role):
    with pytest.raises(DomainError):
        visit_record(household=county_layout["households"]["v11"], user=users[role], data=data())


def test_another_helper_may_not_record(users, county_layout):
    other = UserFactory(role="helper")
    with pytest.raises(DomainError):
        visit_record(household=county_layout["households"]["v11"], user=other, data=data())


def test_township_cadre_records_in_scope_only(users, county_layout):
    visit = visit_record(household=county_layout["households"]["v12"], user=users["township"], data=data())
    assert visit.helper == users["township"]  # no helper yet: the cadre visited
    with pytest.raises(DomainError):
        visit_record(household=county_layout["households"]["v21"], user=users["township"], data=data())


def test_attachment_type_and_content_checked(users, county_layout):
    household = county_layout["households"]["v11"]
    bad = SimpleUploadedFile("sign.exe", b"MZ..")
    with pytest.raises(VisitInvalid) as refused:
        visit_record(household=household, user=users["helper"], data=data(attachment=bad))
    assert refused.value.errors["attachment"]
    fake = SimpleUploadedFile("sign.png", b"not a png")
    with pytest.raises(VisitInvalid):
        visit_record(household=household, user=users["helper"], data=data(attachment=fake))


def test_form_shows_message_next_to_field(client, users, county_layout):
    client.force_login(users["helper"])
    household = county_layout["households"]["v11"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("households:visit_create", args=[household.pk]),
        {"date": tomorrow.isoformat(), "kind": "1", "done": "x"},
    )
    assert response.status_code == 200
    assert "走访日期不能晚于今天" in response.content.decode()


def test_attachment_served_only_in_scope(client, users, county_layout, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    household = county_layout["households"]["v11"]
    visit = visit_record(
        household=household,
        user=users["helper"],
        data=data(attachment=SimpleUploadedFile("sign.png", PNG)),
    )
    assert visit.attachment.name.startswith("visits/")
    url = reverse("households:visit_attachment", args=[visit.pk])
    client.force_login(users["village"])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    outsider = UserFactory(role="township", township=county_layout["townships"][1])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("households:visit_create", args=[household.pk])).status_code == 404


def test_visit_page_out_of_scope_is_404(client, users, county_layout):
    client.force_login(users["helper"])
    other = county_layout["households"]["v21"]
    assert client.get(reverse("households:visit_create", args=[other.pk])).status_code == 404


def _visit(household, days_ago, helper=None):
    return Visit.objects.create(
        household=household,
        helper=helper or household.helper,
        created_by=helper or household.helper,
        date=timezone.localdate() - datetime.timedelta(days=days_ago),
        kind="1",
        done="走访",
    )


def test_my_households_flags_overdue(client, users, county_layout):
    helper = users["helper"]
    fresh = county_layout["households"]["v11"]
    stale = HouseholdFactory(village=fresh.village, helper=helper, head_name="李四")
    never = HouseholdFactory(village=fresh.village, helper=helper, head_name="王五")
    _visit(fresh, 3)
    _visit(stale, 31)
    client.force_login(helper)
    response = client.get(reverse("households:my_households"))
    rows = {h.pk: h for h in response.context["households"]}
    assert not rows[fresh.pk].overdue and rows[stale.pk].overdue and rows[never.pk].overdue
    assert response.context["overdue_count"] == 2
    Parameter.objects.create(name="visit_interval_days", region_code="411529", value=45)
    response = client.get(reverse("households:my_households"))
    assert response.context["overdue_count"] == 1  # the county's own interval wins


@pytest.mark.parametrize("n", [3, 30])
def test_my_households_query_budget(client, users, county_layout, django_assert_max_num_queries, n):
    helper = users["helper"]
    for household in HouseholdFactory.create_batch(
        n, village=county_layout["villages"]["v11"], helper=helper
    ):
        _visit(household, 5)
    client.force_login(helper)
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = client.get(reverse("households:my_households"))
    assert len(response.context["households"]) == n + 1


@pytest.fixture
def weekly_data(users, county_layout):
    """Monday 2026-11-16 .. Sunday 2026-11-22; interval 30 days counted back from that Sunday."""
    t1, t2 = county_layout["townships"]
    housing, water = DepartmentFactory(name="住建局"), DepartmentFactory(name="水利局")
    a = UserFactory(username="ha", role="helper", last_name="甲", department=housing)
    b = UserFactory(username="hb", role="helper", last_name="乙", department=water)
    c = UserFactory(username="hc", role="helper", last_name="丙")  # no department
    v11, v21 = county_layout["villages"]["v11"], county_layout["villages"]["v21"]
    h = {
        "a1": HouseholdFactory(village=v11, helper=a, head_name="户一"),
        "a2": HouseholdFactory(village=v21, helper=a, head_name="户二"),
        "b1": HouseholdFactory(village=v11, helper=b, head_name="户三"),
        "c1": HouseholdFactory(village=v21, helper=c, head_name="户四"),
    }
    day = datetime.date(2026, 11, 16)

    def visit(key, when):
        Visit.objects.create(
            household=h[key], helper=h[key].helper, created_by=h[key].helper, date=when, kind="1", done="x"
        )

    visit("a1", day)  # two visits this week to a1
    visit("a1", day + datetime.timedelta(days=6))
    visit("b1", day + datetime.timedelta(days=2))
    visit("a2", day - datetime.timedelta(days=20))  # last week-ish: not overdue, not visited this week
    visit("c1", day - datetime.timedelta(days=40))  # overdue
    visit("a2", day + datetime.timedelta(days=7))  # next week: ignored
    return {"households": h, "helpers": (a, b, c), "monday": day}


def _by_name(rows):
    return {
        row.name: (row.visits, row.visited, row.assigned, [e["head_name"] for e in row.overdue])
        for row in rows
    }


def test_weekly_numbers_for_command(users, weekly_data):
    stats = weekly_stats(households=weekly_households(users["command"]), monday=weekly_data["monday"])
    # v11 (users fixture) has helper1 and no visit: overdue
    assert _by_name(stats["townships"]) == {
        "青石镇": (3, 2, 3, ["罗建国"]),
        "白云乡": (0, 0, 2, ["户四"]),
    }
    deps = _by_name(stats["departments"])
    assert deps["住建局"] == (2, 1, 2, [])
    assert deps["水利局"] == (1, 1, 1, [])
    assert deps["（未设部门）"] == (0, 0, 2, ["户四", "罗建国"])  # ordered by township name
    assert (stats["total"].visits, stats["total"].visited, stats["total"].assigned) == (3, 2, 5)


def test_weekly_scoped_for_township_and_department(users, weekly_data):
    own = weekly_stats(households=weekly_households(users["township"]), monday=weekly_data["monday"])
    assert [row.name for row in own["townships"]] == ["青石镇"]
    dept = UserFactory(role="department", department=weekly_data["helpers"][0].profile.department)
    stats = weekly_stats(households=weekly_households(dept), monday=weekly_data["monday"])
    assert (stats["total"].visits, stats["total"].assigned) == (2, 2)
    assert weekly_households(users["village"]) is None


def test_weekly_page_access(client, users, weekly_data):
    url = reverse("households:visits_weekly")
    for role, status in [
        ("command", 200),
        ("township", 200),
        ("department", 200),
        ("helper", 403),
        ("village", 403),
    ]:
        client.force_login(users[role])
        assert client.get(url, {"week": "2026-W47"}).status_code == status, role
    client.force_login(users["command"])
    response = client.get(url, {"week": "2026-W47"})
    assert response.context["monday"] == datetime.date(2026, 11, 16)
    assert "户四" in response.content.decode()


@pytest.mark.parametrize("n", [3, 30])
def test_weekly_query_budget(client, users, county_layout, django_assert_max_num_queries, n):
    helper = users["helper"]
    for household in HouseholdFactory.create_batch(
        n, village=county_layout["villages"]["v21"], helper=helper
    ):
        _visit(household, 1)
    client.force_login(users["command"])
    with django_assert_max_num_queries(QUERY_BUDGET):
        assert client.get(reverse("households:visits_weekly")).status_code == 200


def test_demo_helper_gets_visits_some_overdue(db):
    from households import demo
    from households.queries import helper_households

    as_of = datetime.date(2026, 6, 30)
    result = demo.build_demo(households=80, seed=4, as_of=as_of)
    helper = get_user_model().objects.get(username="helper")
    rows = list(helper_households(helper))
    assert result.visits == Visit.objects.count() > 0
    assert all(as_of - datetime.timedelta(days=60) <= v.date <= as_of for v in Visit.objects.all())
    overdue = [h for h in rows if h.last_visit is None or (as_of - h.last_visit).days > 30]
    assert 0 < len(overdue) < len(rows)
    first = list(
        Visit.objects.order_by("household__number", "date").values_list("household__number", "date", "kind")
    )
    demo.reset_demo()
    demo.build_demo(households=80, seed=4, as_of=as_of)
    again = list(
        Visit.objects.order_by("household__number", "date").values_list("household__number", "date", "kind")
    )
    assert again == first


def test_week_picker_parses_iso_weeks_and_falls_back_to_this_week():
    from households.visit_stats import parse_week

    assert parse_week("2026-W01") == datetime.date(2025, 12, 29)
    today = timezone.localdate()
    assert parse_week("nonsense") == today - datetime.timedelta(days=today.weekday())
    assert parse_week("2026-W99") == today - datetime.timedelta(days=today.weekday())


def test_another_helper_cannot_download_the_attachment(client, users, county_layout, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    visit = visit_record(
        household=county_layout["households"]["v11"],
        user=users["helper"],
        data=data(attachment=SimpleUploadedFile("sign.pdf", b"%PDF-1.4 test")),
    )
    client.force_login(UserFactory(role="helper"))
    assert client.get(reverse("households:visit_attachment", args=[visit.pk])).status_code == 404
    client.force_login(users["helper"])
    response = client.get(reverse("households:visit_attachment", args=[visit.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
