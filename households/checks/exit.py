"""EX-001…EX-010: households that exited (脱贫) against the standards (DOMAIN.md §9.6, §4)."""

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from households.models import ExitMilestone, ExitProcedure, ExitStep, ExitStepNumber

from .base import codes_where, enrolled_q, exited_codes, household_hits, member_hits, month_index
from .registry import ERROR, WARNING, Hit, Param, rule

POOR_TYPE = "1"  # household_type 贫困户: not yet exited


def _exited_members(ctx):
    return ctx.members().filter(household__exit_status__in=exited_codes())


@rule(
    "EX-001",
    _lazy("Exited household with a child of compulsory-school age out of school"),
    severity=ERROR,
    fields=("exit_status", "student_status", "birth_date"),
    source="nat; fp 5_15_016",
    params=(
        Param("min_age", 7, _lazy("youngest age checked"), parameter="compulsory_school_age_min"),
        Param("max_age", 15, _lazy("oldest age checked"), parameter="compulsory_school_age_max"),
    ),
)
def exited_child_out_of_school(ctx):
    rows = _exited_members(ctx).filter(ctx.age_between(ctx.params["min_age"], ctx.params["max_age"]))
    return member_hits(ctx, rows.exclude(enrolled_q()))  # 送教上门 counts as enrolled


@rule(
    "EX-002",
    _lazy("Exited household with a member without basic medical insurance"),
    severity=ERROR,
    fields=("exit_status", "medical_insurance"),
    source="fp 2_01_016",
)
def exited_uninsured(ctx):
    return member_hits(ctx, _exited_members(ctx).filter(medical_insurance=False))


@rule(
    "EX-003",
    _lazy("Exited household living in a dangerous (C/D) house"),
    severity=ERROR,
    fields=("exit_status", "housing_grade", "is_dangerous_house"),
    source="s001; nat",
)
def exited_dangerous_house(ctx):
    dangerous = Q(housing_grade__in=codes_where("housing_grade", "dangerous")) | Q(is_dangerous_house=True)
    return household_hits(ctx, ctx.exited().filter(dangerous))


@rule(
    "EX-004",
    _lazy("Exited household without safe drinking water"),
    severity=ERROR,
    fields=("exit_status", "water_safe"),
    source="s001; s004",
)
def exited_unsafe_water(ctx):
    return household_hits(ctx, ctx.exited().filter(water_safe=False))


@rule(
    "EX-005",
    _lazy("Exited household without household electricity"),
    severity=ERROR,
    fields=("exit_status", "has_electricity"),
    source="fp 2_02_002",
)
def exited_without_power(ctx):
    return household_hits(ctx, ctx.exited().filter(has_electricity=False))


@rule(
    "EX-006",
    _lazy("Exit too soon after identification"),
    severity=WARNING,
    fields=("identified_month", "exit_month"),
    source="s001",
    params=(
        Param(
            "min_months",
            12,
            _lazy("minimum months from identification to exit"),
            parameter="min_months_registration_to_exit",
        ),
    ),
)
def exit_too_soon(ctx):
    rows = ctx.exited().filter(identified_month__isnull=False, exit_month__isnull=False)
    rows = rows.annotate(months=month_index("exit_month") - month_index("identified_month"))
    rows = rows.filter(months__gte=0, months__lt=ctx.params["min_months"])
    for pk, months in rows.values_list("pk", "months"):
        yield Hit(
            pk,
            None,
            _("exited %(months)s months after identification (at least %(min)s)")
            % {"months": months, "min": ctx.params["min_months"]},
        )


@rule(
    "EX-010",
    _lazy("Exit month before identification, or exit status contradicting the household type"),
    severity=ERROR,
    fields=("identified_month", "exit_month", "exit_status", "household_type"),
    source="nat",
)
def exit_dates_and_status(ctx):
    households = ctx.households
    early = households.filter(exit_month__lt=F("identified_month"))
    yield from household_hits(ctx, early, _("exit month is before the identification month"))
    still_poor = households.filter(exit_status__in=exited_codes(), household_type=POOR_TYPE)
    yield from household_hits(ctx, still_poor, _("exited but the household type is still 贫困户"))
    not_exited = households.exclude(exit_status__in=exited_codes()).filter(exit_month__isnull=False)
    yield from household_hits(ctx, not_exited, _("not exited but an exit month is recorded"))


