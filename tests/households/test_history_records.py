"""The household's change trail covers every record of the household, not only household and members."""

import datetime
from decimal import Decimal

import pytest

from households.history import household_history
from households.models import AssistanceMeasure, IncomeRecord, LivingConditions, PublicPost, WorkRecord
from tests.factories import HouseholdFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def household():
    return HouseholdFactory()


def _save(obj, user, reason):
    obj._history_user = user
    obj._change_reason = reason
    obj.save()
    return obj


def _entries_for(household, model):
    record = str(model._meta.verbose_name)
    return [e for e in household_history(household, show_full_ids=True) if e.record == record]


def _label(model, name):
    return str(model._meta.get_field(name).verbose_name)


def test_measure_changes_name_the_member_department_and_labels(household):
    user = UserFactory(last_name="王", first_name="芳")
    member = MemberFactory(household=household, name="李小兵")
    measure = _save(AssistanceMeasure(household=household, category="A02", item="02"), user, "新增措施")
    measure.member = member
    measure.status = "3"
    _save(measure, user, "已停止")
    added, changed = sorted(_entries_for(household, AssistanceMeasure), key=lambda e: e.order)
    assert added.action == "+" and added.who == "王芳"
    assert changed.subject == "李小兵" and changed.reason == "已停止"
    shown = {c.label: (c.old, c.new) for c in changed.changes}
    assert shown[_label(AssistanceMeasure, "member")] == ("—", "李小兵")
    assert shown["状态"] == ("已落实", "已停止")


def test_income_change_shows_the_year_and_the_computed_figures(household):
    user = UserFactory()
    income = _save(
        IncomeRecord(household=household, year=2025, wage_income=Decimal("1000"), member_count_used=2),
        user,
        "",
    )
    income.wage_income = Decimal("3000")
    _save(income, user, "更正工资性收入")
    changed = [e for e in _entries_for(household, IncomeRecord) if e.action == "~"][0]
    assert changed.subject == "2025"
    shown = {c.label: (c.old, c.new) for c in changed.changes}
    assert shown["工资性收入"] == ("1000.00", "3000.00")
    assert shown["人均纯收入"] == ("500.00", "1500.00")


def test_work_records_posts_and_conditions_are_in_the_trail(household):
    user = UserFactory()
    member = MemberFactory(household=household, name="赵强")
    work = _save(WorkRecord(member=member, start_date=datetime.date(2025, 3, 1), county="青山县"), user, "")
    work.end_date = datetime.date(2025, 9, 30)
    _save(work, user, "返乡")
    _save(PublicPost(member=member, post_type="1", hired_on=datetime.date(2025, 1, 1), months=12), user, "")
    conditions = _save(LivingConditions(household=household, road_type="1"), user, "")
    conditions.road_type = "3"
    _save(conditions, user, "道路硬化")
    work_changed = [e for e in _entries_for(household, WorkRecord) if e.action == "~"][0]
    assert work_changed.subject == "赵强"
    assert [(c.old, c.new) for c in work_changed.changes] == [("—", "2025-09-30")]
    assert [e.subject for e in _entries_for(household, PublicPost)] == ["赵强"]
    road = [e for e in _entries_for(household, LivingConditions) if e.action == "~"][0]
    assert [(c.old, c.new) for c in road.changes] == [("泥土路", "水泥路")]


def test_records_of_another_household_stay_out(household):
    other = HouseholdFactory()
    _save(AssistanceMeasure(household=other, category="A01"), UserFactory(), "")
    _save(WorkRecord(member=MemberFactory(household=other), county="青山县"), UserFactory(), "")
    assert _entries_for(household, AssistanceMeasure) == [] and _entries_for(household, WorkRecord) == []
