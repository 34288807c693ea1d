"""Phones, 医疗救助 and planned work of demo members, consistent with MB-021, MB-027, MB-030, MB-032.

- A member working outside the township mostly has a phone of their own (never another's), so
  MB-032 (one phone, two work counties) has nothing to find.
- 医疗救助 是 goes to insured members with 大病 and to most 低保/特困 members; everyone else 否.
- An idle adult with labour may plan to work away, always with a 务工需求 (MB-030); nobody
  without labour or in 特困 plans to (MB-027).
- Children of compulsory-school age are all in school in the demo, so nobody needs a
  未上学原因; the planted MB-012/EX-001 flaw keeps its child without one.

`GAPS` names the deliberate gaps: the first suitable household gets each, so the member pages
and the logic checks have something to show. MB-021 is planted by the `no_medical_insurance`
flaw (flaws.py), whose uninsured member is also recorded with 医疗救助.
"""

import random

from households.models import Member

from . import people

GAPS = {
    "reason_contradicts_health": "MB-013",  # 未上学原因 因病 for a healthy 16-18-year-old
    "planned_work_without_need": "MB-030",  # planned work away, 务工需求 left blank
}
ILLNESS_REASON = "1"  # school_absence_reason 因病
AWAY = ("2", "3", "4")  # work_status outside the township
WORK_NEEDS = (
    "电焊工，浙江宁波，需技能培训",
    "建筑工，省内就近，无需培训",
    "家政保洁，县城，需家政培训",
    "餐饮服务，广东东莞",
    "电子厂普工，江苏苏州",
    "快递分拣，郑州，需叉车培训",
    "养殖技术员，本县，需养殖培训",
    "服装缝纫，福建泉州",
)


def fill(ctx, members: list[Member], *, gaps_allowed: bool) -> None:
    """Set the fields on unsaved `members` of one household; plant a gap when one is still due."""
    rng = _rng(ctx)
    for member in members:
        age = people.age_of(member, ctx.as_of)
        adult = age >= 16 and not member.student_status
        if member.work_status in AWAY and rng.random() < 0.9:
            member.phone = ctx.phone(rng)
        member.medical_aid = _medical_aid(rng, member)
        member.plans_work_away = _plans_work(rng, member, age) if adult else None
        member.work_need = rng.choice(WORK_NEEDS) if member.plans_work_away else ""
    if gaps_allowed:
        _plant_gap(ctx, members)


def _rng(ctx) -> random.Random:
    if ctx.member_rng is None:
        # A stream of its own, seeded from the main one without drawing from it, so these
        # fields leave every other demo value as it was before they existed.
        ctx.member_rng = random.Random(
            hash(ctx.rng.getstate()[1])
        )  # a tuple of ints: hashed alike in every run
    return ctx.member_rng


def _medical_aid(rng: random.Random, member: Member) -> bool:
    if member.health == people.SERIOUS and member.medical_insurance:
        return rng.random() < 0.8
    return bool(member.dibao or member.tekun) and rng.random() < 0.7


def _plans_work(rng: random.Random, member: Member, age: int) -> bool:
    idle_with_labour = member.labour in people.HAS_LABOUR and member.work_status == people.NOT_WORKING
    return idle_with_labour and age <= 59 and not member.tekun and rng.random() < 0.5


def _plant_gap(ctx, members: list[Member]) -> None:
    due = [gap for gap in GAPS if gap not in ctx.member_gaps]
    for gap in due:
        member = _GAP_TARGETS[gap](ctx, members)
        if member is not None:
            _GAP_SETTERS[gap](member)
            ctx.member_gaps[gap] = member.person_number
            return


def _healthy_school_leaver(ctx, members):
    return next(
        (
            m
            for m in members
            if 16 <= people.age_of(m, ctx.as_of) <= 18 and not m.student_status and m.health == people.HEALTHY
        ),
        None,
    )


def _planning_member(ctx, members):
    return next((m for m in members if m.plans_work_away), None)


def _healthy_but_ill_reason(member: Member) -> None:
    member.out_of_school_reason = ILLNESS_REASON


def _need_left_blank(member: Member) -> None:
    member.work_need = ""


_GAP_TARGETS = {
    "reason_contradicts_health": _healthy_school_leaver,
    "planned_work_without_need": _planning_member,
}
_GAP_SETTERS = {
    "reason_contradicts_health": _healthy_but_ill_reason,
    "planned_work_without_need": _need_left_blank,
}
