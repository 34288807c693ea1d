"""A clean household that no rule trips, and a helper to run chosen rules over it."""

import datetime
from dataclasses import dataclass

import pytest

from households.checks.runner import find_hits
from households.models import AssistanceMeasure, Household, Member
from tests.factories import HouseholdFactory, IncomeRecordFactory, MemberFactory, unique_id_number

TODAY = datetime.date(2026, 6, 1)


def person(household, *, relation, sex, birth, **fields) -> Member:
    return MemberFactory(
        household=household,
        relation=relation,
        sex=sex,
        id_number=unique_id_number(birth=birth, sex=sex),
        name=fields.pop("name", f"成员{relation}"),
        **fields,
    )


@dataclass
class Family:
    household: Household
    head: Member
    spouse: Member
    child: Member

    def refresh(self):
        for obj in (self.household, self.head, self.spouse, self.child):
            obj.refresh_from_db()


@pytest.fixture
def family(db) -> Family:
    """Head 40, spouse 38, a son of 10 in primary school; cause 缺土地 with industry support."""
    household = HouseholdFactory(
        head_name="罗建国",
        main_cause="05",
        member_count=3,
        phone="13800138000",
        helper_name="吴帮扶",  # VS-001: the register names a helper
        identified_month=datetime.date(2016, 3, 1),
        is_dangerous_house=False,
        housing_grade="",
        water_safe=True,
        has_electricity=True,
    )
    head = person(
        household, relation="01", sex="1", birth=datetime.date(1986, 2, 1), name="罗建国", work_status="1"
    )
    spouse = person(
        household, relation="02", sex="2", birth=datetime.date(1988, 3, 1), name="潘秀兰", work_status="0"
    )
    child = person(
        household,
        relation="03",
        sex="1",
        birth=datetime.date(2016, 1, 10),
        name="罗小明",
        education="30",
        student_status="20",
        labour="5",
        pension_insurance=False,
    )
    AssistanceMeasure.objects.create(household=household, category="A01", item="01", year=2016)
    IncomeRecordFactory(household=household, year=2020, member_count_used=3)
    return Family(household, head, spouse, child)


def hits(household, rule_id=None, *, today=TODAY):
    """{(rule_id, member_id)} tripped for `household` (only `rule_id` when given)."""
    result = find_hits(households=[household], today=today, rule_ids={rule_id} if rule_id else None)
    return {(rid, member_id): found for (rid, _hh, member_id), found in result.hits.items()}


def rules_tripped(household, rule_id=None, **kwargs) -> set[str]:
    return {rid for rid, _member in hits(household, rule_id, **kwargs)}


def save(*objects):
    for obj in objects:
        obj.save()
