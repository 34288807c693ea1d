"""The home page's figures (issue 6): each one read through its app's scoping function.

DESIGN.md allows this one cross-cutting module to import the apps. Every figure starts
from a `*_visible_to(user)` queryset, so a township cadre's page counts only its township.
The number of queries does not grow with the data (tests/core/test_dashboard.py).
No monitoring model exists yet, so monitored households by type are not shown; the
weekly ranking will join when inspections has it.
"""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from households.models import Violation
from households.queries import households_summary, households_visible_to, visits_visible_to
from inspections.queries import sample_rates, samples_visible_to
from inspections.rules import can_record
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


def dashboard(user, *, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    monday, sunday = iso_week(today)
    units = items_by_unit(user, today=today)
    by_status = households_by_status(user)
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
        "chart_data": {
            "status": {"labels": [label for label, _ in by_status], "counts": [n for _, n in by_status]},
            "units": {
                "labels": [u["unit"] for u in units],
                "open": [u["open"] for u in units],
                "overdue": [u["overdue"] for u in units],
            },
        },
    }
