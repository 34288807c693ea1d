"""Village indicators pages: scope (404), who may edit, validation in Chinese with nothing saved,
history on the page, list filters, open VL counts and pagination."""

import pytest
from django.urls import reverse
from django.utils import timezone

from households.checks import run_all_checks
from households.models import Village, VillageIndicators, Violation
from tests.factories import HouseholdFactory, VillageFactory
from tests.households.checks.helpers import village_indicators

LIST = reverse("households:village_list")
VALID = {
    "total_households": "120",
    "total_population": "480",
    "collective_income": "85000",
    "primary_schools": "1",
    "pension_insured": "300",
    "bus_service": "true",
    "clinics": "1",
    "doctors": "2",
    "public_toilets": "2",
    "garbage_points": "3",
    "cultural_rooms": "1",
    "dibao_households": "8",
    "dibao_persons": "15",
    "tekun_persons": "2",
    "disabled_persons": "9",
    "hardened_road": "true",
    "households_without_water": "0",
    "households_in_danger_housing": "1",
    "land_area": "3000.5",
    "reason": "年度更新",
}


def _page(village):
    return reverse("households:village_indicators", args=[village.pk])


def _names(response):
    return [v.name for v in response.context["villages"]]


# ------------------------------------------------------------------ scope and roles


@pytest.mark.parametrize(
    "role, visible",
    [
        ("command", {"v11", "v12", "v21", "v22"}),
        ("township", {"v11", "v12"}),
        ("village", {"v11"}),
        ("helper", {"v11"}),
        ("inspector", {"v11", "v12", "v21", "v22"}),
    ],
)
def test_each_role_sees_the_villages_of_its_scope_and_404_elsewhere(
    client, users, county_layout, role, visible
):
    villages = county_layout["villages"]
    client.force_login(users[role])
    assert set(_names(client.get(LIST))) == {villages[key].name for key in visible}
    for key, village in villages.items():
        assert client.get(_page(village)).status_code == (200 if key in visible else 404)


def test_cadres_edit_in_scope_others_only_read(client, users, county_layout):
    v11, v12 = county_layout["villages"]["v11"], county_layout["villages"]["v12"]
    for role in ("command", "township", "village"):
        client.force_login(users[role])
        assert client.get(_page(v11)).context["form"] is not None
    client.force_login(users["village"])
    assert client.post(_page(v12), VALID).status_code == 404  # not their village
    for role in ("helper", "inspector", "department"):
        client.force_login(users[role])
        response = client.get(_page(v11))
        assert response.context["form"] is None and response.context["can_edit"] is False
        assert client.post(_page(v11), VALID).status_code == 403
    assert not VillageIndicators.objects.exists()


# ------------------------------------------------------------------ saving, validation, history


def test_village_cadre_saves_and_the_history_shows_who_changed_what(client, users, county_layout):
    v11 = county_layout["villages"]["v11"]
    client.force_login(users["village"])
    response = client.post(_page(v11), VALID)
    assert response.status_code == 302
    record = VillageIndicators.objects.get(village=v11)
    assert (
        record.total_households == 120 and record.hardened_road is True and str(record.land_area) == "3000.5"
    )
    assert record.history.get().history_user == users["village"]

    client.force_login(users["township"])
    client.post(_page(v11), {**VALID, "doctors": "3", "hardened_road": "false", "reason": "核实"})
    page = client.get(_page(v11))
    latest = page.context["history"][0]
    assert latest.reason == "核实" and len(page.context["history"]) == 2
    assert {(c.label, c.old, c.new) for c in latest.changes} == {
        ("执业（助理）医师数", "2", "3"),
        ("通硬化路到乡镇", "是", "否"),
    }
    html = page.content.decode()
    assert "执业（助理）医师数" in html and "核实" in html and "首次录入" in html


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("clinics", "-1", "卫生室数不能为负数。"),
        ("land_area", "-3", "土地面积（亩）不能为负数。"),
        ("total_households", "0", "总户数至少为 1 户。"),
        ("households_without_water", "121", "未解决饮水户数（121）不能大于总户数（120）。"),
        ("households_in_danger_housing", "200", "住危房户数（200）不能大于总户数（120）。"),
        ("total_households", "500", "总户数（500）不能大于总人口数（480）。"),
        ("dibao_households", "16", "低保户数（16）不能大于低保人数（15）。"),
        ("doctors", "两", "输入整数。"),
    ],
)
def test_bad_values_are_refused_in_chinese_and_nothing_is_saved(
    client, users, county_layout, field, value, message
):
    v11 = county_layout["villages"]["v11"]
    before = village_indicators(v11)
    client.force_login(users["command"])
    response = client.post(_page(v11), {**VALID, field: value})
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    after = VillageIndicators.objects.get(village=v11)
    assert [getattr(after, f) for f in VALID if f != "reason"] == [
        getattr(before, f) for f in VALID if f != "reason"
    ]
    assert after.history.count() == 1


