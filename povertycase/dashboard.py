"""The home page's figures (issue 6): each one read through its app's scoping function.

DESIGN.md allows this one cross-cutting module to import the apps. Every figure starts
from a `*_visible_to(user)` queryset, so a township cadre's page counts only its township.
The number of queries does not grow with the data (tests/core/test_dashboard.py).
The weekly ranking is read from stored snapshots: the command office and inspectors see the
latest tables and any unit's rank over the weeks; a township or department sees its own.
"""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import pgettext

from households.models import MonitoringCase, Violation
from households.models.monitoring import MONITORED_STATES
from households.queries import households_summary, households_visible_to, visits_visible_to
from inspections import trends
from inspections.models import UnitKind
from inspections.queries import sample_rates, samples_visible_to
from inspections.rules import can_manage_ranking, can_record, can_see_ranking
from povertycase.accounts.models import Role, role_of
from povertycase.core import codes
from rectification.models import OPEN, WORKING
from rectification.queries import items_visible_to, my_items

OVERDUE_LIST_LENGTH = 10


def iso_week(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Monday and Sunday of the ISO week holding `today`."""
    monday = today - datetime.timedelta(days=today.weekday())
    return monday, monday + datetime.timedelta(days=6)


def households_by_status(user) -> list[tuple[str, int]]:
    counts = dict(households_visible_to(user).order_by().values_list("exit_status").annotate(n=Count("pk")))
    return [(label, counts.get(code, 0)) for code, label in codes.choices("exit_status")]


def items_by_unit(user, *, today: datetime.date) -> list[dict]:
    """Open and overdue items per responsible unit (township or department), in one query."""
    rows = (
        items_visible_to(user)
        .filter(status__in=OPEN)
        .order_by()
        .values("responsible_township__name", "responsible_department__name")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(status__in=WORKING, deadline__lt=today)),
        )
    )
    units = [
        {
            "unit": row["responsible_township__name"] or row["responsible_department__name"] or "",
            "open": row["open"],
            "overdue": row["overdue"],
        }
        for row in rows
    ]
    return sorted(units, key=lambda u: (-u["overdue"], -u["open"], u["unit"]))


def overdue_items(user, *, today: datetime.date):
    """The overdue items the user's unit works (township/department), else all it may see."""
    qs = my_items(user) if role_of(user) in (Role.TOWNSHIP, Role.DEPARTMENT) else items_visible_to(user)
    return list(qs.overdue(today).order_by("deadline", "pk")[:OVERDUE_LIST_LENGTH])


def open_violations(user) -> dict:
    return Violation.objects.filter(
        household__in=households_visible_to(user).values("pk"), resolved_at__isnull=True
    ).aggregate(
        total=Count("pk"),
        errors=Count("pk", filter=Q(severity="E")),
        unacknowledged=Count("pk", filter=Q(acknowledged_at__isnull=True)),
    )


def latest_sample(user) -> dict | None:
    """The newest sample the user may see with its four rates (recorders only)."""
    if not can_record(user):
        return None
    sample = samples_visible_to(user).first()
    if sample is None:
        return None
    return {"sample": sample, "rates": sample_rates(sample)}


def monitored_by_category(user) -> list[tuple[str, int]]:
    """Monitored households (risk identified, not yet eliminated) per monitoring category."""
    counts = dict(
        MonitoringCase.objects.filter(
            state__in=MONITORED_STATES, household__in=households_visible_to(user).values("pk")
        )
        .order_by()
        .values_list("category")
        .annotate(n=Count("household", distinct=True))
    )
    rows = [(label, counts.pop(code, 0)) for code, label in codes.choices("monitor_category")]
    unclassified = sum(counts.values())
    if unclassified:
        rows.append((pgettext("dashboard", "Category not recorded"), unclassified))
    return rows


OWN_UNIT_ROLES = {Role.TOWNSHIP: UnitKind.TOWNSHIP, Role.DEPARTMENT: UnitKind.DEPARTMENT}


def _own_unit(user) -> tuple[str, int] | None:
    kind = OWN_UNIT_ROLES.get(role_of(user))
    profile = getattr(user, "profile", None)
    unit_id = getattr(profile, trends.UNIT_FIELD[kind], None) if kind else None
    return (kind, unit_id) if unit_id else None


def ranking_panel(user, *, unit: str | None = None) -> dict | None:
    """The latest weekly ranking for the home page, or None for users who may not read it.

    A township or department user always sees its own unit; `unit` (the chooser's value) only
    steers the command office's and inspectors' chart.
    """
    if not can_see_ranking(user):
        return None
    latest = trends.latest_ranking()
    if latest is None:
        return {"latest": None}
    own = _own_unit(user)
    if own is None and role_of(user) in OWN_UNIT_ROLES:
        return {"latest": latest, "own": True, "row": None, "series": []}
    rows = {row.key: row for row in latest.rows()}
    if own is not None:
        chosen = trends.unit_key(*own)
    else:
        wanted = trends.parse_unit_key(unit)
        key = trends.unit_key(*wanted) if wanted else None
        chosen = key if key in rows else next(iter(rows), None)
    series = trends.rank_series(*trends.parse_unit_key(chosen)) if chosen else []
    row = rows.get(chosen)
    same_kind = latest.townships if row is None or row.entry.kind == UnitKind.TOWNSHIP else latest.departments
    return {
        "latest": latest,
        "units_ranked": len(same_kind),
        "own": own is not None,
        "row": row,
        "chosen": chosen,
        "series": series,
        "show_flags": can_manage_ranking(user),
    }


def _series_chart(panel) -> dict | None:
    if not panel or not panel.get("series"):
        return None
    series = panel["series"]
    return {
        "weeks": [p.week for p in series],
        "ranks": [p.rank for p in series],
        "most": max(p.of for p in series),
    }


def dashboard(user, *, today: datetime.date | None = None, unit: str | None = None) -> dict:
    today = today or timezone.localdate()
    monday, sunday = iso_week(today)
    units = items_by_unit(user, today=today)
    by_status = households_by_status(user)
    ranking = ranking_panel(user, unit=unit)
    monitored = monitored_by_category(user)
    return {
        "today": today,
        "summary": households_summary(user=user),
        "by_status": by_status,
        "units": units,
        "open_total": sum(u["open"] for u in units),
        "overdue_total": sum(u["overdue"] for u in units),
        "overdue_items": overdue_items(user, today=today),
        "own_overdue": role_of(user) in (Role.TOWNSHIP, Role.DEPARTMENT),
        "week": (monday, sunday),
        "visits_this_week": visits_visible_to(user).filter(date__range=(monday, sunday)).count(),
        "violations": open_violations(user),
        "spot_check": latest_sample(user),
        "can_see_samples": can_record(user),
        "monitored": monitored,
        "monitored_total": sum(n for _label, n in monitored),
        "ranking": ranking,
        "chart_data": {
            "rank": _series_chart(ranking),
            "status": {"labels": [label for label, _ in by_status], "counts": [n for _, n in by_status]},
            "units": {
                "labels": [u["unit"] for u in units],
                "open": [u["open"] for u in units],
                "overdue": [u["overdue"] for u in units],
            },
        },
    }
