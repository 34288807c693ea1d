"""Reads of the exit procedure: procedures in scope, the step each reached, the milestones.

A procedure "reached" step n when steps 1…n are recorded; it is "stopped" when the democratic
appraisal rejected the exit. Its due date is that of the first milestone (by `last_step`)
covering the next step; it is overdue when that date has passed.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from .models import ExitMilestone, ExitProcedure, ExitStep, ExitStepNumber, MilestoneLevel
from .queries import households_visible_to

# §4.3 (seed 003, 2020) mapped onto the eight steps; the command office sets the dates per year.
DEFAULT_MILESTONES = (
    (MilestoneLevel.VILLAGE, ExitStepNumber.CROSS_CHECK, 10, 20),
    (MilestoneLevel.TOWNSHIP, ExitStepNumber.NOTICE, 10, 31),
    (MilestoneLevel.COUNTY, ExitStepNumber.APPROVAL, 11, 10),
    (MilestoneLevel.SYSTEM, ExitStepNumber.MARKING, 11, 20),
)
LEVEL_LABELS = {
    MilestoneLevel.VILLAGE: _("village level"),
    MilestoneLevel.TOWNSHIP: _("township level"),
    MilestoneLevel.COUNTY: _("county level"),
    MilestoneLevel.SYSTEM: _("system marking"),
}
LEVEL_STEPS = {level: step for level, step, _month, _day in DEFAULT_MILESTONES}
NOT_STARTED = 0
STEP_FILTER_CHOICES = [(str(NOT_STARTED), _("not started"))] + [
    (str(number), f"{number} {label}") for number, label in ExitStepNumber.choices
]


def procedures_visible_to(user) -> QuerySet[ExitProcedure]:
    return ExitProcedure.objects.filter(household__in=households_visible_to(user).values("pk"))


def with_progress(qs: QuerySet[ExitProcedure]) -> QuerySet[ExitProcedure]:
    """Annotate `reached` (highest step recorded, 0 for none), `last_date` and `stopped`.

    Subqueries rather than aggregates, so the counts per step can group on `reached`."""
    steps = ExitStep.objects.filter(procedure=OuterRef("pk")).order_by("-number")
    rejected = steps.filter(number=ExitStepNumber.APPRAISAL, passed=False)
    top = Subquery(steps.values("number")[:1])
    return qs.annotate(
        reached=Coalesce(top, Value(NOT_STARTED), output_field=IntegerField()),
        last_date=Subquery(steps.values("date")[:1]),
        stopped=Exists(rejected),
    )


def step_counts(qs: QuerySet[ExitProcedure]) -> dict[int, int]:
    """{step reached: procedures} over `qs` (already annotated by `with_progress`)."""
    rows = qs.order_by().values("reached").annotate(n=Count("pk"))
    counts = dict.fromkeys(range(NOT_STARTED, ExitStepNumber.MARKING + 1), 0)
    for row in rows:
        counts[row["reached"]] = row["n"]
    return counts


def default_milestones(year: int) -> list[ExitMilestone]:
    return [
        ExitMilestone(year=year, level=level, last_step=step, due_date=datetime.date(year, month, day))
        for level, step, month, day in DEFAULT_MILESTONES
    ]


def milestones_of(year: int) -> list[ExitMilestone]:
    """The year's stored milestones ordered by the steps they cover."""
    return sorted(ExitMilestone.objects.filter(year=year), key=lambda m: m.last_step)


@dataclass(frozen=True)
class Due:
    milestone: ExitMilestone | None
    overdue: bool

    @property
    def date(self):
        return self.milestone.due_date if self.milestone else None


def due_for(reached: int, stopped: bool, milestones: list[ExitMilestone], today: datetime.date) -> Due:
    """The milestone the procedure works towards next, and whether it is already past."""
    if stopped or reached >= ExitStepNumber.MARKING:
        return Due(None, False)
    milestone = next((m for m in milestones if m.last_step > reached), None)
    return Due(milestone, bool(milestone and milestone.due_date < today))


def overdue_filter(milestones: list[ExitMilestone], today: datetime.date) -> Q:
    """Procedures behind some milestone already past (for an annotated queryset)."""
    behind = Q(pk__in=[])
    for milestone in milestones:
        if milestone.due_date < today:
            behind |= Q(reached__lt=milestone.last_step)
    return behind & Q(stopped=False)
