"""The demo's township leaders: the home township's secretary and head, linked households, trips in
every recent week, exactly one deliberate VS-005 gap, and a reset that removes them."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from households import demo
from households.checks.runner import find_hits
from households.checks.visits import last_full_week, week_start
from households.demo.leaders import GAPS, WEEKS
from households.models import Household, VillageTrip

AS_OF = datetime.date(2026, 6, 30)


@pytest.fixture
def built(db):
    return demo.build_demo(households=300, seed=5, as_of=AS_OF)


def _accounts():
    users = get_user_model().objects.select_related("profile")
    return users.get(username="secretary"), users.get(username="mayor")


def test_leaders_linked_households_trips_and_the_one_gap(built):
    """One build (300 households take seconds) for all the facts of the demo's leaders."""
    _home_township_has_a_secretary_and_a_head_linked_to_its_households()
    _trips_in_every_recent_week_with_one_gap()
    _vs005_is_raised_once_for_the_gap_only()


def _home_township_has_a_secretary_and_a_head_linked_to_its_households():
    secretary, mayor = _accounts()
    township = get_user_model().objects.get(username="township").profile.township
    assert (secretary.profile.leader_post, mayor.profile.leader_post) == ("secretary", "mayor")
    assert secretary.profile.township == mayor.profile.township == township
    assert secretary.check_password(demo.DEMO_PASSWORD)
    for leader in (secretary, mayor):
        linked = Household.objects.filter(contact_leader=leader)
        assert 3 <= linked.count() <= 6
        assert not linked.exclude(village__township=township).exists()
    others = (
        get_user_model().objects.exclude(profile__leader_post="").exclude(pk__in=[secretary.pk, mayor.pk])
    )
    assert not others.exists()  # other townships have no leader accounts


def _trips_in_every_recent_week_with_one_gap():
    secretary, mayor = _accounts()
    assert not VillageTrip.objects.exclude(village__township=secretary.profile.township).exists()
    assert not VillageTrip.objects.filter(date__gt=AS_OF).exists()
    for back in range(1, WEEKS + 1):
        monday = week_start(AS_OF) - datetime.timedelta(weeks=back)
        week = (monday, monday + datetime.timedelta(days=6))
        assert VillageTrip.objects.filter(leader=secretary, date__range=week).count() >= 2
        expected = 1 if back == 1 else 2  # the GAP: the head's one trip last week
        trips = VillageTrip.objects.filter(leader=mayor, date__range=week).count()
        assert trips == expected if back == 1 else trips >= expected
    assert VillageTrip.objects.filter(leader=mayor, date__range=last_full_week(AS_OF)).count() == 1


def _vs005_is_raised_once_for_the_gap_only():
    found = [hit for (rule_id, _h, _m), (hit, _s) in find_hits(today=AS_OF, rule_ids={"VS-005"}).hits.items()]
    assert len(found) == len(GAPS) == 1
    assert "孙志强" in found[0].message and "王建华" not in found[0].message


def test_reset_deletes_the_trips_before_the_accounts(built):
    assert VillageTrip.objects.exists()
    kept = demo.reset_demo()
    assert "secretary" not in kept and "mayor" not in kept
    assert not VillageTrip.objects.exists() and not VillageTrip.history.exists()
    demo.build_demo(households=300, seed=5, as_of=AS_OF)
    assert VillageTrip.objects.filter(leader__username="mayor").exists()
