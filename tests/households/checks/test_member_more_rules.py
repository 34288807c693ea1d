"""MB-013, MB-021, MB-027 (planned work), MB-030, MB-032, and 送教上门 counted as enrolled.

Each rule: a record that trips it, a close case that does not, and blank inputs skipped. The
clean family (conftest): head 40 working, spouse 38 not working, a son of 10 in primary school.
"""

import datetime

import pytest

from households.checks.registry import get_rule
from households.models import MonitoringCase, WorkRecord
from households.services.monitoring import elimination_blockers
from tests.factories import UserFactory

from .conftest import TODAY, hits, rules_tripped
from .helpers import exited, set_member

ILLNESS, DISABILITY, LEARNING, TAUGHT_AT_HOME = "1", "2", "3", "6"


def out_of_school(family, reason, **fields):
    set_member(family.child, student_status="", out_of_school_reason=reason, **fields)


def messages(household, rule_id):
    return sorted(hit.message for hit, _severity in hits(household, rule_id).values())


# ------------------------------------------------------------------ MB-013


@pytest.mark.parametrize(("reason", "label"), [(ILLNESS, "因病"), (DISABILITY, "因残")])
def test_mb013_illness_or_disability_reason_while_healthy(family, reason, label):
    out_of_school(family, reason, health="1")
    [text] = messages(family.household, "MB-013")
    assert "罗小明" in text and label in text
    assert set(hits(family.household, "MB-013")) == {("MB-013", family.child.pk)}


def test_mb013_not_when_the_child_is_ill_or_the_reason_is_another(family):
    out_of_school(family, ILLNESS, health="3")
    assert rules_tripped(family.household, "MB-013") == set()
    out_of_school(family, LEARNING, health="1")
    assert rules_tripped(family.household, "MB-013") == set()


def test_mb013_skips_a_blank_reason_or_blank_health(family):
    out_of_school(family, "", health="1")
    assert rules_tripped(family.household, "MB-013") == set()
    out_of_school(family, ILLNESS, health="")
    assert rules_tripped(family.household, "MB-013") == set()


def test_mb013_is_an_error_that_is_applicable():
    item = get_rule("MB-013")
    assert item.applicable and item.severity == "E"


# ------------------------------------------------------------------ MB-012 and the enrolled rule


@pytest.mark.parametrize("reason", [ILLNESS, LEARNING, TAUGHT_AT_HOME])
def test_mb012_not_for_a_child_with_a_reason(family, reason):
    out_of_school(family, reason, health="3")
    assert rules_tripped(family.household, "MB-012") == set()


def test_mb012_still_reports_a_child_without_stage_or_reason(family):
    out_of_school(family, "")
    assert rules_tripped(family.household, "MB-012") == {"MB-012"}


def test_ex001_counts_taught_at_home_as_enrolled(family):
    exited(family)
    out_of_school(family, TAUGHT_AT_HOME, health="4")
    assert rules_tripped(family.household, "EX-001") == set()


@pytest.mark.parametrize("reason", [ILLNESS, ""])
def test_ex001_reports_any_other_reason_or_none(family, reason):
    exited(family)
    out_of_school(family, reason, health="3")
    assert set(hits(family.household, "EX-001")) == {("EX-001", family.child.pk)}


def _eliminated_case(family) -> MonitoringCase:
    return MonitoringCase.objects.create(
        household=family.household,
        state="risk_eliminated",
        channel="2",
        category="M1",
        clue_date=datetime.date(2025, 5, 1),
        identified_on=datetime.date(2025, 6, 10),
        eliminated_on=datetime.date(2026, 1, 15),
        elimination_method="1",
        post_income_per_capita=9000,
        post_guarantees_secure=True,
        contact_name="吴帮扶",
        contact_phone="13900139000",
        risks="R07",
        created_by=UserFactory(),
    )


@pytest.mark.parametrize(("reason", "reported"), [(TAUGHT_AT_HOME, False), (ILLNESS, True)])
def test_mn021_and_elimination_blockers_treat_taught_at_home_as_enrolled(family, reason, reported):
    out_of_school(family, reason, health="4")
    case = _eliminated_case(family)
    child_hit = ("MN-021", family.child.pk) in hits(family.household, "MN-021")
    assert child_hit is reported
    blockers = elimination_blockers(case, TODAY)
    assert any("out of school" in b or "未上学" in b or "失学" in b for b in blockers) is reported


# ------------------------------------------------------------------ MB-021


def test_mb021_medical_aid_without_insurance_is_a_warning(family):
    set_member(family.spouse, medical_insurance=False, medical_aid=True)
    found = hits(family.household, "MB-021")
    assert set(found) == {("MB-021", family.spouse.pk)}
    assert get_rule("MB-021").severity == "W"


