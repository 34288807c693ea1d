from decimal import Decimal

import pytest

from inspections import rates, services
from inspections.queries import sample_rates, sample_rates_by_township
from povertycase.errors import DomainError
from tests.factories import HouseholdFactory, TownshipFactory, VillageFactory


def test_formulas_on_hand_made_numbers():
    assert rates.wrong_exit_rate(wrongly_exited_persons=3, exited_persons_surveyed=200) == Decimal("0.015")
    assert rates.missed_rate(missed_persons=5, non_registered_persons_surveyed=200) == Decimal("0.025")
    assert rates.recognition_rate(satisfied_households=91, households_surveyed=100) == Decimal("0.91")
    assert rates.awareness_rate(knowing_households=2, households_surveyed=3) == Decimal("0.6667")
    assert rates.recognition_rate(satisfied_households=0, households_surveyed=0) is None


@pytest.mark.parametrize(
    ("key", "value", "ok"),
    [
        ("wrong_exit", "0.0199", True),
        ("wrong_exit", "0.02", False),
        ("missed", "0.02", False),
        ("missed", "0", True),
        ("recognition", "0.90", True),
        ("recognition", "0.8999", False),
        ("awareness", "0.95", True),
        ("awareness", "0.5", False),
    ],
)
def test_thresholds(key, value, ok):
    assert rates.within_limit(key, Decimal(value)) is ok


def test_unknown_rate_is_neither_red_nor_green():
    assert rates.Rate("wrong_exit", 0, 0).ok is None


@pytest.mark.django_db
def test_sample_rates_from_recorded_results(users):
    village = VillageFactory(township=TownshipFactory())
    stay = HouseholdFactory.create_batch(6, village=village, member_count=2)
    gone = HouseholdFactory.create_batch(4, village=village, member_count=5, exit_status="1")
    sample = services.sample_draw(user=users["inspector"], title="全抽", rate=Decimal("1"), seed=1)
    entries = {e.household_id: e for e in sample.entries.select_related("household")}
    inspector = users["inspector"]
    for n, household in enumerate(stay + gone):
        services.sample_result_record(
            user=inspector,
            entry=entries[household.pk],
            identification_accurate=True,
            exit_accurate=(household != gone[0]) if household in gone else None,
            satisfied=n != 0,  # 9 of 10
            knows_policies=n % 2 == 0,  # 5 of 10
        )
    services.missed_household_record(
        user=inspector, sample=sample, village=village, head_name="刘某", persons=3
    )
    services.sample_surveyed_persons_set(user=inspector, sample=sample, persons=150)
    by_key = {r.key: r for r in sample_rates(sample)}
    assert (by_key["wrong_exit"].numerator, by_key["wrong_exit"].denominator) == (5, 20)
    assert by_key["wrong_exit"].value == Decimal("0.25") and by_key["wrong_exit"].ok is False
    assert by_key["missed"].value == Decimal("0.02") and by_key["missed"].ok is False
    assert by_key["recognition"].value == Decimal("0.9") and by_key["recognition"].ok is True
    assert by_key["awareness"].value == Decimal("0.5") and by_key["awareness"].ok is False


@pytest.mark.django_db
def test_exited_household_needs_an_exit_answer(users):
    household = HouseholdFactory(exit_status="1")
    sample = services.sample_draw(user=users["inspector"], title="x", rate=Decimal("1"), seed=1)
    entry = sample.entries.get(household=household)
    with pytest.raises(DomainError):
        services.sample_result_record(
            user=users["inspector"],
            entry=entry,
            identification_accurate=True,
            satisfied=True,
            knows_policies=True,
        )


@pytest.mark.django_db
def test_rates_per_township(users):
    a, b = TownshipFactory(name="甲镇"), TownshipFactory(name="乙镇")
    va, vb = VillageFactory(township=a), VillageFactory(township=b)
    HouseholdFactory.create_batch(2, village=va, exit_status="1", member_count=3)
    HouseholdFactory.create_batch(2, village=vb, member_count=2)
    sample = services.sample_draw(
        user=users["inspector"], title="x", rate=Decimal("1"), seed=1, townships=[a, b]
    )
    for n, entry in enumerate(sample.entries.select_related("household")):
        exited = entry.household.exit_status != "0"
        services.sample_result_record(
            user=users["inspector"],
            entry=entry,
            identification_accurate=True,
            exit_accurate=(n != 0) if exited else None,
            satisfied=exited,
            knows_policies=True,
        )
    services.missed_household_record(
        user=users["inspector"], sample=sample, village=vb, head_name="陈某", persons=4
    )
    rows = {row["township"]: row for row in sample_rates_by_township(sample)}
    wrong_a, recognition_a, _ = rows["甲镇"]["rates"]
    assert (wrong_a.numerator, wrong_a.denominator, wrong_a.ok) == (3, 6, False)
    assert recognition_a.value == Decimal("1")
    wrong_b, recognition_b, _ = rows["乙镇"]["rates"]
    assert wrong_b.value is None and recognition_b.value == Decimal("0")
    assert (rows["甲镇"]["missed_persons"], rows["乙镇"]["missed_persons"]) == (0, 4)


@pytest.mark.django_db
def test_fallen_back_households_are_not_counted_as_exited(users):
    household = HouseholdFactory(exit_status="3", member_count=2)
    sample = services.sample_draw(user=users["inspector"], title="x", rate=Decimal("1"), seed=1)
    entry = sample.entries.get(household=household)
    services.sample_result_record(
        user=users["inspector"],
        entry=entry,
        identification_accurate=True,
        satisfied=True,
        knows_policies=True,
    )
    assert sample_rates(sample)[0].denominator == 0
