"""VS-005: a township secretary or mayor linked to too few households or with too few village trips."""

import datetime

import pytest
from django.utils.translation import gettext as _

from households.checks.registry import get_rule
from households.checks.visits import last_full_week, week_start
from households.models import Household, RuleSetting, VillageTrip
from povertycase.accounts.models import LeaderPost
from tests.factories import HouseholdFactory, UserFactory

from .conftest import TODAY, hits, rules_tripped

LAST_MONDAY = datetime.date(2026, 5, 25)  # TODAY (2026-06-01) is a Monday
LAST_SUNDAY = datetime.date(2026, 5, 31)


def _leader(township, post="secretary", **fields):
    return UserFactory(role="township", township=township, role__leader_post=post, **fields)


def _link(leader, *households):
    Household.objects.filter(pk__in=[h.pk for h in households]).update(contact_leader=leader)


def _trips(leader, village, *days):
    for day in days:
        VillageTrip.objects.create(
            leader=leader, village=village, date=day, purpose="走访", created_by=leader
        )


@pytest.fixture
def township_of(family):
    """The family's township with two more households in the family's village (higher numbers)."""
    village = family.household.village
    extra = [HouseholdFactory(village=village), HouseholdFactory(village=village)]
    return village.township, [family.household, *extra]


@pytest.fixture
def engaged(township_of):
    """A secretary linked to 3 households with 2 trips last week: meets both thresholds."""
    township, households = township_of
    secretary = _leader(township, last_name="张", first_name="三")
    _link(secretary, *households)
    _trips(secretary, households[0].village, LAST_MONDAY, LAST_SUNDAY)
    return secretary


def _message(household):
    found = hits(household, "VS-005")
    assert set(found) == {("VS-005", None)}
    return found[("VS-005", None)][0].message


def test_vs005_is_applicable_and_a_warning():
    item = get_rule("VS-005")
    assert item.applicable and item.severity == "W"
    assert {p.name: p.default for p in item.params} == {"min_households": 3, "min_trips": 2}


def test_week_window_is_monday_to_sunday_before_the_reference_week():
    assert week_start(TODAY) == TODAY
    assert last_full_week(TODAY) == (LAST_MONDAY, LAST_SUNDAY)
    assert last_full_week(LAST_SUNDAY) == (datetime.date(2026, 5, 18), datetime.date(2026, 5, 24))


def test_township_without_leader_accounts_is_skipped(township_of, family):
    assert rules_tripped(family.household, "VS-005") == set()


def test_leader_meeting_both_thresholds_does_not_trip(engaged, family):
    assert rules_tripped(family.household, "VS-005") == set()


def test_too_few_linked_households_trips(engaged, township_of, family):
    Household.objects.filter(pk=township_of[1][2].pk).update(contact_leader=None)
    message = _message(family.household)
    assert message.startswith(f"{family.household.village.township.name}：")
    expected = _("linked to %(n)s households (fewer than %(min)s)") % {"n": 2, "min": 3}
    assert f"{LeaderPost.SECRETARY.label} 张三 {expected}" in message
    assert _("%(n)s village trips last week (fewer than %(min)s)") % {"n": 2, "min": 2} not in message


def test_too_few_trips_last_week_trips(engaged, family):
    VillageTrip.objects.filter(date=LAST_SUNDAY).delete()
    message = _message(family.household)
    assert _("%(n)s village trips last week (fewer than %(min)s)") % {"n": 1, "min": 2} in message
    assert _("linked to %(n)s households (fewer than %(min)s)") % {"n": 3, "min": 3} not in message


def test_both_shortfalls_and_both_leaders_in_one_hit(township_of, family):
    township, households = township_of
    _leader(township, "secretary", last_name="张", first_name="三")
    mayor = _leader(township, "mayor", last_name="王", first_name="五")
    _link(mayor, households[0])
    found = hits(family.household, "VS-005")
    assert set(found) == {("VS-005", None)}  # one hit per township, on its first household
    hit, severity = found[("VS-005", None)]
    assert severity == "W"
    linked = _("linked to %(n)s households (fewer than %(min)s)") % {"n": 1, "min": 3}
    trips = _("%(n)s village trips last week (fewer than %(min)s)") % {"n": 0, "min": 2}
    assert f"王五 {linked}；{trips}" in hit.message
    assert hit.message.index("张三") < hit.message.index("王五")  # secretary first


def test_trips_outside_last_full_week_do_not_count(engaged, family):
    VillageTrip.objects.all().delete()
    village = family.household.village
    _trips(
        engaged,
        village,
        LAST_MONDAY - datetime.timedelta(days=1),
        TODAY,
        LAST_SUNDAY + datetime.timedelta(days=3),
    )
    assert rules_tripped(family.household, "VS-005") == {"VS-005"}
    _trips(engaged, village, LAST_MONDAY, LAST_SUNDAY)
    assert rules_tripped(family.household, "VS-005") == set()


def test_hit_sits_on_the_townships_first_household_only(engaged, township_of, family):
    VillageTrip.objects.all().delete()
    later = township_of[1][2]
    assert rules_tripped(later, "VS-005") == set()  # scan without the first household: no hit
    assert rules_tripped(family.household, "VS-005") == {"VS-005"}


def test_inactive_or_post_less_accounts_are_not_leaders(engaged, township_of, family):
    VillageTrip.objects.all().delete()
    engaged.is_active = False
    engaged.save()
    UserFactory(role="township", township=township_of[0])  # a plain township cadre
    assert rules_tripped(family.household, "VS-005") == set()


def test_leader_of_another_township_does_not_count_here(township_of, family):
    other = HouseholdFactory()
    assert other.village.township_id != family.household.village.township_id
    _leader(other.village.township)
    assert rules_tripped(family.household, "VS-005") == set()
    assert rules_tripped(other, "VS-005") == {"VS-005"}


def test_thresholds_come_from_the_rule_settings(engaged, family):
    RuleSetting.objects.create(rule_id="VS-005", params={"min_households": 4, "min_trips": 2})
    assert rules_tripped(family.household, "VS-005") == {"VS-005"}
    RuleSetting.objects.filter(rule_id="VS-005").update(params={"min_households": 3, "min_trips": 3})
    assert rules_tripped(family.household, "VS-005") == {"VS-005"}
    RuleSetting.objects.filter(rule_id="VS-005").update(params={"min_households": 3, "min_trips": 2})
    assert rules_tripped(family.household, "VS-005") == set()


def test_warning_never_refuses_a_household_save(township_of, family):
    from households.checks.service import error_keys

    _leader(township_of[0])
    assert rules_tripped(family.household, "VS-005") == {"VS-005"}
    assert not any(rule_id == "VS-005" for rule_id, _member in error_keys(family.household))