def test_empty_values_are_allowed_while_unknown(client, users, county_layout):
    v11 = county_layout["villages"]["v11"]
    client.force_login(users["command"])
    client.post(_page(v11), {"total_households": "50", "hardened_road": "unknown"})
    record = VillageIndicators.objects.get(village=v11)
    assert record.total_households == 50 and record.hardened_road is None and record.clinics is None


# ------------------------------------------------------------------ list


def _open_vl(household, rule_id="VL-001"):
    now = timezone.now()
    return Violation.objects.create(
        rule_id=rule_id, household=household, severity="E", message="测试", first_seen=now, last_seen=now
    )


def test_list_shows_flags_filled_state_and_open_vl_counts(client, users, county_layout):
    villages, households = county_layout["villages"], county_layout["households"]
    Village.objects.filter(pk=villages["v11"].pk).update(is_poor=True, exit_year=2019)
    village_indicators(villages["v11"])
    village_indicators(villages["v12"], clinics=None, doctors=None)
    _open_vl(households["v11"])
    _open_vl(households["v11"], "VL-004")
    resolved = _open_vl(households["v12"])
    resolved.resolved_at = timezone.now()
    resolved.save()
    _open_vl(households["v12"], "HH-003")  # not a village check
    client.force_login(users["command"])
    rows = {v.name: v for v in client.get(LIST).context["villages"]}
    assert rows["青石村"].open_violations == 2 and not rows["石门村"].open_violations
    assert (
        rows["青石村"].empty_count == 0
        and rows["石门村"].empty_count == 2
        and rows["白云村"].empty_count is None
    )
    html = client.get(LIST).content.decode()
    assert "2 项为空" in html and "未录入" in html and "已填齐" in html


def test_list_filters(client, users, county_layout):
    villages = county_layout["villages"]
    t2 = county_layout["townships"][1]
    Village.objects.filter(pk=villages["v21"].pk).update(is_poor=True, exit_year=2018)
    Village.objects.filter(pk=villages["v22"].pk).update(is_poor=True)
    village_indicators(villages["v11"])
    village_indicators(villages["v12"], land_area=None)
    client.force_login(users["command"])
    assert set(_names(client.get(LIST, {"township": t2.pk}))) == {"白云村", "云岭村"}
    assert set(_names(client.get(LIST, {"is_poor": "yes"}))) == {"白云村", "云岭村"}
    assert set(_names(client.get(LIST, {"is_poor": "no"}))) == {"青石村", "石门村"}
    assert set(_names(client.get(LIST, {"exited": "yes"}))) == {"白云村"}
    assert set(_names(client.get(LIST, {"filled": "complete"}))) == {"青石村"}
    assert set(_names(client.get(LIST, {"filled": "incomplete"}))) == {"石门村"}
    assert set(_names(client.get(LIST, {"filled": "missing"}))) == {"白云村", "云岭村"}
    assert set(_names(client.get(LIST, {"q": "石"}))) == {"青石村", "石门村"}
    client.force_login(users["township"])
    assert _names(client.get(LIST, {"township": t2.pk})) == []  # not a choice: nothing outside scope


def test_list_pages_and_counts_households(client, users, county_layout):
    township = county_layout["townships"][0]
    for index in range(30):
        village = VillageFactory(township=township, name=f"新村{index:02d}")
        if index == 0:
            HouseholdFactory(village=village)
            HouseholdFactory(village=village)
    client.force_login(users["command"])
    first = client.get(LIST)
    assert first.context["paginator"].count == 34 and len(first.context["villages"]) == 25
    assert len(client.get(LIST, {"page": 2}).context["villages"]) == 9
    counts = {v.name: v.household_count for v in client.get(LIST, {"q": "新村00"}).context["villages"]}
    assert counts == {"新村00": 2}


def test_nav_link_for_register_cadres_only(client, users):
    for role, shown in (("command", True), ("township", True), ("village", True), ("helper", False)):
        client.force_login(users[role])
        assert (LIST in client.get(reverse("home")).content.decode()) is shown


def test_saving_rechecks_the_village_so_its_violation_resolves_at_once(client, users, county_layout):
    v11 = county_layout["villages"]["v11"]
    Village.objects.filter(pk=v11.pk).update(is_poor=True, exit_year=2019)
    run_all_checks()
    violation = Violation.objects.get(rule_id="VL-001")
    client.force_login(users["command"])
    assert "VL-001" in client.get(_page(v11)).content.decode()
    client.post(_page(v11), VALID)
    violation.refresh_from_db()
    assert violation.resolved_at is not None
    assert "VL-001" not in client.get(_page(v11)).content.decode()


def test_list_query_count_does_not_grow_with_villages(
    client, users, county_layout, django_assert_max_num_queries
):
    townships = county_layout["townships"]
    client.force_login(users["command"])
    client.get(LIST)
    with django_assert_max_num_queries(20) as few:
        assert client.get(LIST).status_code == 200
    for index in range(12):
        VillageFactory(township=townships[index % 2], name=f"增村{index:02d}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(LIST).status_code == 200
