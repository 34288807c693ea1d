"""IN-001…IN-009: income records (DOMAIN.md §9.5, §3.3). Lines and floors are parameters."""

from decimal import Decimal

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Abs, Coalesce, ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from households.models import IncomeRecord
from households.models.monitoring import OPEN_STATES

from .base import exited_codes, has_measure, has_member
from .monitoring import below_line_q, has_case, monitored, range_by_year
from .registry import ERROR, WARNING, Hit, Param, rule
from .settings import yearly_values

COMPONENTS = ("wage_income", "business_income", "transfer_income", "property_income", "business_expense")
INDUSTRY_CATEGORY = "A01"
NOT_WORKING = "0"


def _income_hits(rows, message):
    for household_id, year in rows.values_list("household_id", "year"):
        yield Hit(household_id, None, f"{year}：{message}")


def _amount(value: Decimal) -> str:
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


def _gross():
    return F("wage_income") + F("business_income") + F("transfer_income") + F("property_income")


@rule(
    "IN-001",
    _lazy("Income arithmetic wrong: a negative component, or net / per-capita not as computed (±1 元)"),
    severity=ERROR,
    fields=COMPONENTS + ("net_income", "per_capita_income", "member_count_used"),
    source="nat",
)
def income_arithmetic(ctx):
    negative = Q(pk__in=[])
    for name in COMPONENTS:
        negative |= Q(**{f"{name}__lt": 0})
    rows = ctx.incomes().annotate(
        net_gap=Abs(_gross() - F("business_expense") - F("net_income")),
        capita_gap=Abs(F("net_income") - F("per_capita_income") * F("member_count_used")),
    )
    wrong = negative | Q(net_gap__gt=Decimal("0.01")) | Q(capita_gap__gt=F("member_count_used"))
    return _income_hits(rows.filter(wrong), _("income components do not add up"))


@rule(
    "IN-002",
    _lazy("Exited with per-capita income below the exit line of the exit year"),
    severity=ERROR,
    fields=("exit_month", "per_capita_income"),
    source="nat; s000",
    params=(Param("line", "poverty_line", _lazy("yearly parameter holding the line")),),
)
def exit_below_line(ctx):
    lines = yearly_values(ctx.params["line"])
    below = Q(pk__in=[])
    for year, value in lines.items():
        below |= Q(year=year, per_capita_income__lt=value)
    rows = ctx.incomes().filter(
        household__exit_status__in=exited_codes(), household__exit_month__isnull=False
    )
    rows = (
        rows.annotate(exit_year=ExtractYear("household__exit_month"))
        .filter(year=F("exit_year"))
        .filter(below)
    )
    for household_id, year, income in rows.values_list("household_id", "year", "per_capita_income"):
        yield Hit(
            household_id,
            None,
            _("exited in %(year)s with %(income)s 元 per person, below the line %(line)s")
            % {"year": year, "income": income, "line": _amount(lines[year])},
        )


@rule(
    "IN-004",
    _lazy("Members work but wage income is 0 (or under 100 元)"),
    severity=WARNING,
    fields=("work_status", "wage_income"),
    source="fp 4_11_012, 5_15_023",
    params=(Param("min_wage", 100),),
)
def wage_without_work(ctx):
    working = has_member(~Q(work_status="") & ~Q(work_status=NOT_WORKING), ref="household")
    rows = ctx.latest_incomes().filter(working).filter(wage_income__lt=ctx.params["min_wage"])
    return _income_hits(
        rows, _("members work but wage income is under %(n)s 元") % {"n": ctx.params["min_wage"]}
    )


@rule(
    "IN-005",
    _lazy("低保/特困 received but transfer income is 0"),
    severity=WARNING,
    fields=("dibao", "tekun", "transfer_income"),
    source="fp 4_11_013",
)
def support_without_transfer(ctx):
    rows = ctx.latest_incomes().filter(has_member(Q(dibao=True) | Q(tekun=True), ref="household"))
    return _income_hits(rows.filter(transfer_income=0), str(ctx.title))


@rule(
    "IN-006",
    _lazy("产业帮扶 received but business income is 0"),
    severity=WARNING,
    fields=("measures", "business_income"),
    source="fp 5_11_013",
    params=(Param("industry_categories", [INDUSTRY_CATEGORY]),),
)
def industry_without_income(ctx):
    industry = has_measure(Q(category__in=ctx.params["industry_categories"]), ref="household")
    return _income_hits(ctx.latest_incomes().filter(industry, business_income=0), str(ctx.title))


