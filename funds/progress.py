"""Disbursement progress (DOMAIN.md §10.1): paid ÷ allocated by source, unit, township and county.

A unit's money is what it received (allocations to it) and what was paid from that; its projects
are those it implements. A township's area figures sum the budgets and payments of the projects
in its villages (or implemented by it). Every sum over payments is one grouped query.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from households.models import Township
from povertycase.core import codes
from povertycase.core.models import Parameter

from .models import UNFINISHED, Allocation, BudgetLine, Payment, Project, Status

ZERO = Decimal(0)


def rate(paid: Decimal, allocated: Decimal) -> float | None:
    return round(float(paid / allocated), 4) if allocated else None


def _parameter(name: str, year: int) -> Decimal | None:
    row = (
        Parameter.objects.filter(Q(year=year) | Q(year__isnull=True), name=name)
        .order_by("year", "-region_code")  # a yearly row (year set) sorts before the default (NULL last)
        .first()
    )
    return row.value if row else None


def spending_target(year: int) -> Decimal | None:
    """The year's target share (percent), or None while the county has not set it."""
    row = Parameter.objects.filter(name="funds_spending_target", year=year).order_by("-region_code").first()
    return row.value if row else None


def deadline(name: str, year: int) -> datetime.date | None:
    value = _parameter(name, year)
    if value is None:
        return None
    month_day = int(value)
    return datetime.date(year, month_day // 100, month_day % 100)


def deadlines(year: int) -> dict:
    return {
        "bank_clearing": deadline("funds_bank_clearing_day", year),
        "reimbursement": deadline("funds_reimbursement_day", year),
    }


@dataclass
class Row:
    key: object
    label: str
    kind: str = ""
    allocated: Decimal = ZERO
    paid: Decimal = ZERO
    projects: int = 0
    behind_schedule: int = 0

    @property
    def rate(self) -> float | None:
        return rate(self.paid, self.allocated)

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else round(self.rate * 100, 1)


@dataclass
class Progress:
    year: int
    as_of: datetime.date
    target: Decimal | None
    deadlines: dict
    total: Row
    by_source: list[Row] = field(default_factory=list)
    by_unit: list[Row] = field(default_factory=list)
    by_township: list[Row] = field(default_factory=list)

    def as_json(self) -> dict:
        def money(value):
            return float(value)

        return {
            "year": self.year,
            "allocated": money(self.total.allocated),
            "paid": money(self.total.paid),
            "rate": self.total.rate,
            "by_source": [
                {"source": r.label, "allocated": money(r.allocated), "paid": money(r.paid), "rate": r.rate}
                for r in self.by_source
            ],
            "by_unit": [
                {
                    "unit": r.label,
                    "kind": r.kind,
                    "allocated": money(r.allocated),
                    "paid": money(r.paid),
                    "rate": r.rate,
                    "projects": r.projects,
                    "behind_schedule": r.behind_schedule,
                }
                for r in self.by_unit
            ],
        }


def unit_key(township_id, department_id) -> tuple[str, int]:
    return ("township", township_id) if township_id else ("department", department_id)


def compute(*, year: int, as_of: datetime.date, allocations=None, projects=None) -> Progress:
    """Progress of `year` counting payments up to `as_of`; querysets narrow it to a user's scope."""
    scoped = allocations is not None
    allocations = (allocations if scoped else Allocation.objects.all()).filter(year=year)
    projects = (projects if projects is not None else Project.objects.all()).filter(year=year)
    alloc_rows = list(
        allocations.order_by().values(
            "pk",
            "source",
            "amount",
            "receiving_township_id",
            "receiving_department_id",
            "receiving_township__name",
            "receiving_department__name",
        )
    )
    payments = Payment.objects.filter(allocation__year=year, paid_on__lte=as_of)
    paid_by_alloc = dict(
        (payments.filter(allocation__in=allocations.values("pk")) if scoped else payments)
        .order_by()
        .values("allocation_id")
        .annotate(total=Sum("amount"))
        .values_list("allocation_id", "total")
    )
    total = Row("county", "全县")
    sources = {c.code: Row(c.code, c.label) for c in codes.entries("fund_source")}
    units: dict = {}
    for a in alloc_rows:
        paid = paid_by_alloc.get(a["pk"], ZERO)
        total.allocated += a["amount"]
        total.paid += paid
        source = sources.setdefault(a["source"], Row(a["source"], a["source"]))
        source.allocated += a["amount"]
        source.paid += paid
        key = unit_key(a["receiving_township_id"], a["receiving_department_id"])
        label = a["receiving_township__name"] or a["receiving_department__name"]
        unit = units.setdefault(key, Row(key, label, key[0]))
        unit.allocated += a["amount"]
        unit.paid += paid

    _count_projects(projects, as_of, units)
    return Progress(
        year=year,
        as_of=as_of,
        target=spending_target(year),
        deadlines=deadlines(year),
        total=total,
        by_source=[r for r in sources.values() if r.allocated],
        by_unit=sorted(
            units.values(), key=lambda r: (r.kind != "township", r.rate is None, -(r.rate or 0), r.label)
        ),
        by_township=_townships(projects, payments, as_of),
    )


def behind_q(as_of: datetime.date) -> Q:
    return Q(status__in=UNFINISHED, planned_completion__lt=as_of)


def _count_projects(projects, as_of, units: dict) -> None:
    counted = (
        projects.exclude(status=Status.WITHDRAWN)
        .order_by()
        .values(
            "implementing_township_id",
            "implementing_department_id",
            "implementing_township__name",
            "implementing_department__name",
        )
        .annotate(n=Count("pk"), behind=Count("pk", filter=behind_q(as_of)))
    )
    for row in counted:
        key = unit_key(row["implementing_township_id"], row["implementing_department_id"])
        label = row["implementing_township__name"] or row["implementing_department__name"]
        unit = units.setdefault(key, Row(key, label, key[0]))
        unit.projects += row["n"]
        unit.behind_schedule += row["behind"]


def _townships(projects, payments, as_of) -> list[Row]:
    """Budget, payments and projects of each township's projects (Project.township), grouped in SQL."""
    live = projects.exclude(status=Status.WITHDRAWN).filter(township__isnull=False)
    counted = (
        live.order_by()
        .values("township_id")
        .annotate(n=Count("pk"), behind=Count("pk", filter=behind_q(as_of)))
    )
    budgets = dict(
        BudgetLine.objects.filter(project__in=live.values("pk"))
        .order_by()
        .values("project__township_id")
        .annotate(total=Sum("amount"))
        .values_list("project__township_id", "total")
    )
    paid = dict(
        payments.filter(project__in=live.values("pk"))
        .order_by()
        .values("project__township_id")
        .annotate(total=Sum("amount"))
        .values_list("project__township_id", "total")
    )
    names = dict(Township.objects.values_list("pk", "name"))
    rows = []
    for row in counted:
        township_id = row["township_id"]
        rows.append(
            Row(
                township_id,
                names.get(township_id, ""),
                "township",
                allocated=budgets.get(township_id, ZERO),
                paid=paid.get(township_id, ZERO),
                projects=row["n"],
                behind_schedule=row["behind"],
            )
        )
    return sorted(rows, key=lambda r: (r.rate is None, -(r.rate or 0), r.label))
