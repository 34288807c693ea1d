"""Deliberate inconsistencies: about 5% of demo households break one logic check each.

`KINDS` is the catalogue the logic-check work is verified against: each kind names the
check (DOMAIN.md §9) it must raise, and the other checks it may raise alongside.
"""

import datetime
import random
from dataclasses import dataclass

from households.codefields import household_type_for

from . import families, people
from .people import age_of
from .plans import Context, Needs, Plan
from .support import finish_income
from .vocab import DIBAO, EXITED, SKILLS, TRAINING

SHARE = 0.05


@dataclass(frozen=True)
class Kind:
    check: str
    description: str
    needs: Needs = Needs()
    also: tuple[str, ...] = ()


KINDS = {
    "dibao_without_member": Kind(
        "HH-006",
        "低保贫困户 with no member receiving 低保",
        Needs(attribute=DIBAO),
        ("CM-009", "IN-005", "HH-007"),
    ),
    "relation_sex_mismatch": Kind("MB-002", "之子 recorded as female", Needs(child_age=(1, 15))),
    "child_pension": Kind("MB-023", "child aged 8-15 with pension insurance", Needs(child_age=(8, 15))),
    "student_stage_age": Kind("MB-014", "student stage not fitting the age", Needs(child_age=(8, 11))),
    "exited_dangerous_house": Kind(
        "EX-003", "exited household in a C/D house", Needs(exited=True), ("MN-004",)
    ),
    "exited_unsafe_water": Kind(
        "EX-004", "exited household without safe water", Needs(exited=True), ("MN-004",)
    ),
    "exited_low_income": Kind(
        "IN-008",
        "exited household with per-capita income under 4,000",
        Needs(exited=True),
        ("IN-002", "IN-003"),
    ),
    "exit_too_soon": Kind("EX-006", "exit within a few months of identification", Needs(exited=True)),
    "skills_without_training": Kind(
        "CM-003", "cause 缺技术 without a 技能培训 measure", Needs(child_age=(0, 15))
    ),
    "no_medical_insurance": Kind(
        "MB-019",
        "member without basic medical insurance (recorded with 医疗救助)",
        also=("EX-002", "MN-005", "MB-021"),
    ),
    "member_count_mismatch": Kind("HH-003", "家庭人口数 differs from the member count"),
    "child_out_of_school": Kind(
        "MB-012", "child aged 7-15 out of school", Needs(child_age=(7, 15)), ("EX-001", "CM-006")
    ),
}


def choose(rng: random.Random, total: int) -> dict[int, str]:
    """Household index -> kind for round(5%) of `total` households, kinds taken in turn."""
    count = round(total * SHARE)
    order = list(KINDS)
    rng.shuffle(order)
    indexes = sorted(rng.sample(range(total), count)) if count else []
    return {index: order[i % len(order)] for i, index in enumerate(indexes)}


def apply(ctx: Context, plan: Plan, kind: str) -> None:
    globals()[f"_{kind}"](ctx, plan)
    plan.flaw = kind


def _children(ctx: Context, plan: Plan, low: int, high: int):
    found = [
        m
        for m in plan.members
        if m.relation in (families.SON, families.DAUGHTER) and low <= age_of(m, ctx.as_of) <= high
    ]
    if not found:
        raise AssertionError(f"household {plan.household.number} has no child aged {low}-{high}")
    return found


def _dibao_without_member(ctx: Context, plan: Plan) -> None:
    for member in plan.members:
        member.dibao = False


def _relation_sex_mismatch(ctx: Context, plan: Plan) -> None:
    child = _children(ctx, plan, 0, 99)[0]
    child.relation, child.sex = families.SON, families.FEMALE
    child.name = ctx.person_name(child.name[0], families.FEMALE, child.birth_date)
    child.id_number = ctx.ids.make(child.birth_date, families.FEMALE)  # the ID agrees with the sex
    if child.disability_cert:
        child.disability_cert = child.id_number + child.disability_cert[18:]


def _child_pension(ctx: Context, plan: Plan) -> None:
    _children(ctx, plan, 8, 15)[0].pension_insurance = True


def _student_stage_age(ctx: Context, plan: Plan) -> None:
    _children(ctx, plan, 8, 11)[0].student_status = people.STAGES["senior1"]


def _exited_dangerous_house(ctx: Context, plan: Plan) -> None:
    plan.household.is_dangerous_house, plan.household.housing_grade = True, ctx.rng.choice("CD")


def _exited_unsafe_water(ctx: Context, plan: Plan) -> None:
    plan.household.water_safe, plan.household.water_difficult = False, True


def _exited_low_income(ctx: Context, plan: Plan) -> None:
    income = plan.income
    target = ctx.rng.randint(2500, 3900) * income.member_count_used
    factor = target / float(income.net_income)
    for name in ("wage_income", "business_income", "transfer_income", "property_income", "business_expense"):
        setattr(income, name, float(getattr(income, name)) * factor)
    finish_income(income)


def _exit_too_soon(ctx: Context, plan: Plan) -> None:
    household = plan.household
    year = ctx.rng.randint(2016, 2019)
    household.identified_month = datetime.date(year, ctx.rng.randint(1, 6), 1)
    month = household.identified_month.month + ctx.rng.randint(2, 6)
    household.exit_month = datetime.date(year, month, 1)
    household.exit_status = EXITED
    household.household_type = household_type_for(EXITED, household.household_type)
    for measure in plan.measures:
        measure.year = year
        measure.start_date = household.identified_month


def _skills_without_training(ctx: Context, plan: Plan) -> None:
    household = plan.household
    household.main_cause = SKILLS
    household.other_causes = household.other_causes.replace(f";{SKILLS};", ";").strip(";")
    household.other_causes = f";{household.other_causes};" if household.other_causes else ""
    plan.measures = [m for m in plan.measures if m.item != TRAINING] or plan.measures
    for measure in plan.measures:
        if measure.item == TRAINING:  # it was the only one: turn it into industry support
            measure.item, measure.category, measure.description = "01", ctx.item_categories["01"], "产业奖补"


def _no_medical_insurance(ctx: Context, plan: Plan) -> None:
    member = ctx.rng.choice(plan.members)
    member.medical_insurance = False
    member.medical_aid = True  # the MB-021 gap of member_fields.GAPS


def _member_count_mismatch(ctx: Context, plan: Plan) -> None:
    count = len(plan.members)
    plan.household.member_count = count + 1 if count == 1 or ctx.rng.random() < 0.5 else count - 1


def _child_out_of_school(ctx: Context, plan: Plan) -> None:
    child = _children(ctx, plan, 7, 15)[0]
    child.student_status = child.out_of_school_reason = ""  # a reason would excuse the child (MB-012)
