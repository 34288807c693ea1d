"""VS-001 (no active helper) and VS-002 (no visit within N days), set-based over the scope."""

import datetime

from households.checks.registry import get_rule
from households.models import Household, Visit
from povertycase.core.models import Parameter
from tests.factories import UserFactory

from .conftest import TODAY, hits, rules_tripped


def _update(household, **fields):
    Household.objects.filter(pk=household.pk).update(**fields)


def _visit(household, helper, days_ago):
    Visit.objects.create(
        household=household,
        helper=helper,
        created_by=helper,
        date=TODAY - datetime.timedelta(days=days_ago),
        kind="1",
        done="走访",
    )


def test_vs001_household_without_helper(family):
    assert get_rule("VS-001").applicable and get_rule("VS-002").applicable
    assert rules_tripped(family.household, "VS-001") == set()  # the register names a helper
    _update(family.household, helper_name="")
    assert rules_tripped(family.household, "VS-001") == {"VS-001"}
    _update(family.household, exit_status="1")  # exited: no helper needed
    assert rules_tripped(family.household, "VS-001") == set()


def test_vs001_inactive_helper_account_counts_as_none(family):
    helper = UserFactory(role="helper")
    _update(family.household, helper=helper, helper_name="")
    assert rules_tripped(family.household, "VS-001") == set()
    helper.is_active = False
    helper.save()
    assert rules_tripped(family.household, "VS-001") == {"VS-001"}


def test_vs002_last_visit_older_than_interval(family):
    household = family.household
    assert rules_tripped(household, "VS-002") == set()  # no helper account: not checked
    helper = UserFactory(role="helper")
    _update(household, helper=helper)
    found = hits(household, "VS-002")
    assert set(found) == {("VS-002", None)}
    assert "30" in found[("VS-002", None)][0].message
    _visit(household, helper, 31)
    assert rules_tripped(household, "VS-002") == {"VS-002"}
    _visit(household, helper, 30)
    assert rules_tripped(household, "VS-002") == set()


def test_vs002_uses_the_county_interval(family):
    helper = UserFactory(role="helper")
    _update(family.household, helper=helper)
    _visit(family.household, helper, 10)
    assert rules_tripped(family.household, "VS-002") == set()
    Parameter.objects.filter(name="visit_interval_days").update(value=7)
    assert rules_tripped(family.household, "VS-002") == {"VS-002"}
