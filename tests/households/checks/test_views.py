"""Violations page: scoping, filters, exact counts per village, acknowledgement, export, rule settings."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import RuleSetting, Violation
from tests.factories import HouseholdFactory

LIST = reverse("households:violation_list")


def _violation(household, rule_id="HH-003", severity="E", **fields):
    now = timezone.now()
    return Violation.objects.create(
        rule_id=rule_id,
        household=household,
        severity=severity,
        message=f"{rule_id} 测试",
        first_seen=now,
        last_seen=now,
        **fields,
    )


@pytest.fixture
def violations(county_layout):
    return {key: _violation(h) for key, h in county_layout["households"].items()}


def _rows(response):
    return {v.pk for v in response.context["page_obj"]}


def test_township_cadre_sees_only_their_township(client, users, violations):
    client.force_login(users["township"])
    response = client.get(LIST)
    assert response.status_code == 200
    assert _rows(response) == {violations["v11"].pk, violations["v12"].pk}


def test_command_sees_all_and_filters_by_township_village_rule_and_severity(
    client, users, county_layout, violations
):
    t1, t2 = county_layout["townships"]
    _violation(county_layout["households"]["v21"], rule_id="MB-023")
    _violation(county_layout["households"]["v21"], rule_id="ID-008", severity="W")
    client.force_login(users["command"])
    assert len(_rows(client.get(LIST))) == 6
    assert len(_rows(client.get(LIST, {"township": t2.pk}))) == 4
    assert len(_rows(client.get(LIST, {"village": county_layout["villages"]["v21"].pk}))) == 3
    assert len(_rows(client.get(LIST, {"rule": "MB-023"}))) == 1
    assert len(_rows(client.get(LIST, {"severity": "W"}))) == 1


def test_counts_per_village_are_exact(client, users, county_layout, violations):
    for _ in range(3):
        _violation(HouseholdFactory(village=county_layout["villages"]["v11"]), severity="W")
    client.force_login(users["command"])
    counts = {row["household__village__name"]: row for row in client.get(LIST).context["villages"]}
    assert (
        counts["青石村"]["total"] == 4
        and counts["青石村"]["warnings"] == 3
        and counts["青石村"]["errors"] == 1
    )
    assert counts["青石村"]["households"] == 4


def test_resolved_violations_show_only_when_asked(client, users, county_layout, violations):
    violations["v11"].resolved_at = timezone.now()
    violations["v11"].save()
    client.force_login(users["command"])
    assert violations["v11"].pk not in _rows(client.get(LIST))
    assert _rows(client.get(LIST, {"status": "resolved"})) == {violations["v11"].pk}


def test_list_pages_and_counts_every_row(client, users, county_layout):
    household = county_layout["households"]["v11"]
    for n in range(60):
        _violation(household, rule_id=f"ID-{n:03d}")
    client.force_login(users["command"])
    response = client.get(LIST)
    assert response.context["page_obj"].paginator.count == 60 and len(response.context["page_obj"]) == 50
    assert len(client.get(LIST, {"page": 2}).context["page_obj"]) == 10


@pytest.mark.parametrize("n", [3, 40])
def test_list_query_budget(client, users, county_layout, n, django_assert_max_num_queries):
    village = county_layout["villages"]["v11"]
    for _ in range(n):
        _violation(HouseholdFactory(village=village))
    client.force_login(users["command"])
    client.get(LIST)
    with django_assert_max_num_queries(14):
        assert client.get(LIST).status_code == 200


def test_acknowledge_needs_a_reason_and_keeps_it_in_history(client, users, violations):
    client.force_login(users["township"])
    url = reverse("households:violation_acknowledge", args=[violations["v11"].pk])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "请填写确认理由" in response.content.decode()
    violations["v11"].refresh_from_db()
    assert violations["v11"].acknowledged_at is None

    response = client.post(url, {"reason": "户主外出务工，人口数待核实"})
    assert response.status_code == 302
    violations["v11"].refresh_from_db()
    assert violations["v11"].acknowledged_by == users["township"]
    trail = violations["v11"].history.filter(acknowledged_at__isnull=False)
    assert [h.acknowledge_reason for h in trail] == ["户主外出务工，人口数待核实"]
    assert trail[0].history_user == users["township"]
    assert "户主外出务工" in client.get(url).content.decode()


def test_out_of_scope_acknowledge_is_404(client, users, violations):
    client.force_login(users["township"])
    url = reverse("households:violation_acknowledge", args=[violations["v21"].pk])
    assert client.post(url, {"reason": "越权"}).status_code == 404


def test_readers_cannot_acknowledge(client, users, violations):
    client.force_login(users["inspector"])
    url = reverse("households:violation_acknowledge", args=[violations["v11"].pk])
    assert client.post(url, {"reason": "x"}).status_code == 403


def test_export_holds_the_full_filtered_list_in_scope(client, users, county_layout, violations):
    for n in range(60):
        _violation(county_layout["households"]["v12"], rule_id=f"ID-{n:03d}")
    client.force_login(users["township"])
    response = client.get(reverse("households:violation_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    numbers = [row[2] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert len(numbers) == 62
    assert county_layout["households"]["v21"].number not in numbers
    assert sheet.cell(3, 1).value == "乡镇"


def test_rule_settings_only_for_the_command_office(client, users):
    url = reverse("households:rule_settings")
    client.force_login(users["township"])
    assert client.get(url).status_code == 403
    client.force_login(users["command"])
    page = client.get(url)
    assert page.status_code == 200 and "EX-006" in page.content.decode() and "VS-001" in page.content.decode()


def test_command_office_switches_a_rule_off_and_sets_a_parameter(client, users):
    client.force_login(users["command"])
    url = reverse("households:rule_settings")
    client.post(url, {"rule_id": "EX-006", "param_min_months": "9"})
    setting = RuleSetting.objects.get(rule_id="EX-006")
    assert setting.enabled is False and setting.params == {"min_months": 9}
    client.post(url, {"rule_id": "EX-006", "enabled": "on", "param_min_months": "12"})
    setting.refresh_from_db()
    assert setting.enabled and setting.params == {"min_months": 12}
    assert setting.history.count() == 2 and setting.history.first().history_user == users["command"]


def test_household_page_shows_its_open_violations(client, users, violations):
    client.force_login(users["township"])
    household = violations["v11"].household
    page = client.get(reverse("households:household_detail", args=[household.pk])).content.decode()
    assert "HH-003 测试" in page
