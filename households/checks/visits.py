"""VS-001…VS-005: helpers and visits (DOMAIN.md §9.8); VS-005 is catalogued as not applicable."""

import datetime

from django.db.models import BooleanField, Case, Count, F, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from households.models import Household, Visit

from .base import exited_codes, household_hits
from .registry import BLANK_IS_ERROR, ERROR, WARNING, Hit, Param, not_applicable, rule


@rule(
    "VS-001",
    _lazy("Registered or monitored household without an active helper"),
    severity=ERROR,
    fields=("helper",),
    source="s001",
    blank=BLANK_IS_ERROR,
    blank_note=_lazy("A household with neither a helper account nor a helper name is reported."),
)
def has_helper(ctx):
    """Not exited, and no helper: neither an active helper account nor a helper name from the register."""
    active_account = Q(helper__isnull=False, helper__is_active=True)
    named_only = Q(helper__isnull=True) & ~Q(helper_name="")
    rows = ctx.households.exclude(exit_status__in=exited_codes()).exclude(active_account | named_only)
    return household_hits(ctx, rows)


@rule(
    "VS-002",
    _lazy("No visit within the required number of days"),
    severity=WARNING,
    fields=("visits",),
    source="s000, s001",
    params=(Param("days", 30, _lazy("days allowed between visits"), parameter="visit_interval_days"),),
)
def visited_recently(ctx):
    """Households with a helper account, not exited, whose last visit is older than `days` (or none)."""
    days = int(ctx.params["days"])
    cutoff = ctx.today - datetime.timedelta(days=days)
    rows = (
        ctx.households.filter(helper__isnull=False)
        .exclude(exit_status__in=exited_codes())
        .annotate(last_visit=Max("visits__date", filter=Q(visits__date__lte=ctx.today)))
        .filter(Q(last_visit__isnull=True) | Q(last_visit__lt=cutoff))
    )
    for pk, last in rows.values_list("pk", "last_visit"):
        if last is None:
            message = _("never visited (allowed: %(days)s days)") % {"days": days}
        else:
            message = _("last visit %(date)s, %(n)s days ago (allowed: %(days)s days)") % {
                "date": last.isoformat(),
                "n": (ctx.today - last).days,
                "days": days,
            }
        yield Hit(pk, None, message)


def _visits(ctx):
    return Visit.objects.filter(household__in=ctx.household_ids)


@rule(
    "VS-003",
    _lazy("Visit without the household's confirmation or signature"),
    severity=WARNING,
    fields=("visits",),
    source="s001",
    blank=BLANK_IS_ERROR,
    blank_note=_lazy(
        "A visit of the last days looked at with neither a confirming name nor an attached signature "
        "or photo is reported; older visits are not looked at."
    ),
    params=(Param("days", 90, _lazy("days of visits looked at")),),
)
def visit_confirmed(ctx):
    """One hit per household with its latest unconfirmed visit of the last `days` days."""
    since = ctx.today - datetime.timedelta(days=int(ctx.params["days"]))
    rows = (
        _visits(ctx)
        .filter(date__range=(since, ctx.today), confirmed_by="", attachment="")
        .values("household_id")
        .annotate(latest=Max("date"), n=Count("pk"))
        .order_by("household_id")
    )
    for row in rows:
        message = _("visit of %(date)s has neither the household's confirmation nor a signature") % {
            "date": row["latest"].isoformat()
        }
        if row["n"] > 1:
            message += _(" (%(n)s such visits)") % {"n": row["n"]}
        yield Hit(row["household_id"], None, message)


def helper_in_force():
    """The household's helper account on the visit's date: its latest history row up to that day.

    NULL when the household has no history row by then (the visit predates the register entry).
    """
    rows = Household.history.model.objects.filter(
        id=OuterRef("household_id"), history_date__date__lte=OuterRef("date")
    ).order_by("-history_date", "-history_id")
    return Subquery(rows.values("helper_id")[:1])


@rule(
    "VS-004",
    _lazy("Visit dated in the future or outside the helper's assignment"),
    severity=ERROR,
    fields=("visits", "helper"),
    source="nat",
)
def visit_date_and_helper(ctx):
    """Visits dated after the day they were recorded (or after today), and visits whose helper was
    not the household's helper on the visit date (read from the household's history; a visit dated
    before the household's first history row counts as outside). One hit per household, naming its
    latest such visit."""
    # Each expression appears once in the WHERE clause; the SELECT only reads the few rows found.
    recorded = TruncDate("created_at")
    outside = Case(
        When(helper_id=Coalesce(helper_in_force(), Value(0)), then=Value(False)),
        default=Value(True),
        output_field=BooleanField(),
    )
    rows = (
        _visits(ctx)
        .alias(recorded=recorded, outside=outside)
        .filter(Q(date__gt=F("recorded")) | Q(date__gt=ctx.today) | Q(outside=True))
        .annotate(recorded_on=recorded)
        .order_by("household_id", "-date", "-pk")
        .values_list(
            "household_id",
            "date",
            "recorded_on",
            "helper__last_name",
            "helper__first_name",
            "helper__username",
        )
    )
    found: dict[int, list] = {}
    for household_id, *visit in rows:
        found.setdefault(household_id, []).append(visit)
    for household_id, visits in found.items():
        date, recorded, last_name, first_name, username = visits[0]
        if date > recorded or date > ctx.today:
            message = _("visit of %(date)s is dated after it was recorded (%(recorded)s)") % {
                "date": date.isoformat(),
                "recorded": recorded.isoformat(),
            }
        else:
            message = _("visit of %(date)s by %(helper)s, who was not the household's helper on that day") % {
                "date": date.isoformat(),
                "helper": (last_name + first_name) or username,
            }
        if len(visits) > 1:
            message += _(" (%(n)s such visits)") % {"n": len(visits)}
        yield Hit(household_id, None, message)


not_applicable(
    "VS-005",
    _lazy("Township leader linked to too few households or village trips"),
    severity=WARNING,
    fields=("helper", "visits"),
    source="s001",
    why=_lazy(
        "not applicable: the register does not record who is township secretary or mayor (a township "
        "account is only a township cadre), a township account cannot be a household's helper (only "
        "helper accounts can be assigned), and visits record households visited, not village trips"
    ),
)
