"""Demo exit procedures (退出程序) and this year's milestones.

This year: up to `CURRENT` households not yet exited get a procedure at varied steps (those
failing an exit standard stay at "started", since step 1 would be refused); a few have the
appraisal rejected or an open cross-check problem; those at step 8 are marked exited. Earlier
exits: households already exited get a complete procedure in their exit year, a few without
the household's signature (EX-009). Dates follow the step order and the notice period.
The year's milestones lie around `as_of` (one past, the others ahead) so the village view and
the alerts have something to show whatever the day the demo is built.
A random stream of its own, so the register the main stream builds stays as it was.
"""

import datetime
import random

from django.db.models import Case, IntegerField, Value, When
from simple_history.utils import bulk_create_with_history

from households.codefields import household_type_for
from households.exit_queries import DEFAULT_MILESTONES
from households.models import ExitMilestone, ExitProcedure, ExitStep, Household
from households.services.exit import EXITED_STATUS, exit_standard_failures

from .writer import CHANGE_REASON

TOTAL = 40
CURRENT = 32
# Step reached by the n-th eligible household this year (cycled); negative: stopped at that step.
REACHED = (1, 2, 3, 3, 4, 5, 5, 6, 7, 8, 1, 3, -2, -3, 4, 2, 8, 5)
GAPS = {2: 2, 3: 3, 4: 2, 5: 2, 6: 2, 7: 2, 8: 1}  # days after the previous step (5: after its notice)
NOTICE_DAYS = 7
MILESTONE_OFFSETS = (-5, 3, 6, 12)  # days from as_of, per level of DEFAULT_MILESTONES
NOTES = {
    1: "入户核实收入、两不愁三保障和饮水情况，家庭成员逐一核对",
    2: "村两委、村民代表和驻村工作队参加民主评议",
    3: "邻村交叉检查组入户复核",
    4: "乡镇审核，报县审定名单",
    5: "村内张榜公示，县级公告",
    6: "县指挥部核查批准",
    7: "退出资料装订归档",
    8: "全国系统标注脱贫",
}


def build_exit_demo(accounts: dict, layout, *, as_of: datetime.date, seed: int) -> int:
    """Create the demo procedures (about TOTAL) and this year's milestones; returns the count."""
    rng = random.Random(f"exit-{seed}")
    _milestones(as_of)
    home = (layout.home_village.pk, layout.home_township.pk)
    procedures = _this_year(accounts, *home, as_of, rng)
    procedures += _earlier_exits(accounts, TOTAL - procedures, rng)
    return procedures


def _milestones(as_of: datetime.date) -> None:
    first, last = datetime.date(as_of.year, 1, 1), datetime.date(as_of.year, 12, 31)
    for (level, step, _month, _day), offset in zip(DEFAULT_MILESTONES, MILESTONE_OFFSETS, strict=True):
        due = min(max(as_of + datetime.timedelta(days=offset), first), last)
        ExitMilestone.objects.update_or_create(
            year=as_of.year, level=level, defaults={"last_step": step, "due_date": due}
        )


def _recorder(accounts, household, number, home_village_id, home_township_id):
    """The demo account whose role records the step (superuser outside the demo cadres' scope)."""
    if number >= 6:
        return accounts["command"]
    if household.village_id == home_village_id and number != 4:
        return accounts["village"]
    if household.village.township_id == home_township_id:
        return accounts["township"]
    return accounts["admin"]