@rule(
    "IN-008",
    _lazy("Exited household with per-capita income under the floor (4,000 元)"),
    severity=ERROR,
    fields=("exit_status", "per_capita_income"),
    source="fp 3_11_010",
    params=(Param("floor", 4000, _lazy("floor in 元 per person"), parameter="exited_income_floor"),),
)
def exited_below_floor(ctx):
    floor = Decimal(str(ctx.params["floor"]))
    rows = ctx.latest_incomes().filter(household__exit_status__in=exited_codes(), per_capita_income__lt=floor)
    for household_id, year, income in rows.values_list("household_id", "year", "per_capita_income"):
        yield Hit(
            household_id,
            None,
            _("%(year)s per-capita income %(income)s 元, under %(floor)s 元")
            % {"year": year, "income": income, "floor": _amount(floor)},
        )


@rule(
    "IN-009",
    _lazy("Transfer income share above the limit, or per-capita income falling two years running"),
    severity=WARNING,
    fields=("transfer_income", "per_capita_income"),
    source="s001",
    params=(
        Param(
            "max_transfer_share",
            50,
            _lazy("largest share of transfer income (%)"),
            parameter="transfer_income_share",
        ),
    ),
)
def dependency(ctx):
    share = Decimal(str(ctx.params["max_transfer_share"]))
    latest = ctx.latest_incomes().annotate(gross=_gross()).filter(gross__gt=0)
    high = latest.filter(transfer_income__gt=F("gross") * share / 100)
    yield from _income_hits(
        high, _("transfer income is more than %(share)s%% of the total") % {"share": share}
    )
    falling = ctx.latest_incomes().annotate(one_back=_income_before(1), two_back=_income_before(2))
    falling = falling.filter(one_back__gt=F("per_capita_income"), two_back__gt=F("one_back"))
    yield from _income_hits(falling, _("per-capita income fell two years running"))


def _income_before(years: int):
    earlier = IncomeRecord.objects.filter(household=OuterRef("household"), year=OuterRef("year") - years)
    return Subquery(earlier.values("per_capita_income")[:1])


@rule(
    "IN-003",
    _lazy("Exited household below the monitoring range and not monitored"),
    severity=ERROR,
    fields=("exit_status", "per_capita_income", "monitoring case"),
    source="fp 1_02_006",
    params=(Param("range", "monitoring_range", _lazy("yearly parameter holding the monitoring range")),),
    blank_note=_lazy("The latest income record is read; a year without a monitoring range is skipped."),
)
def exited_below_range_not_monitored(ctx):
    """Latest per-capita income under that year's range (a later year keeps the last range), no open case."""
    lines = range_by_year(ctx.params["range"], ctx.today.year)
    rows = ctx.latest_incomes().filter(household__exit_status__in=exited_codes())
    rows = rows.filter(below_line_q(lines, "year", "per_capita_income")).exclude(
        has_case(OPEN_STATES, ref="household")
    )
    for household_id, year, income in rows.values_list("household_id", "year", "per_capita_income"):
        yield Hit(
            household_id,
            None,
            _("%(year)s per-capita income %(income)s 元, below the monitoring range %(line)s")
            % {"year": year, "income": _amount(income), "line": _amount(lines[year])},
        )


@rule(
    "IN-007",
    _lazy("Per-capita income above 20,000 元 at identification of a monitored household"),
    severity=WARNING,
    fields=("identified_on", "per_capita_income"),
    source="fp 1111_18",
    params=(
        Param(
            "ceiling",
            20000,
            _lazy("highest plausible per-capita income at identification (元)"),
            parameter="identification_income_ceiling",
        ),
    ),
    blank_note=_lazy(
        "Income at identification is the record of the year before the identification year, else of "
        "that year; skipped when neither exists."
    ),
)
def identified_above_ceiling(ctx):
    ceiling = Decimal(str(ctx.params["ceiling"]))

    def record(years_back: int):
        year = ExtractYear(OuterRef("identified_on")) - years_back
        rows = IncomeRecord.objects.filter(household=OuterRef("household"), year=year)
        return Subquery(rows.values("per_capita_income")[:1])

    rows = monitored(ctx).filter(identified_on__isnull=False)
    rows = rows.annotate(income=Coalesce(record(1), record(0))).filter(income__gt=ceiling)
    for household_id, identified, income in rows.values_list("household_id", "identified_on", "income"):
        yield Hit(
            household_id,
            None,
            _("identified on %(date)s with %(income)s 元 per person, above %(ceiling)s 元")
            % {"date": identified.isoformat(), "income": _amount(income), "ceiling": _amount(ceiling)},
        )
