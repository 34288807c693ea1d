"""VS-003 (visit not confirmed), VS-004 (visit dated ahead or outside the assignment); VS-005 in
test_leader_rules.py."""

import datetime

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from households.checks.registry import get_rule
from households.models import Household, RuleSetting, Visit
from households.services.helpers import household_assign_helper
from tests.factories import UserFactory

from .conftest import TODAY, hits, rules_tripped


def _visit(household, helper, day, **fields):
    return Visit.objects.create(
        household=household, helper=helper, created_by=helper, date=day, kind="1", done="走访", **fields
    )


def _message(household, rule_id):
    found = hits(household, rule_id)
    assert set(found) == {(rule_id, None)}
    return found[(rule_id, None)][0].message


def test_vs003_vs004_and_vs005_are_applicable():
    for rule_id in ("VS-003", "VS-004", "VS-005"):
        item = get_rule(rule_id)
        assert item is not None and item.func is not None, rule_id


# ------------------------------------------------------------------ VS-003


def test_vs003_recent_visit_without_confirmation_or_signature(family, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    helper = UserFactory(role="helper")
    household = family.household
    confirmed = _visit(household, helper, TODAY - datetime.timedelta(days=5), confirmed_by="罗建国")
    assert rules_tripped(household, "VS-003") == set()
    _visit(household, helper, TODAY - datetime.timedelta(days=20))
    _visit(household, helper, TODAY - datetime.timedelta(days=10))
    message = _message(household, "VS-003")
    assert (TODAY - datetime.timedelta(days=10)).isoformat() in message
    assert message.endswith(_(" (%(n)s such visits)") % {"n": 2})
    Visit.objects.exclude(pk=confirmed.pk).update(confirmed_by="罗建国")
    assert rules_tripped(household, "VS-003") == set()
    signed = _visit(household, helper, TODAY - datetime.timedelta(days=3))
    signed.attachment.save("sign.png", ContentFile(b"\x89PNG\r\n\x1a\n"))
    assert rules_tripped(household, "VS-003") == set()  # a signature is a confirmation


def test_vs003_looks_back_only_the_configured_days(family):
    helper = UserFactory(role="helper")
    _visit(family.household, helper, TODAY - datetime.timedelta(days=91))
    _visit(family.household, helper, TODAY + datetime.timedelta(days=1))  # after the reference date
    assert rules_tripped(family.household, "VS-003") == set()
    RuleSetting.objects.create(rule_id="VS-003", params={"days": 120})
    assert rules_tripped(family.household, "VS-003") == {"VS-003"}


# ------------------------------------------------------------------ VS-004


@pytest.fixture
def assignments(family):
    """Registered 2026-01-01; helper A from 2026-03-01, helper B from 2026-05-01 23:30 (local)."""
    household = family.household
    Household.history.filter(id=household.pk).update(
        history_date=datetime.datetime(2026, 1, 1, 9, tzinfo=datetime.UTC)
    )
    cadre = UserFactory(role="command")
    a, b = UserFactory(role="helper", last_name="甲"), UserFactory(role="helper", last_name="乙")
    with time_machine.travel("2026-03-01 10:00 +0800", tick=False):
        household_assign_helper(household=household, helper=a, user=cadre)
    with time_machine.travel("2026-05-01 23:30 +0800", tick=False):
        household_assign_helper(household=Household.objects.get(pk=household.pk), helper=b, user=cadre)
    return household, a, b


def _recorded(visit, when: str):
    Visit.objects.filter(pk=visit.pk).update(created_at=datetime.datetime.fromisoformat(when))


def test_vs004_visits_within_the_assignment_pass(assignments):
    household, a, b = assignments
    visit = _visit(household, a, datetime.date(2026, 3, 1))
    _recorded(visit, "2026-03-01T12:00+08:00")
    _visit(household, a, datetime.date(2026, 4, 30))
    _visit(household, b, datetime.date(2026, 5, 1))  # assigned late that evening: the day counts
    assert rules_tripped(household, "VS-004") == set()


def test_vs004_helper_not_assigned_on_the_visit_date(assignments):
    household, a, b = assignments
    _visit(household, a, datetime.date(2026, 5, 10))  # B's time
    message = _message(household, "VS-004")
    assert "2026-05-10" in message and "甲" in message
    Visit.objects.all().delete()
    _visit(household, b, datetime.date(2026, 4, 30))  # A's time
    assert rules_tripped(household, "VS-004") == {"VS-004"}
    Visit.objects.all().delete()
    _visit(household, a, datetime.date(2026, 2, 1))  # nobody assigned yet
    assert rules_tripped(household, "VS-004") == {"VS-004"}


def test_vs004_visit_before_any_history_row_counts_as_outside(assignments):
    household, a, _b = assignments
    _visit(household, a, datetime.date(2025, 12, 31))
    assert rules_tripped(household, "VS-004") == {"VS-004"}


def test_vs004_visit_dated_after_it_was_recorded(assignments):
    household, a, _b = assignments
    visit = _visit(household, a, datetime.date(2026, 4, 2))
    _recorded(visit, "2026-04-02T00:30+08:00")  # same local day (still 1 April in UTC)
    assert rules_tripped(household, "VS-004") == set()
    _recorded(visit, "2026-04-01T23:00+08:00")
    message = _message(household, "VS-004")
    assert "2026-04-02" in message and "2026-04-01" in message


def test_vs004_visit_dated_after_the_reference_date(assignments):
    household, a, _b = assignments
    _visit(household, a, datetime.date(2026, 4, 2))
    assert rules_tripped(household, "VS-004", today=datetime.date(2026, 4, 2)) == set()
    assert rules_tripped(household, "VS-004", today=datetime.date(2026, 4, 1)) == {"VS-004"}


def test_vs004_one_hit_per_household_counting_its_visits(assignments):
    household, a, _b = assignments
    _visit(household, a, datetime.date(2026, 5, 10))
    _visit(household, a, datetime.date(2026, 5, 20))
    message = _message(household, "VS-004")
    assert "2026-05-20" in message and message.endswith(_(" (%(n)s such visits)") % {"n": 2})
