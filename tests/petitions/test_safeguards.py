"""防贫保险 policies, enrolments and claims; 五保 care records: services and pages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from petitions import safeguards
from petitions.models import Care, Claim, InsurancePolicy
from povertycase.errors import DomainError
from tests.factories import MemberFactory, MonitoringCaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(users):
    return safeguards.policy_create(
        user=users["command"], year=2026, insurer="人保财险", premium=Decimal("120"), payer="1"
    )


def test_policy_refusals(users, policy):
    with pytest.raises(DomainError):
        safeguards.policy_create(user=users["township"], year=2026, insurer="x", premium=1, payer="1")
    with pytest.raises(DomainError):
        safeguards.policy_create(user=users["command"], year=2026, insurer="人保财险", premium=1, payer="1")
    with pytest.raises(DomainError):
        safeguards.policy_create(user=users["command"], year=2026, insurer="国寿", premium=1, payer="99")
    assert InsurancePolicy.objects.count() == 1


def test_enrol_eligible_and_added_households_then_claim(users, policy, county_layout):
    marginal = county_layout["households"]["v11"]
    MonitoringCaseFactory(household=marginal, state="risk_open", category="M2")
    MonitoringCaseFactory(household=county_layout["households"]["v12"], state="risk_open", category="M3")
    assert safeguards.policy_enroll(user=users["command"], policy=policy) == 1
    assert safeguards.policy_enroll(user=users["command"], policy=policy) == 0
    added = county_layout["households"]["v21"]
    assert safeguards.policy_enroll(user=users["command"], policy=policy, households=[added]) == 1
    assert policy.enrollments.get(household=added).added_by_county
    enrollment = policy.enrollments.get(household=marginal)
    with pytest.raises(DomainError):
        safeguards.claim_create(user=users["command"], enrollment=enrollment, cause="1", amount=0)
    safeguards.claim_create(
        user=users["command"],
        enrollment=enrollment,
        cause="1",
        amount=Decimal("5000"),
        paid_on=datetime.date(2026, 5, 1),
    )
    assert Claim.objects.get().history.exists()


def test_policy_pages(client, users, policy, county_layout):
    client.force_login(users["command"])
    assert "人保财险" in client.get(reverse("petitions:policy_list")).content.decode()
    household = county_layout["households"]["v11"]
    response = client.post(
        reverse("petitions:policy_detail", args=[policy.pk]), {"households": household.number}
    )
    assert response.status_code == 302 and policy.enrollments.filter(household=household).exists()
    enrollment = policy.enrollments.get()
    client.post(
        reverse("petitions:claim_create", args=[policy.pk]),
        {"enrollment": enrollment.pk, "cause": "3", "amount": "800", "paid_on": "2026-07-01"},
    )
    assert Claim.objects.get().cause == "3"
    client.force_login(users["village"])
    page = client.get(reverse("petitions:policy_detail", args=[policy.pk])).content.decode()
    assert household.number in page and "Record a claim" not in page and "登记理赔" not in page


@pytest.fixture
def five_guarantee_person(county_layout):
    household = county_layout["households"]["v11"]
    household.attribute = "3"
    household.save()
    return MemberFactory(household=household, name="罗老五", relation="01")


def test_care_save_rules(users, five_guarantee_person):
    with pytest.raises(DomainError) as error:
        safeguards.care_save(
            user=users["township"],
            member=five_guarantee_person,
            data={"dependency": "fully", "form": "care_home"},
        )
    assert error.value.field == "institution"
    care = safeguards.care_save(
        user=users["township"],
        member=five_guarantee_person,
        data={
            "dependency": "partly",
            "form": "scattered",
            "carer": "罗二",
            "agreement_date": datetime.date(2026, 1, 2),
        },
    )
    assert care.has_agreement
    with pytest.raises(DomainError):
        safeguards.care_save(user=users["department"], member=five_guarantee_person, data={})
    assert Care.objects.count() == 1


def test_care_pages(client, users, five_guarantee_person, county_layout):
    client.force_login(users["village"])
    page = client.get(reverse("petitions:care_list")).content.decode()
    assert "罗老五" in page
    url = reverse("petitions:care_edit", args=[five_guarantee_person.pk])
    response = client.post(url, {"dependency": "fully", "form": "care_home", "institution": "城关敬老院"})
    assert response.status_code == 302
    assert Care.objects.get().institution == "城关敬老院"
    from tests.factories import UserFactory

    other = UserFactory(username="v2", role="village", village=county_layout["villages"]["v21"])
    client.force_login(other)
    assert client.get(url).status_code == 404
