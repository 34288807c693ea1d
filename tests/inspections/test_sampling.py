from decimal import Decimal

import pytest
from django.db.models import ProtectedError

from inspections import services
from inspections.models import SampledHousehold
from povertycase.errors import DomainError
from tests.factories import HouseholdFactory, TownshipFactory, VillageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(users):
    """Three townships of 40, 20 and 10 households; township A has a remote village of 20."""
    a, b, c = TownshipFactory(name="甲镇"), TownshipFactory(name="乙镇"), TownshipFactory(name="丙乡")
    a_near, a_far = VillageFactory(township=a), VillageFactory(township=a, is_remote=True)
    HouseholdFactory.create_batch(20, village=a_near)
    HouseholdFactory.create_batch(20, village=a_far)
    HouseholdFactory.create_batch(20, village=VillageFactory(township=b))
    HouseholdFactory.create_batch(10, village=VillageFactory(township=c))
    return {"a": a, "b": b, "c": c, "far": a_far}


def _drawn(sample):
    return list(sample.entries.order_by("position").values_list("household_id", flat=True))


def _draw(users, **kwargs):
    return services.sample_draw(user=users["inspector"], title="抽查", **kwargs)


def test_same_seed_draws_the_same_households(users, county):
    first = _draw(users, seed=20261123, townships=[county["a"], county["b"], county["c"]])
    second = _draw(users, seed=20261123, townships=[county["a"], county["b"], county["c"]])
    other = _draw(users, seed=7, townships=[county["a"], county["b"], county["c"]])
    assert _drawn(first) == _drawn(second)
    assert _drawn(first) != _drawn(other)
    assert first.seed == 20261123 and first.rate == Decimal("0.1000")


def test_seed_is_stored_when_not_given(users, county):
    sample = _draw(users)
    assert sample.seed > 0
    assert _drawn(_draw(users, seed=sample.seed)) == _drawn(sample)


def test_stratified_by_township_at_the_rate(users, county):
    sample = _draw(users, rate=Decimal("0.10"), seed=1, townships=[county["a"], county["b"], county["c"]])
    per_township = {
        t: SampledHousehold.objects.filter(sample=sample, township=county[t]).count() for t in "abc"
    }
    # 10% of each part: A = 2 near + 2 remote, B = 2, C = 1
    assert per_township == {"a": 4, "b": 2, "c": 1}
    assert sample.population == 70


def test_remote_villages_are_over_sampled(users, county):
    sample = _draw(users, rate=Decimal("0.10"), remote_factor=Decimal("3"), seed=1, townships=[county["a"]])
    remote = SampledHousehold.objects.filter(sample=sample, household__village=county["far"]).count()
    assert remote == 6  # 10% × 3 of 20
    assert sample.entries.count() == 8


def test_rate_and_factor_are_checked(users, county):
    with pytest.raises(DomainError):
        _draw(users, rate=Decimal("0"))
    with pytest.raises(DomainError):
        _draw(users, rate=Decimal("1.5"))
    with pytest.raises(DomainError):
        _draw(users, remote_factor=Decimal("0.5"))


def test_only_recorders_draw(users, county):
    with pytest.raises(DomainError):
        services.sample_draw(user=users["township"], title="x")


def test_drawn_list_cannot_be_deleted_from_under_its_sample(users, county):
    sample = _draw(users, seed=3)
    with pytest.raises(ProtectedError):
        sample.delete()


def test_households_that_left_the_register_are_not_drawn(users, county):
    gone = HouseholdFactory(village=county["far"], exit_status="9")
    sample = _draw(users, rate=Decimal("1"), seed=1)
    assert not sample.entries.filter(household=gone).exists()
    assert sample.population == sample.entries.count()