def _step_rows(procedure, household, reached, start, recorder, rng) -> list[ExitStep]:
    stopped_at = -reached if reached < 0 else None
    last = stopped_at or reached
    steps, day = [], start
    for number in range(1, last + 1):
        if number > 1:
            day += datetime.timedelta(days=GAPS[number] + rng.randint(0, 1))
        end_date = day + datetime.timedelta(days=NOTICE_DAYS - 1) if number == 5 else None
        details = {}
        if number == 3:
            details["checkers"] = "邻村交叉检查组"
        if number == 6:
            details["document_number"] = f"县指发〔{start.year}〕{rng.randint(10, 99)}号"
        if number == 7:
            details["archive_ref"] = f"TP-{start.year}-{household.number[-6:]}"
        steps.append(
            ExitStep(
                procedure=procedure,
                number=number,
                date=day,
                end_date=end_date,
                passed=number != stopped_at,
                user=recorder(number),
                note=NOTES[number] if number != stopped_at else "发现问题，暂缓退出",
                details=details,
            )
        )
        if end_date:
            day = end_date
    return steps


def _this_year(accounts, home_village_id, home_township_id, as_of, rng) -> int:
    home_first = Case(
        When(village_id=home_village_id, then=Value(0)),
        When(village__township_id=home_township_id, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    candidates = (
        Household.objects.filter(exit_status="0", exit_procedures__isnull=True)
        .select_related("village")
        .annotate(home=home_first)
        .order_by("home", "village__code", "number")[:CURRENT]
    )
    procedures, steps, marked, eligible = [], [], [], 0
    for household in candidates:
        if exit_standard_failures(household, year=as_of.year, today=as_of):
            reached = 0
        else:
            reached = REACHED[eligible % len(REACHED)]
            eligible += 1
        starter = _recorder(accounts, household, 1, home_village_id, home_township_id)
        procedure = ExitProcedure(household=household, year=as_of.year, started_by=starter)
        if reached == 8:
            procedure.household_signed = rng.random() > 0.2
            procedure.signature_note = "" if procedure.household_signed else "户主外出务工，未能签字"
        procedures.append(procedure)
        start = as_of - datetime.timedelta(days=rng.randint(30, 38))  # step 8 at most 27 days later

        def recorder(number, household=household):
            return _recorder(accounts, household, number, home_village_id, home_township_id)

        steps += _step_rows(procedure, household, reached, start, recorder, rng)
        if reached == 8:
            marked.append((household, steps[-1].date))
    _save(procedures, steps, accounts["command"])
    for household, day in marked:
        household.exit_status = EXITED_STATUS
        household.household_type = household_type_for(EXITED_STATUS, household.household_type)
        household.exit_month = day.replace(day=1)
        household._history_user = accounts["command"]
        household._change_reason = CHANGE_REASON
        household.save(update_fields=["exit_status", "household_type", "exit_month", "updated_at"])
    return len(procedures)


def _earlier_exits(accounts, count: int, rng) -> int:
    if count <= 0:
        return 0
    exited = (
        Household.objects.filter(
            exit_status=EXITED_STATUS, exit_month__isnull=False, exit_procedures__isnull=True
        )
        .select_related("village")
        .order_by("village__code", "number")[:count]
    )
    procedures, steps = [], []
    for index, household in enumerate(exited):
        signed = index % 7 != 3
        procedure = ExitProcedure(
            household=household,
            year=household.exit_month.year,
            started_by=accounts["command"],
            household_signed=True if signed else None,
        )
        procedures.append(procedure)
        rows = _step_rows(procedure, household, 8, household.exit_month, lambda _n: accounts["command"], rng)
        # Shift the walk so that step 8 falls in the household's exit month.
        shift = household.exit_month + datetime.timedelta(days=rng.randint(5, 20)) - rows[-1].date
        for row in rows:
            row.date += shift
            row.end_date = row.end_date + shift if row.end_date else None
        steps += rows
    _save(procedures, steps, accounts["command"])
    return len(procedures)


def _save(procedures, steps, user) -> None:
    bulk_create_with_history(
        procedures, ExitProcedure, default_user=user, default_change_reason=CHANGE_REASON
    )
    for step in steps:  # bulk_create set the procedures' keys
        step.procedure_id = step.procedure.pk
    bulk_create_with_history(steps, ExitStep, default_user=user, default_change_reason=CHANGE_REASON)
