"""防返贫 risk flags (DOMAIN.md §5.1): saved filters over households, computed by the database.

Each flag is a `Q` over `Household` built from Exists-subqueries, so a list, a count per
township and one household's flags are each one query, never a loop per household. The
thresholds come from the county's parameters (core.Parameter), read by subqueries inside
that same query, never from numbers here.

Sudden hardship (5) is read two ways, either suffices: an open case already decided as
突发严重困难户 (M3), or the latest year's per-capita income fell below half of the year before
(a sharp drop is what the category describes; a year without the year before never counts).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from povertycase.core import codes
from povertycase.core.models import Parameter

from .codefields import ACTIVE_STATUS
from .models import Household, IncomeRecord, Member, MonitoringCase
from .models.monitoring import OPEN_STATES

SUDDEN_HARDSHIP_CATEGORY = "M3"
SERIOUS_ILLNESS = "3"  # health: 患有大病


@dataclass(frozen=True)
class Flag:
    key: str
    title: str
    description: str


FLAGS = (
    Flag(
        "low_income",
        _("Low income after exit"),
        _("Exited household whose latest per-capita income is below the county's line (兜底 excluded)"),
    ),
    Flag(
        "transfer_share",
        _("High transfer income"),
        _("Transfer income is more than the county's share of the latest gross income"),
    ),
    Flag("serious_illness", _("Serious illness"), _("A member on the register has a serious illness")),
    Flag("no_labour", _("No labour force"), _("No member on the register has labour capacity")),
    Flag(
        "sudden_hardship",
        _("Sudden hardship"),
        _("Open case as 突发严重困难户, or per-capita income fell by more than half in a year"),
    ),
)
FLAG_KEYS = tuple(f.key for f in FLAGS)


def get_flag(key: str) -> Flag | None:
    return next((f for f in FLAGS if f.key == key), None)


# ------------------------------------------------------------------ parameters


def parameter(name: str, default) -> Decimal:
    """A county-wide parameter (no year); a regional row overrides the national one."""
    value = (
        Parameter.objects.filter(name=name, year__isnull=True)
        .order_by("-region_code")
        .values_list("value", flat=True)
        .first()
    )
    return value if value is not None else Decimal(default)


def _county_value(name: str) -> Subquery:
    """A county-wide parameter read inside the query (a regional row wins)."""
    rows = Parameter.objects.filter(name=name, year__isnull=True).order_by("-region_code")
    return Subquery(rows.values("value")[:1])


def _range_of_the_income_year() -> Coalesce:
    """monitoring_range of the outer income record's year: the nearest earlier year, else the earliest."""
    ranges = Parameter.objects.filter(name="monitoring_range", year__isnull=False)
    earlier = ranges.filter(year__lte=OuterRef("year")).order_by("-year", "-region_code")
    earliest = ranges.order_by("year", "-region_code")
    return Coalesce(Subquery(earlier.values("value")[:1]), Subquery(earliest.values("value")[:1]))


def monitoring_range(year: int) -> Decimal | None:
    """防止返贫监测范围 of `year`; a year without its own row takes the nearest earlier one."""
    values = _yearly_ranges()
    if not values:
        return None
    earlier = [y for y in values if y <= year]
    return values[max(earlier)] if earlier else values[min(values)]


def _yearly_ranges() -> dict[int, Decimal]:
    """monitoring_range per year, a regional row winning over the national one."""
    rows = Parameter.objects.filter(name="monitoring_range", year__isnull=False).order_by("-region_code")
    values: dict[int, Decimal] = {}
    for row_year, value in rows.values_list("year", "value"):
        values.setdefault(row_year, value)
    return values


# ------------------------------------------------------------------ building blocks


def _active_members():
    return Member.objects.filter(household=OuterRef("pk"), status=ACTIVE_STATUS)


def _latest_income():
    newer = IncomeRecord.objects.filter(household=OuterRef("household"), year__gt=OuterRef("year"))
    return IncomeRecord.objects.filter(household=OuterRef("pk")).filter(~Exists(newer))


