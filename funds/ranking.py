"""The funds indicators of the weekly ranking (DOMAIN.md §8.2), as of a week's last day:

- fund_disbursement: paid (up to that day) ÷ allocated, over the allocations the unit received
  for that year; not applicable to a unit that received none;
- projects_on_schedule: the unit's projects of the year under way or done (approved onwards,
  withdrawn left out) not past their planned completion ÷ those projects; not applicable
  to a unit implementing none.
Registered into inspections.ranking.EXTRA_MEASURES by the app config.
"""

from django.db.models import Count, Q, Sum

from .models import Allocation, Payment, Project, Status
from .progress import behind_q


def _field(kind: str, prefix: str) -> str:
    return f"{prefix}_township_id" if kind == "township" else f"{prefix}_department_id"


def measure_funds(kind, first, last) -> dict:
    year = last.year
    received = _field(kind, "receiving")
    allocated = dict(
        Allocation.objects.filter(year=year, **{f"{received}__isnull": False})
        .order_by()
        .values(received)
        .annotate(total=Sum("amount"))
        .values_list(received, "total")
    )
    paid = dict(
        Payment.objects.filter(
            allocation__year=year, paid_on__lte=last, **{f"allocation__{received}__isnull": False}
        )
        .order_by()
        .values(f"allocation__{received}")
        .annotate(total=Sum("amount"))
        .values_list(f"allocation__{received}", "total")
    )
    implemented = _field(kind, "implementing")
    projects = (
        Project.objects.filter(year=year, **{f"{implemented}__isnull": False}, approved_on__lte=last)
        .exclude(status__in=(Status.RESERVE, Status.WITHDRAWN))
        .order_by()
        .values(implemented)
        .annotate(
            n=Count("pk"),
            behind=Count("pk", filter=behind_q(last) | Q(planned_completion__lt=last, completed_on__gt=last)),
        )
    )
    out = {}
    for unit_id, total in allocated.items():
        if total:
            out.setdefault(unit_id, {})["fund_disbursement"] = round(float(paid.get(unit_id, 0) / total), 4)
    for row in projects:
        out.setdefault(row[implemented], {})["projects_on_schedule"] = round(1 - row["behind"] / row["n"], 4)
    return out
