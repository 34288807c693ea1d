"""The runner stores violations: first_seen kept, resolved, reopened; rules switched off; the command."""

import json
from io import StringIO

import time_machine
from django.core.management import call_command

from households.checks import checks_for_household, run_all_checks
from households.models import Household, RuleSetting, Violation

from .conftest import rules_tripped
from .helpers import set_member


def _break(family):
    Household.objects.filter(pk=family.household.pk).update(member_count=5)


def _fix(family):
    Household.objects.filter(pk=family.household.pk).update(member_count=3)


def test_violation_is_stored_kept_resolved_and_reopened(family):
    _break(family)
    with time_machine.travel("2026-06-01 02:00 +0800", tick=False):
        run_all_checks()
    violation = Violation.objects.get(rule_id="HH-003")
    first_seen = violation.first_seen
    assert violation.is_open and violation.severity == "E" and violation.member is None

    with time_machine.travel("2026-06-02 02:00 +0800", tick=False):
        run_all_checks()
    violation.refresh_from_db()
    assert violation.first_seen == first_seen and violation.last_seen > first_seen
    assert Violation.objects.count() == 1

    _fix(family)
    with time_machine.travel("2026-06-03 02:00 +0800", tick=False):
        run_all_checks()
    violation.refresh_from_db()
    assert violation.resolved_at is not None

    _break(family)
    with time_machine.travel("2026-06-04 02:00 +0800", tick=False):
        result = run_all_checks()
    violation.refresh_from_db()
    assert violation.is_open and violation.first_seen == first_seen
    assert result.reopened == 1 and Violation.objects.count() == 1


def test_rule_switched_off_is_not_run_and_its_violations_resolve(family):
    _break(family)
    run_all_checks()
    RuleSetting.objects.create(rule_id="HH-003", enabled=False)
    assert rules_tripped(family.household) == set()
    run_all_checks()
    assert not Violation.objects.filter(resolved_at__isnull=True).exists()


def test_scan_of_one_household_leaves_the_others_alone(family):
    from tests.factories import HouseholdFactory

    other = HouseholdFactory(member_count=7)
    run_all_checks()
    assert Violation.objects.filter(household=other, resolved_at__isnull=True).exists()
    _break(family)
    found = checks_for_household(family.household)
    assert [v.rule_id for v in found] == ["HH-003"]
    assert Violation.objects.filter(household=other, resolved_at__isnull=True).exists()


def test_member_violation_names_the_member(family):
    set_member(family.child, pension_insurance=True)
    run_all_checks()
    violation = Violation.objects.get(rule_id="MB-023")
    assert violation.member_id == family.child.pk and family.child.name in violation.message


def test_command_prints_json_and_stores_like_the_nightly_job(family):
    _break(family)
    set_member(family.child, pension_insurance=True)
    out = StringIO()
    call_command("run_checks", "--json", stdout=out)
    payload = json.loads(out.getvalue())
    assert sorted(payload["violations"], key=lambda v: v["rule"]) == [
        {
            "household_number": family.household.number,
            "id_number": None,
            "rule": "HH-003",
            "severity": "error",
            "message": Violation.objects.get(rule_id="HH-003").message,
        },
        {
            "household_number": family.household.number,
            "id_number": family.child.id_number,
            "rule": "MB-023",
            "severity": "error",
            "message": Violation.objects.get(rule_id="MB-023").message,
        },
    ]
    assert Violation.objects.filter(resolved_at__isnull=True).count() == 2


def test_command_without_json_reports_counts(family):
    out = StringIO()
    call_command("run_checks", stdout=out)
    assert "0 open violations" in out.getvalue()


def test_nightly_task_runs_the_full_scan(family):
    from households.checks.tasks import run_logic_checks_task

    _break(family)
    assert run_logic_checks_task.apply().get() == 1
    assert Violation.objects.filter(rule_id="HH-003").exists()


def test_nightly_job_is_scheduled():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "households.checks.tasks.run_logic_checks_task" in tasks