@pytest.mark.parametrize(("insured", "aid"), [(True, True), (False, False), (None, True), (False, None)])
def test_mb021_close_and_blank_cases(family, insured, aid):
    set_member(family.spouse, medical_insurance=insured, medical_aid=aid)
    assert rules_tripped(family.household, "MB-021") == set()


# ------------------------------------------------------------------ MB-027 (planned work)


@pytest.mark.parametrize("fields", [{"labour": "5"}, {"labour": "3"}, {"labour": "2", "tekun": True}])
def test_mb027_planned_work_without_labour_or_with_tekun(family, fields):
    set_member(family.spouse, plans_work_away=True, **fields)
    [text] = messages(family.household, "MB-027")
    assert text.startswith("潘秀兰")


def test_mb027_not_for_planned_work_with_labour_or_blank_plan(family):
    set_member(family.spouse, plans_work_away=True, labour="2")
    assert rules_tripped(family.household, "MB-027") == set()
    set_member(family.spouse, plans_work_away=None, labour="5")
    assert rules_tripped(family.household, "MB-027") == set()
    set_member(family.spouse, plans_work_away=False, labour="5")
    assert rules_tripped(family.household, "MB-027") == set()


def test_mb027_reports_a_worker_who_also_plans_only_once(family):
    set_member(family.head, plans_work_away=True, labour="5")
    assert set(hits(family.household, "MB-027")) == {("MB-027", family.head.pk)}


# ------------------------------------------------------------------ MB-030


def test_mb030_planned_work_without_need(family):
    set_member(family.spouse, plans_work_away=True, work_need="")
    assert set(hits(family.household, "MB-030")) == {("MB-030", family.spouse.pk)}


@pytest.mark.parametrize(("plans", "need"), [(True, "电焊工，广东，需培训"), (False, ""), (None, "")])
def test_mb030_close_and_blank_cases(family, plans, need):
    set_member(family.spouse, plans_work_away=plans, work_need=need)
    assert rules_tripped(family.household, "MB-030") == set()


# ------------------------------------------------------------------ MB-032

PHONE = "13912345678"


def work(member, county, start=datetime.date(2025, 3, 1), end=None):
    return WorkRecord.objects.create(member=member, county=county, start_date=start, end_date=end)


def shared_phone(family, phone=PHONE):
    set_member(family.head, phone=phone)
    set_member(family.spouse, phone=phone)


def test_mb032_shared_phone_in_different_counties_hits_each_member(family):
    shared_phone(family)
    work(family.head, "东莞市")
    work(family.spouse, "淮滨县")
    found = hits(family.household, "MB-032")
    assert set(found) == {("MB-032", family.head.pk), ("MB-032", family.spouse.pk)}
    for text in messages(family.household, "MB-032"):
        assert PHONE in text and "东莞市" in text and "淮滨县" in text


def test_mb032_not_when_both_work_in_the_same_county(family):
    shared_phone(family)
    work(family.head, "东莞市")
    work(family.spouse, "东莞市")
    assert rules_tripped(family.household, "MB-032") == set()


def test_mb032_reads_the_latest_current_record(family):
    shared_phone(family)
    work(family.head, "东莞市")
    work(family.spouse, "淮滨县", start=datetime.date(2024, 1, 1), end=datetime.date(2026, 12, 31))
    work(family.spouse, "东莞市", start=datetime.date(2025, 6, 1))
    assert rules_tripped(family.household, "MB-032") == set()


def test_mb032_ignores_ended_work_and_different_phones(family):
    shared_phone(family)
    work(family.head, "东莞市")
    work(family.spouse, "淮滨县", end=TODAY - datetime.timedelta(days=1))
    assert rules_tripped(family.household, "MB-032") == set()
    WorkRecord.objects.filter(member=family.spouse).update(end_date=TODAY)
    assert rules_tripped(family.household, "MB-032") == {"MB-032"}
    set_member(family.spouse, phone="13712345678")
    assert rules_tripped(family.household, "MB-032") == set()


def test_mb032_skips_blank_phones_and_blank_counties(family):
    shared_phone(family, phone="")
    work(family.head, "东莞市")
    record = work(family.spouse, "淮滨县")
    assert rules_tripped(family.household, "MB-032") == set()
    shared_phone(family)
    record.county = ""
    record.save()
    assert rules_tripped(family.household, "MB-032") == set()


@pytest.mark.parametrize("rule_id", ["MB-013", "MB-021", "MB-030", "MB-032"])
def test_the_new_rules_are_applicable_with_a_blank_note(rule_id):
    item = get_rule(rule_id)
    assert item.applicable and str(item.blank_note)