def exited_codes() -> list[str]:
    return [c.code for c in codes.entries("exit_status") if c.extra.get("exited")]


def labour_codes() -> list[str]:
    return [c.code for c in codes.entries("labour") if c.extra.get("has_labour")]


def social_protection_attributes() -> list[str]:
    """贫困户属性 codes of 低保 and 特困 households (兜底)."""
    return [c.code for c in codes.entries("attribute") if "低保" in c.label or "特困" in c.label]


def social_protection_q() -> Q:
    """兜底 household: a member on the register receives 低保 or 特困, or the attribute says so."""
    support = _active_members().filter(Q(dibao=True) | Q(tekun=True))
    return Q(attribute__in=social_protection_attributes()) | Exists(support)


def _below_line_q() -> Q:
    """Latest per-capita income below `monitoring_low_income`, else below the year's range."""
    line = Coalesce(_county_value("monitoring_low_income"), _range_of_the_income_year())
    return Q(per_capita_income__lt=line)


# ------------------------------------------------------------------ the flags


def low_income_q() -> Q:
    low = _latest_income().filter(_below_line_q())
    return Q(exit_status__in=exited_codes()) & Exists(low) & ~social_protection_q()


def transfer_share_q() -> Q:
    gross = F("wage_income") + F("business_income") + F("transfer_income") + F("property_income")
    share = Coalesce(_county_value("transfer_income_share"), Value(Decimal(50)))
    heavy = (
        _latest_income()
        .annotate(gross=gross, share=share)
        .filter(gross__gt=0, transfer_income__gt=F("gross") * F("share") / Value(Decimal(100)))
    )
    return Q(Exists(heavy))


def serious_illness_q() -> Q:
    return Q(Exists(_active_members().filter(health=SERIOUS_ILLNESS)))


def no_labour_q() -> Q:
    return Exists(_active_members()) & ~Exists(_active_members().filter(labour__in=labour_codes()))


def sudden_hardship_q() -> Q:
    hardship_case = MonitoringCase.objects.filter(
        household=OuterRef("pk"), state__in=OPEN_STATES, category=SUDDEN_HARDSHIP_CATEGORY
    )
    year_before = IncomeRecord.objects.filter(
        household=OuterRef("household"), year=OuterRef("year") - 1, per_capita_income__gt=0
    ).filter(per_capita_income__gt=OuterRef("per_capita_income") * 2)
    drop = _latest_income().filter(Exists(year_before))
    return Exists(hardship_case) | Exists(drop)


FLAG_QUERIES = {
    "low_income": low_income_q,
    "transfer_share": transfer_share_q,
    "serious_illness": serious_illness_q,
    "no_labour": no_labour_q,
    "sudden_hardship": sudden_hardship_q,
}


def flag_queries() -> dict[str, Q]:
    return {key: build() for key, build in FLAG_QUERIES.items()}


def flag_q(key: str) -> Q:
    return FLAG_QUERIES[key]()


def flagged(households: QuerySet, key: str) -> QuerySet:
    return households.filter(flag_q(key))


def township_counts(households: QuerySet) -> list[dict]:
    """Per township of `households`: the number of households under each flag (one query)."""
    annotations = {key: Count("pk", filter=q) for key, q in flag_queries().items()}
    rows = (
        households.order_by()
        .values("village__township_id", "village__township__name", "village__township__code")
        .annotate(total=Count("pk"), **annotations)
        .order_by("village__township__code")
    )
    return [
        {
            "township_id": row["village__township_id"],
            "township": row["village__township__name"],
            "total": row["total"],
            "counts": [(flag, row[flag.key]) for flag in FLAGS],
        }
        for row in rows
    ]


def household_flags(household: Household) -> list[Flag]:
    """The flags one household carries (one query: the parameters are read inside it)."""
    annotations = {
        key: Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())
        for key, q in flag_queries().items()
    }
    row = Household.objects.filter(pk=household.pk).annotate(**annotations).values(*FLAG_KEYS).first()
    return [flag for flag in FLAGS if row and row[flag.key]]