# ------------------------------------------------------------------ the exit procedure (退出程序)


def _procedures(ctx):
    return ExitProcedure.objects.filter(household__in=ctx.household_ids)


def _marked(ctx):
    """Procedures whose step 8 (system marking) is recorded."""
    marking = ExitStep.objects.filter(procedure=OuterRef("pk"), number=ExitStepNumber.MARKING)
    return _procedures(ctx).filter(Exists(marking))


@rule(
    "EX-007",
    _lazy("System marking (step 8) without steps 1–7, or step dates out of order"),
    severity=ERROR,
    fields=("exit procedure",),
    source="s003",
)
def marking_without_steps(ctx):
    missing = _marked(ctx).annotate(
        earlier=Count("steps", filter=Q(steps__number__lt=ExitStepNumber.MARKING), distinct=True)
    )
    missing = missing.filter(earlier__lt=ExitStepNumber.MARKING - 1)
    for household_id, year, earlier in missing.values_list("household_id", "year", "earlier"):
        yield Hit(
            household_id,
            None,
            _("%(year)s: marked as exited with only %(count)s of steps 1–7 recorded")
            % {"year": year, "count": earlier},
        )
    later_but_earlier = ExitStep.objects.filter(
        procedure=OuterRef("procedure"), number__gt=OuterRef("number"), date__lt=OuterRef("date")
    )
    disordered = ExitStep.objects.filter(procedure__in=_procedures(ctx).values("pk")).filter(
        Exists(later_but_earlier)
    )
    for household_id, year in disordered.values_list("procedure__household_id", "procedure__year").distinct():
        yield Hit(household_id, None, _("%(year)s: exit step dates out of order") % {"year": year})


def _deadline_q(milestones: dict) -> Q:
    """Steps dated after the due date of the first milestone covering them, per year."""
    late = Q(pk__in=[])
    for year, rows in milestones.items():
        for number in ExitStepNumber.values:
            covering = next((m for m in rows if m.last_step >= number), None)
            if covering:
                late |= Q(procedure__year=year, number=number, date__gt=covering.due_date)
    return late


@rule(
    "EX-008",
    _lazy("An exit step finished after its campaign deadline"),
    severity=WARNING,
    fields=("exit procedure",),
    source="s003",
)
def step_after_deadline(ctx):
    milestones = {}
    for milestone in ExitMilestone.objects.order_by("year", "last_step"):
        milestones.setdefault(milestone.year, []).append(milestone)
    if not milestones:
        return
    late = ExitStep.objects.filter(procedure__in=_procedures(ctx).values("pk")).filter(
        _deadline_q(milestones)
    )
    by_household = {}
    for household_id, number, date in late.order_by("number").values_list(
        "procedure__household_id", "number", "date"
    ):
        by_household.setdefault(household_id, []).append(f"{number}（{date:%Y-%m-%d}）")
    for household_id, steps in by_household.items():
        yield Hit(
            household_id,
            None,
            _("steps finished after their deadline: %(steps)s") % {"steps": "、".join(steps)},
        )


@rule(
    "EX-009",
    _lazy("Exit without the household's signature or recognition"),
    severity=WARNING,
    fields=("exit signature",),
    source="s000, s004",
)
def exit_without_signature(ctx):
    unsigned = _marked(ctx).filter(household__exit_status__in=exited_codes()).exclude(household_signed=True)
    for household_id, year, signed, note in unsigned.values_list(
        "household_id", "year", "household_signed", "signature_note"
    ):
        if signed is False:
            message = _("%(year)s: the household refused to sign (%(note)s)") % {"year": year, "note": note}
        else:
            message = _("%(year)s: no household signature recorded") % {"year": year}
        yield Hit(household_id, None, message)
