"""PT-001 repeated petitions, PT-002 insurance of monitored households, PT-003 五保 care: each
trips, and the close case beside it does not."""

import datetime
from decimal import Decimal

import pytest

from petitions.checks import months_before
from petitions.models import Care, Enrollment, InsurancePolicy, Petition
from povertycase.core.models import Parameter
from rectification.models import Category
from tests.factories import MonitoringCaseFactory
from tests.households.checks.conftest import TODAY, hits, rules_tripped

pytestmark = pytest.mark.django_db
_seq = iter(range(1, 1000))


def petition_on(household, date):
    p = Petition.objects.create(
        number=f"T-{next(_seq)}",
        channel="01",
        date=date,
        category=Category.objects.get(code="0701"),
        content="x",
        deadline=date,
    )
    p.households.add(household)
    return p


def test_months_before():
    assert months_before(datetime.date(2026, 6, 1), 12) == datetime.date(2025, 6, 1)
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)


def test_pt001_two_petitions_in_twelve_months_trip(family):
    petition_on(family.household, TODAY - datetime.timedelta(days=30))
    assert "PT-001" not in rules_tripped(family.household, "PT-001")
    petition_on(family.household, datetime.date(2025, 6, 2))
    assert rules_tripped(family.household, "PT-001") == {"PT-001"}


def test_pt001_close_case_just_outside_the_window(family):
    petition_on(family.household, TODAY - datetime.timedelta(days=30))
    petition_on(family.household, datetime.date(2025, 6, 1))  # exactly 12 months back: outside
    assert rules_tripped(family.household, "PT-001") == set()


def test_pt001_follows_its_parameters(family):
    petition_on(family.household, TODAY - datetime.timedelta(days=30))
    petition_on(family.household, TODAY - datetime.timedelta(days=300))
    Parameter.objects.update_or_create(
        name="petition_repeat_months", year=None, region_code="", defaults={"value": Decimal(6)}
    )
    assert rules_tripped(family.household, "PT-001") == set()
    Parameter.objects.filter(name="petition_repeat_months").update(value=Decimal(12))
    Parameter.objects.filter(name="petition_repeat_count").update(value=Decimal(3))
    assert rules_tripped(family.household, "PT-001") == set()


def monitored(household, category="M2", state="risk_open"):
    return MonitoringCaseFactory(household=household, state=state, category=category)


def test_pt002_monitored_marginal_household_without_insurance(family):
    monitored(family.household)
    last_year = InsurancePolicy.objects.create(
        year=2025, insurer="人保财险", premium=Decimal("100"), payer="1"
    )
    Enrollment.objects.create(policy=last_year, household=family.household)
    assert rules_tripped(family.household, "PT-002") == set()  # no scheme this year: unrecorded
    policy = InsurancePolicy.objects.create(year=2026, insurer="人保财险", premium=Decimal("100"), payer="1")
    assert rules_tripped(family.household, "PT-002") == {"PT-002"}  # last year's cover does not count
    Enrollment.objects.create(policy=policy, household=family.household)
    assert rules_tripped(family.household, "PT-002") == set()


@pytest.mark.parametrize("category, state", [("M3", "risk_open"), ("M1", "risk_eliminated")])
def test_pt002_close_cases_other_category_or_not_monitored(family, category, state):
    monitored(family.household, category=category, state=state)
    assert rules_tripped(family.household, "PT-002") == set()


def five_guarantee(family):
    family.household.attribute = "3"
    family.household.save()
    return family.head


def test_pt003_dependent_scattered_without_agreement(family):
    care = Care.objects.create(member=five_guarantee(family), dependency="partly", form="scattered")
    assert hits(family.household, "PT-003").keys() == {("PT-003", family.head.pk)}
    care.carer, care.agreement_date = "罗二", datetime.date(2026, 1, 1)
    care.save()
    assert rules_tripped(family.household, "PT-003") == set()


@pytest.mark.parametrize(
    "fields",
    [
        {"dependency": "self_care", "form": "scattered"},
        {"dependency": "fully", "form": "care_home", "institution": "城关敬老院"},
        {"dependency": "fully", "form": "turnover", "institution": "青石村周转房"},
    ],
)
def test_pt003_close_cases(family, fields):
    Care.objects.create(member=five_guarantee(family), **fields)
    assert rules_tripped(family.household, "PT-003") == set()


def test_pt003_not_a_five_guarantee_household(family):
    Care.objects.create(member=family.head, dependency="fully", form="scattered")
    assert rules_tripped(family.household, "PT-003") == set()


def test_rule_settings_page_lists_the_petition_rules(client, users):
    from django.urls import reverse

    client.force_login(users["command"])
    page = client.get(reverse("households:rule_settings")).content.decode()
    assert "PT-001" in page and "PT-003" in page
