"""VS-001…VS-005: helpers and visits (DOMAIN.md §9.8).

VS-005's subject is a township's secretary and mayor (遍访, DOMAIN.md §1.3), while a violation is
kept per household: like the VL rules (villages.py), each township that trips it gets one hit on
its lowest-numbered household, given only when that household is in the scope being checked.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Case, Count, F, Max, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from households.models import Household, VillageTrip, Visit
from povertycase.accounts.models import LeaderPost, Role

from .base import exited_codes, household_hits
from .registry import BLANK_IS_ERROR, ERROR, WARNING, Hit, Param, rule


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


# ------------------------------------------------------------------ VS-005


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of `day`'s week."""
    return day - datetime.timedelta(days=day.weekday())


def last_full_week(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of the week before `day`'s week."""
    monday = week_start(day) - datetime.timedelta(days=7)
    return monday, monday + datetime.timedelta(days=6)


def leader_accounts():
    """Active township accounts holding a leading post (secretary or mayor)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, profile__role=Role.TOWNSHIP)
        .exclude(profile__leader_post="")
        .select_related("profile__township")
    )


def linked_count():
    rows = Household.objects.filter(contact_leader=OuterRef("pk")).order_by().values("contact_leader")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)


def trip_count(first: datetime.date, last: datetime.date):
    rows = VillageTrip.objects.filter(leader=OuterRef("pk"), date__range=(first, last))
    rows = rows.order_by().values("leader")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), 0)


def leader_figures(leaders, today: datetime.date):
    """`leaders` annotated with `linked` (households in contact, whole register), `last_week` (trips of
    the last full week) and `this_week` (trips from this Monday up to `today`)."""
    return leaders.annotate(
        linked=linked_count(),
        last_week=trip_count(*last_full_week(today)),
        this_week=trip_count(week_start(today), today),
    )


def township_anchor():
    """The leader's township's household with the lowest number: the one that carries VS-005."""
    rows = Household.objects.filter(village__township=OuterRef("profile__township")).order_by("number")
    return Subquery(rows.values("pk")[:1])


def leader_shortfalls(leader, *, min_households: int, min_trips: int) -> list[str]:
    """What the annotated `leader` falls short of, in words; empty when the thresholds are met."""
    problems = []
    if leader.linked < min_households:
        problems.append(
            _("linked to %(n)s households (fewer than %(min)s)") % {"n": leader.linked, "min": min_households}
        )
    if leader.last_week < min_trips:
        problems.append(
            _("%(n)s village trips last week (fewer than %(min)s)")
            % {"n": leader.last_week, "min": min_trips}
        )
    return problems


def leader_label(leader) -> str:
    """乡镇长 王五: the post, then the name in Chinese order."""
    name = f"{leader.last_name}{leader.first_name}".strip() or leader.get_username()
    return f"{LeaderPost(leader.profile.leader_post).label} {name}"


@rule(
    "VS-005",
    _lazy("Township leader linked to too few households or village trips"),
    severity=WARNING,
    fields=("contact_leader", "village_trips"),
    source="s001",
    blank_note=_lazy(
        "A township without an active secretary or mayor account is skipped; a leader with no linked "
        "household or no village trip counts zero."
    ),
    params=(
        Param("min_households", 3, _lazy("households each township leader keeps in touch with")),
        Param("min_trips", 2, _lazy("village trips a township leader makes a week")),
    ),
)
def township_leaders_engaged(ctx):
    """Each active secretary or mayor: households with them as contact leader (whole register) fewer
    than `min_households`, or village trips in the last full week (Monday–Sunday before the reference
    date's week) fewer than `min_trips`. One hit per township, on its first household."""
    min_households, min_trips = int(ctx.params["min_households"]), int(ctx.params["min_trips"])
    leaders = (
        leader_figures(leader_accounts(), ctx.today)
        .annotate(anchor=township_anchor())
        .filter(anchor__in=ctx.household_ids)
        .filter(Q(linked__lt=min_households) | Q(last_week__lt=min_trips))
        .order_by("profile__township__code", "-profile__leader_post", "pk")  # secretary before mayor
    )
    found: dict[int, list[str]] = {}
    for leader in leaders:
        problems = leader_shortfalls(leader, min_households=min_households, min_trips=min_trips)
        found.setdefault(leader.anchor, [leader.profile.township.name + "："]).append(
            f"{leader_label(leader)} {'；'.join(problems)}"
        )
    for anchor, (township, *parts) in found.items():
        yield Hit(anchor, None, township + "。".join(parts))
