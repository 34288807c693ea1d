"""Households that meet the exit standards, and walking a procedure through its steps."""

import datetime

from django.utils import timezone

from households.services.exit import exit_record_step, exit_start
from tests.factories import HouseholdFactory, IncomeRecordFactory, MemberFactory

# Step n happens on START + OFFSETS[n]; the notice (step 5) runs 7 days.
OFFSETS = {1: 0, 2: 1, 3: 2, 4: 3, 5: 4, 6: 11, 7: 12, 8: 13}
NOTICE_DAYS = 7


def start_day() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=30)


def eligible_household(village, **fields):
    """An adult head, insured, safe house and water, income far above any line."""
    household = HouseholdFactory(
        village=village, is_dangerous_house=False, housing_grade="B", water_safe=True, **fields
    )
    MemberFactory(household=household, name="罗建国")
    IncomeRecordFactory(household=household, year=timezone.localdate().year - 1)
    return household


def step_user(users, number: int):
    if number == 4:
        return users["township"]
    return users["command"] if number >= 6 else users["village"]


def step_kwargs(number: int, start: datetime.date | None = None) -> dict:
    day = (start or start_day()) + datetime.timedelta(days=OFFSETS[number])
    kwargs = {"date": day, "note": f"第{number}步"}
    if number == 5:
        kwargs["end_date"] = day + datetime.timedelta(days=NOTICE_DAYS - 1)
    if number == 6:
        kwargs["details"] = {"document_number": "县指发〔2026〕1号"}
    if number == 7:
        kwargs["details"] = {"archive_ref": "档案-001"}
    return kwargs


def advance(procedure, users, *, to: int, start: datetime.date | None = None):
    """Record every missing step up to `to` (inclusive) with consistent dates."""
    done = set(procedure.steps.values_list("number", flat=True))
    for number in range(1, to + 1):
        if number not in done:
            exit_record_step(
                procedure=procedure,
                number=number,
                user=step_user(users, number),
                **step_kwargs(number, start),
            )
    return procedure


def procedure_at(household, users, *, to: int, year: int | None = None):
    procedure = exit_start(household=household, year=year or timezone.localdate().year, user=users["village"])
    return advance(procedure, users, to=to)
