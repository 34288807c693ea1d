"""Weekly visit statistics per township and per department, in one query over the scope."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from povertycase.accounts.models import Role, role_of

from .models import Household
from .queries import visit_interval_days


@dataclass
class Row:
    key: object
    name: str
    assigned: int = 0
    visited: int = 0
    visits: int = 0
    overdue: list = field(default_factory=list)  # dicts: number, head_name, village, helper, last_visit

    @property
    def rate(self) -> int:
        return round(100 * self.visited / self.assigned) if self.assigned else 0


def can_read_weekly(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or role_of(user) in {Role.COMMAND, Role.TOWNSHIP, Role.DEPARTMENT}
    )


def weekly_households(user):
    """Households with a helper that the user's weekly page covers (None: the page is not theirs)."""
    qs = Household.objects.filter(helper__isnull=False)
    if user.is_superuser or role_of(user) == Role.COMMAND:
        return qs
    role, profile = role_of(user), getattr(user, "profile", None)
    if role == Role.TOWNSHIP:
        return qs.filter(village__township_id=profile.township_id)
    if role == Role.DEPARTMENT:
        return qs.filter(helper__profile__department_id=profile.department_id)
    return None


def parse_week(value: str | None) -> datetime.date:
    """'2026-W47' (an <input type=week>) to its Monday; anything else: this week's Monday."""
    try:
        year, week = (value or "")[:10].split("-W")
        if not 2000 <= int(year) <= 2100:  # the week's Sunday must exist too
            raise ValueError(year)
        return datetime.date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        today = timezone.localdate()
        return today - datetime.timedelta(days=today.weekday())


def weekly_stats(*, households, monday: datetime.date) -> dict:
    sunday = monday + datetime.timedelta(days=6)
    interval = visit_interval_days()
    as_of = min(sunday, timezone.localdate())
    rows = (
        households.annotate(
            week_visits=Count("visits", filter=Q(visits__date__range=(monday, sunday))),
            last_visit=Max("visits__date", filter=Q(visits__date__lte=as_of)),
        )
        .values(
            "number",
            "head_name",
            "village__name",
            "village__township_id",
            "village__township__name",
            "helper__last_name",
            "helper__first_name",
            "helper__username",
            "helper__profile__department_id",
            "helper__profile__department__name",
            "week_visits",
            "last_visit",
        )
        .order_by("village__township__name", "village__name", "number")
    )
    townships, departments, total = {}, {}, Row(None, _("Total"))
    no_department = _("(no department)")
    for r in rows:
        township = townships.setdefault(
            r["village__township_id"], Row(r["village__township_id"], r["village__township__name"])
        )
        dep_id = r["helper__profile__department_id"]
        department = departments.setdefault(
            dep_id, Row(dep_id, r["helper__profile__department__name"] or no_department)
        )
        overdue = r["last_visit"] is None or (as_of - r["last_visit"]).days > interval
        entry = {
            "number": r["number"],
            "head_name": r["head_name"],
            "village": r["village__name"],
            "township": r["village__township__name"],
            "helper": f"{r['helper__last_name']}{r['helper__first_name']}".strip() or r["helper__username"],
            "last_visit": r["last_visit"],
        }
        for row in (township, department, total):
            row.assigned += 1
            row.visits += r["week_visits"]
            row.visited += 1 if r["week_visits"] else 0
            if overdue:
                row.overdue.append(entry)
    return {
        "monday": monday,
        "sunday": sunday,
        "iso_week": f"{monday.isocalendar().year}-W{monday.isocalendar().week:02d}",
        "interval": interval,
        "as_of": as_of,
        "townships": sorted(townships.values(), key=lambda row: row.name),
        "departments": sorted(departments.values(), key=lambda row: (row.key is None, row.name)),
        "total": total,
    }
