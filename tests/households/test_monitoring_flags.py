import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from households.models import Household, IncomeRecord, MonitoringCase
from households.monitoring_flags import flagged, household_flags, township_counts
from povertycase.core.models import Parameter
from tests.factories import HouseholdFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def income(household, year=2024, *, wage=0, transfer=0, members=1):
    return IncomeRecord.objects.create(
        household=household, year=year, wage_income=wage, transfer_income=transfer, member_count_used=members
    )


def keys(household):
    return {f.key for f in household_flags(household)}


def exited(**fields):
    household = HouseholdFactory(exit_status="1", household_type="2", **fields)
    MemberFactory(household=household, labour="2")
    return household


def pks(key):
    return set(flagged(Household.objects.all(), key).values_list("pk", flat=True))


def test_low_income_uses_the_latest_record_and_the_county_line():
    poor, fine, recovered = exited(), exited(), exited()
    income(poor, wage=7000)
    income(fine, wage=8000)
    income(recovered, 2023, wage=3000)
    income(recovered, 2024, wage=9000)
    assert pks("low_income") == {poor.pk}
    Parameter.objects.filter(name="monitoring_low_income").update(value=8500)
    assert pks("low_income") == {poor.pk, fine.pk}


def test_low_income_falls_back_to_the_monitoring_range_of_the_year():
    Parameter.objects.filter(name="monitoring_low_income").delete()
    in_2022, in_2024 = exited(), exited()
    income(in_2022, 2022, wage=6500)  # range 2022: 6600
    income(in_2024, 2024, wage=7200)  # range 2024: 7500
    assert pks("low_income") == {in_2022.pk, in_2024.pk}
    Parameter.objects.filter(name="monitoring_range", year=2022).update(value=6000)
    assert pks("low_income") == {in_2024.pk}


def test_low_income_counts_only_exited_households_without_social_protection():
    not_exited = HouseholdFactory(exit_status="0")
    dibao_attribute = exited(attribute="2")
    dibao_member = exited()
    MemberFactory(household=dibao_member, relation="03", dibao=True)
    tekun_member = exited()
    MemberFactory(household=tekun_member, relation="03", tekun=True)
    departed_dibao = exited()
    MemberFactory(household=departed_dibao, relation="03", dibao=True, status="2")
    for household in (not_exited, dibao_attribute, dibao_member, tekun_member, departed_dibao):
        income(household, wage=3000)
    assert pks("low_income") == {departed_dibao.pk}


def test_transfer_share_above_the_parameter():
    heavy, light, empty = HouseholdFactory(), HouseholdFactory(), HouseholdFactory()
    income(heavy, wage=4000, transfer=6000)
    income(light, wage=6000, transfer=4000)
    income(empty)
    assert pks("transfer_share") == {heavy.pk}
    Parameter.objects.filter(name="transfer_income_share").update(value=30)
    assert pks("transfer_share") == {heavy.pk, light.pk}


def test_serious_illness_only_for_members_on_the_register():
    ill, departed, healthy = HouseholdFactory(), HouseholdFactory(), HouseholdFactory()
    MemberFactory(household=ill, health="3")
    MemberFactory(household=departed, health="3", status="2")
    MemberFactory(household=healthy, health="2")
    assert pks("serious_illness") == {ill.pk}


def test_no_labour_when_no_active_member_has_a_labour_code():
    weak, able, empty = HouseholdFactory(), HouseholdFactory(), HouseholdFactory()
    MemberFactory(household=weak, labour="3")
    MemberFactory(household=weak, labour="1", relation="03", status="2")  # departed
    MemberFactory(household=able, labour="5")
    MemberFactory(household=able, labour="1", relation="03")
    assert pks("no_labour") == {weak.pk}
    assert empty.pk not in pks("no_labour")


def test_sudden_hardship_by_income_drop_or_an_m3_case():
    dropped, steady, single, m3 = (HouseholdFactory() for _ in range(4))
    income(dropped, 2023, wage=10000)
    income(dropped, 2024, wage=4900)
    income(steady, 2023, wage=10000)
    income(steady, 2024, wage=5100)
    income(single, 2024, wage=100)
    MonitoringCase.objects.create(
        household=m3,
        state="risk_open",
        category="M3",
        channel="2",
        clue_date="2024-01-01",
        clue_text="车祸",
        created_by=UserFactory(),
    )
    assert pks("sudden_hardship") == {dropped.pk, m3.pk}


def test_household_flags_in_one_query():
    household = exited()
    MemberFactory(household=household, relation="03", health="3")
    income(household, wage=3000, transfer=4000)
    with CaptureQueriesContext(connection) as queries:
        found = keys(household)
    assert found == {"low_income", "transfer_share", "serious_illness"}
    assert len(queries.captured_queries) == 1  # the parameters are read inside the same query


def test_township_counts(county_layout):
    households = county_layout["households"]
    MemberFactory(household=households["v11"], health="3", labour="5")
    MemberFactory(household=households["v12"], health="3")
    MemberFactory(household=households["v21"], labour="5")
    rows = {
        row["township"]: dict((f.key, n) for f, n in row["counts"])
        for row in township_counts(Household.objects.all())
    }
    assert rows["青石镇"]["serious_illness"] == 2 and rows["青石镇"]["no_labour"] == 1
    assert rows["白云乡"]["serious_illness"] == 0 and rows["白云乡"]["no_labour"] == 1
