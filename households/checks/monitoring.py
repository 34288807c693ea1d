"""MN-001…MN-024: 防返贫 monitoring cases against the register (DOMAIN.md §9.7, §5).

Readings of the catalogue, each rule one query over the cases of the households in scope:
- "monitored" / "open": a case in MONITORED_STATES (the county decided there is a risk and it is
  not eliminated); "not monitored": no case in OPEN_STATES (a clue being worked on counts).
- "eliminated": a case in state risk_eliminated; "assisted elimination": elimination_method 1
  帮扶消除 on a case in elimination notice or eliminated (the check gates the notice too).
- "risk 1": the first risk code of the case; a risk is matched with `risks__contains=';R01;'`.
- "a measure of the case": an assistance measure of the household not ended before the
  identification date (a measure still running at identification answers the risk).
- "nobody has labour": every active member is 丧失劳动力 or 无劳动力; a member whose labour is
  blank leaves the household unjudged.
- MN-024: the register holds no 整户无劳动能力兜底保障户 flag; the household counts as flagged
  when a member receives 低保 or 特困 (what the flag stands for, DOMAIN.md §5.4).
- MN-016: the medical-insurance premium subsidy (参保资助) for year Y is paid in the collection
  period that closes at the end of the cut-off month of year Y−1 (default December). A premium
  subsidy recorded for the identification year of a household identified after that cut-off
  was not available to it as a monitored household. A premium-subsidy measure is a 健康帮扶
  (A07) measure whose description names the premium (keywords are a parameter); its year is
  the measure's year, else the year of its start date.
Blank inputs are skipped unless the rule is about the blank (MN-001, MN-022).
"""

import calendar
import datetime
from decimal import Decimal

from django.db.models import (
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from households.codefields import ACTIVE_STATUS, NO_LABOUR
from households.models import AssistanceMeasure, IncomeRecord, Member, MonitoringCase, MonitoringStep
from households.models.monitoring import MONITORED_STATES, OPEN_STATES, CaseState
from povertycase.core import codes

from .base import codes_where, enrolled_q, exited_codes, has_member, labour_codes, month_index
from .registry import BLANK_IS_ERROR, ERROR, WARNING, Hit, Param, rule
from .settings import yearly_values

ASSISTED = "1"  # elimination_method 帮扶消除
IMPLEMENTED, STOPPED = "2", "3"  # measure_status 已落实, 已停止
NOT_WORKING = "0"  # work_status 非务工
ILL = ("2", "3")  # health 长期慢性病, 患有大病
SKILLS_TRAINING = "03"  # measure_item 技能培训
OTHER_CATEGORY = "A99"
DEVELOPMENT = ["A01", "A02", "A03", "A04"]  # 开发式帮扶 (DOMAIN.md §2.12)
WELFARE = "A11"  # 综合保障 (低保, 特困, 残疾人补贴)
DECIDED_STATES = (CaseState.REJECTED, CaseState.NO_RISK, CaseState.RISK_OPEN)
PENDING_STATES = (CaseState.CLUE, CaseState.VERIFYING, CaseState.IN_NOTICE, CaseState.TOWNSHIP_REVIEWED)
ELIMINATING_STATES = (CaseState.ELIMINATION_NOTICE, CaseState.RISK_ELIMINATED)

R_ILLNESS, R_DISABILITY, R_SCHOOL = "R01", "R02", "R03"
R_WORK, R_HOUSING, R_WATER, R_DROPOUT = "R07", "R09", "R10", "R11"

NO_LABOUR_PARAM = Param("no_labour", list(NO_LABOUR), _lazy("labour codes counted as no labour"))
SCHOOL_AGE_PARAMS = (
    Param("min_age", 7, _lazy("youngest age checked"), parameter="compulsory_school_age_min"),
    Param("max_age", 15, _lazy("oldest age checked"), parameter="compulsory_school_age_max"),
)


# ------------------------------------------------------------------ building blocks


def cases(ctx, states=None):
    rows = MonitoringCase.objects.filter(household__in=ctx.household_ids)
    return rows if states is None else rows.filter(state__in=states)


def monitored(ctx):
    return cases(ctx, MONITORED_STATES)


def eliminated(ctx):
    """Eliminated cases of households with no case open again (their state now is "eliminated")."""
    reopened = MonitoringCase.objects.filter(household=OuterRef("household"), state__in=OPEN_STATES)
    return cases(ctx, [CaseState.RISK_ELIMINATED]).filter(~Exists(reopened))


def assisted_eliminations(ctx):
    return cases(ctx, ELIMINATING_STATES).filter(elimination_method=ASSISTED)


def has_case(states, ref: str = "pk") -> Exists:
    return Exists(MonitoringCase.objects.filter(household=OuterRef(ref), state__in=states))


def risk_q(code: str) -> Q:
    return Q(risks__contains=f";{code};")


def risk_measures(code: str) -> list[str]:
    entry = codes.get("monitor_risk", code)
    return list(entry.extra.get("measures", [])) if entry else []


def case_measure(q: Q | None = None) -> Exists:
    """A measure of the case's household (OuterRef on a MonitoringCase) not ended before identification."""
    identified = Coalesce(OuterRef("identified_on"), Value(datetime.date.min), output_field=DateField())
    running = Q(end_date__isnull=True) | Q(end_date__gte=identified)
    rows = AssistanceMeasure.objects.filter(running, household=OuterRef("household"))
    return Exists(rows.filter(q) if q is not None else rows)


def member_of_case(q: Q) -> Exists:
    return Exists(Member.objects.filter(q, household=OuterRef("household"), status=ACTIVE_STATUS))


def nobody_has_labour(no_labour, ref: str = "pk") -> Q:
    """At least one active member, and every active member's labour is one of `no_labour`."""
    some = has_member(Q(), ref=ref)
    able_or_blank = has_member(~Q(labour__in=no_labour), ref=ref)
    return Q(some) & ~Q(able_or_blank)


def out_of_school_q(ctx) -> Q:
    return ctx.age_between(ctx.params["min_age"], ctx.params["max_age"]) & ~enrolled_q()


def dangerous_house_q(prefix: str = "") -> Q:
    grades = codes_where("housing_grade", "dangerous")
    return Q(**{f"{prefix}housing_grade__in": grades}) | Q(**{f"{prefix}is_dangerous_house": True})


def case_hits(rows, message):
    for household_id in rows.values_list("household_id", flat=True):
        yield Hit(household_id, None, str(message))


def range_by_year(name: str, last_year: int) -> dict[int, Decimal]:
    """The yearly line for every year from its first row to `last_year`; a year without a row keeps
    the latest earlier value (DOMAIN.md §11: the range stays until the province enters the next)."""
    stored = yearly_values(name)
    if not stored:
        return {}
    result, current = {}, None
    for year in range(min(stored), max(last_year, max(stored)) + 1):
        current = stored.get(year, current)
        result[year] = current
    return result


def below_line_q(lines: dict[int, Decimal], year_field: str, amount_field: str) -> Q:
    below = Q(pk__in=[])
    for year, value in lines.items():
        below |= Q(**{year_field: year, f"{amount_field}__lt": value})
    return below


def day_index(field_name: str):
    """Months since year 0 times 100 plus the day: adding 100 × n is "n months later" on any backend."""
    return month_index(field_name) * Value(100) + ExtractDay(field_name)


def months_before(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _days_between(start: str, end: str):
    return ExpressionWrapper(F(end) - F(start), output_field=DurationField())


def _amount(value) -> str:
    value = Decimal(value)
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


# ------------------------------------------------------------------ identification


@rule(
    "MN-001",
    _lazy("Monitored household without risk 1"),
    severity=ERROR,
    fields=("risks",),
    source="fp 1_11_001",
    blank=BLANK_IS_ERROR,
    blank_note=_lazy("The rule is about the blank: a monitored case with no risk recorded is reported."),
)
def monitored_without_risk(ctx):
    return case_hits(monitored(ctx).filter(risks=""), ctx.title)


@rule(
    "MN-002",
    _lazy("Clue not decided within 15 days, or village notice shorter than 5 days"),
    severity=WARNING,
    fields=("clue_date", "identified_on", "notice_start", "notice_end"),
    source="nat",
    blank_note=_lazy(
        "A decided case without a decision date, or a notice without both dates, is skipped. "
        "The notice counts both its first and last day."
    ),
    params=(
        Param("decision_days", 15, _lazy("days from clue to decision"), parameter="monitoring_decision_days"),
        Param("notice_days", 5, _lazy("shortest village notice (days)"), parameter="monitoring_notice_days"),
    ),
)
def decision_and_notice_time(ctx):
    days = int(ctx.params["decision_days"])
    first_decision = MonitoringStep.objects.filter(case=OuterRef("pk"), to_state__in=DECIDED_STATES)
    rows = cases(ctx).annotate(
        decided_on=Coalesce("identified_on", Subquery(first_decision.order_by("date").values("date")[:1]))
    )
    rows = rows.annotate(waited=_days_between("clue_date", "decided_on"))
    late = Q(waited__gt=datetime.timedelta(days=days))
    pending = Q(state__in=PENDING_STATES, clue_date__lt=ctx.today - datetime.timedelta(days=days))
    for household_id, clue, decided in rows.filter(late | pending).values_list(
        "household_id", "clue_date", "decided_on"
    ):
        end = decided or ctx.today
        yield Hit(
            household_id,
            None,
            _("clue of %(date)s decided after %(n)s days (allowed: %(days)s days)")
            % {"date": clue.isoformat(), "n": (end - clue).days, "days": days}
            if decided
            else _("clue of %(date)s still undecided after %(n)s days (allowed: %(days)s days)")
            % {"date": clue.isoformat(), "n": (end - clue).days, "days": days},
        )
    notice_days = int(ctx.params["notice_days"])
    short = cases(ctx).filter(notice_start__isnull=False, notice_end__isnull=False)
    short = short.annotate(span=_days_between("notice_start", "notice_end"))
    short = short.filter(span__lt=datetime.timedelta(days=notice_days - 1))  # both ends count
    for household_id, start, end in short.values_list("household_id", "notice_start", "notice_end"):
        yield Hit(
            household_id,
            None,
            _("village notice %(start)s to %(end)s is shorter than %(days)s days")
            % {"start": start.isoformat(), "end": end.isoformat(), "days": notice_days},
        )


@rule(
    "MN-003",
    _lazy("Identified more than a month ago and no measure registered"),
    severity=ERROR,
    fields=("identified_on", "measures"),
    source="fp 1_11_010",
    params=(Param("months", 1, _lazy("months allowed from identification to the first measure")),),
)
def identified_without_measure(ctx):
    cutoff = months_before(ctx.today, int(ctx.params["months"]))
    rows = monitored(ctx).filter(identified_on__lt=cutoff).exclude(case_measure())
    for household_id, identified in rows.values_list("household_id", "identified_on"):
        yield Hit(
            household_id,
            None,
            _("identified on %(date)s and no measure registered") % {"date": identified.isoformat()},
        )


@rule(
    "MN-004",
    _lazy("Exited household with unsafe housing, water or insurance, yet not monitored"),
    severity=WARNING,
    fields=("exit_status", "housing_grade", "is_dangerous_house", "water_safe", "serious_illness_insurance"),
    source="fp 1_02_001–003",
)
def exited_problem_not_monitored(ctx):
    rows = ctx.households.filter(exit_status__in=exited_codes()).exclude(has_case(OPEN_STATES))
    problems = (
        (dangerous_house_q(), _("danger housing")),
        (Q(water_safe=False), _("no safe drinking water")),
        (has_member(Q(serious_illness_insurance=False)), _("a member without serious-illness insurance")),
    )
    found: dict[int, list[str]] = {}
    for q, text in problems:
        for pk in rows.filter(q).values_list("pk", flat=True):
            found.setdefault(pk, []).append(str(text))
    for pk, texts in found.items():
        yield Hit(pk, None, _("not monitored despite %(problems)s") % {"problems": "、".join(texts)})


@rule(
    "MN-005",
    _lazy("A 三保障 or water indicator shows a problem but no matching risk"),
    severity=ERROR,
    fields=("water_safe", "housing_grade", "medical_insurance", "student_status", "risks"),
    source="fp 4_11_006/007",
    params=SCHOOL_AGE_PARAMS,
)
def indicator_without_risk(ctx):
    checks = (
        (Q(household__water_safe=False), (R_WATER,), _("no safe drinking water but no risk 因安全饮水")),
        (dangerous_house_q("household__"), (R_HOUSING,), _("danger housing but no risk 因安全住房")),
        (
            member_of_case(Q(medical_insurance=False)),
            (R_ILLNESS,),
            _("a member is uninsured but no risk 因病"),
        ),
        (
            member_of_case(out_of_school_q(ctx)),
            (R_DROPOUT, R_SCHOOL),
            _("a child of compulsory-school age is out of school but no risk 因学 or 失学辍学"),
        ),
    )
    found: dict[int, list[str]] = {}
    for problem, risks, text in checks:
        matched = Q(pk__in=[])
        for code in risks:
            matched |= risk_q(code)
        for household_id in (
            monitored(ctx).filter(problem).exclude(matched).values_list("household_id", flat=True)
        ):
            found.setdefault(household_id, []).append(str(text))
    for household_id, texts in found.items():
        yield Hit(household_id, None, "；".join(texts))


@rule(
    "MN-006",
    _lazy("Risk 因务工就业不稳 but nobody has labour or no work record"),
    severity=WARNING,
    fields=("risks", "labour", "work_status"),
    source="fp 2_11_006, 5_15_013/014",
    blank_note=_lazy("Each part is skipped when no member's labour, or work status, is filled in."),
)
def work_risk_without_work(ctx):
    rows = monitored(ctx).filter(risk_q(R_WORK))
    no_labour = rows.filter(member_of_case(~Q(labour=""))).exclude(
        member_of_case(Q(labour__in=labour_codes()))
    )
    yield from case_hits(no_labour, _("risk 因务工就业不稳 but no member has labour"))
    working = ~Q(work_status="") & ~Q(work_status=NOT_WORKING)
    no_work = rows.filter(member_of_case(~Q(work_status=""))).exclude(member_of_case(working))
    yield from case_hits(no_work, _("risk 因务工就业不稳 but no member works"))


@rule(
    "MN-007",
    _lazy("Risk 因病 but nobody is ill, or no out-of-pocket expense"),
    severity=WARNING,
    fields=("risks", "health", "out_of_pocket_expense"),
    source="fp 5_15_015, 5_15_020",
    blank_note=_lazy("Skipped when no member's health is filled in, or the expense is blank."),
)
def illness_risk_without_illness(ctx):
    rows = monitored(ctx).filter(risk_q(R_ILLNESS))
    nobody_ill = rows.filter(member_of_case(~Q(health=""))).exclude(member_of_case(Q(health__in=ILL)))
    yield from case_hits(nobody_ill, _("risk 因病 but no member has a serious or chronic illness"))
    yield from case_hits(
        rows.filter(out_of_pocket_expense=0), _("risk 因病 but compliant out-of-pocket expenses are 0")
    )


# ------------------------------------------------------------------ measures against risks


def _risk_without_measure(ctx, risk: str, message):
    categories = ctx.params["categories"] or risk_measures(risk)
    rows = monitored(ctx).filter(risk_q(risk)).exclude(case_measure(Q(category__in=categories)))
    return case_hits(rows, message)


CATEGORIES_PARAM = Param(
    "categories", [], _lazy("measure categories that answer the risk (blank: those of the code list)")
)


@rule(
    "MN-008",
    _lazy("Risk 因病 without a health or social measure"),
    severity=ERROR,
    fields=("risks", "measures"),
    source="fp 5_18_001",
    params=(CATEGORIES_PARAM,),
)
def illness_without_measure(ctx):
    return _risk_without_measure(ctx, R_ILLNESS, ctx.title)


@rule(
    "MN-009",
    _lazy("Risk 因学 without an education measure"),
    severity=ERROR,
    fields=("risks", "measures"),
    source="fp 5_18_002",
    params=(CATEGORIES_PARAM,),
)
def school_without_measure(ctx):
    return _risk_without_measure(ctx, R_SCHOOL, ctx.title)


@rule(
    "MN-010",
    _lazy("Risk 因残 without a welfare measure"),
    severity=ERROR,
    fields=("risks", "measures", "disability_cert"),
    source="fp 5_18_003, 3_11_005, 5_16_008",
    params=(
        CATEGORIES_PARAM,
        Param("allowance_categories", [WELFARE], _lazy("measure categories of the disability allowance")),
    ),
    blank_note=_lazy("The allowance part reads the level from a 20-character disability certificate."),
)
def disability_without_measure(ctx):
    yield from _risk_without_measure(ctx, R_DISABILITY, ctx.title)
    allowance = Q(category__in=ctx.params["allowance_categories"])
    households = monitored(ctx).exclude(case_measure(allowance)).values("household")
    severe = Q(disability_cert__regex=r"^.{19}[12]$")
    rows = Member.objects.filter(severe, household__in=households, status=ACTIVE_STATUS)
    for pk, household_id, name in rows.values_list("pk", "household_id", "name"):
        yield Hit(
            household_id, pk, f"{name}：{_('level 1–2 disability without a disability allowance')}", WARNING
        )


@rule(
    "MN-011",
    _lazy("Risk 因安全住房 without a housing or relocation measure"),
    severity=ERROR,
    fields=("risks", "measures"),
    source="fp 5_18_004, 3_11_006",
    params=(CATEGORIES_PARAM,),
)
def housing_without_measure(ctx):
    return _risk_without_measure(ctx, R_HOUSING, ctx.title)


@rule(
    "MN-012",
    _lazy("Risk 因安全饮水 without a water measure"),
    severity=ERROR,
    fields=("risks", "measures"),
    source="fp 5_18_006, 3_11_008",
    params=(CATEGORIES_PARAM,),
)
def water_without_measure(ctx):
    return _risk_without_measure(ctx, R_WATER, ctx.title)


@rule(
    "MN-013",
    _lazy("Child out of school or uninsured member without a matching measure"),
    severity=ERROR,
    fields=("student_status", "birth_date", "medical_insurance", "measures"),
    source="fp 5_18_005/007, 3_11_007/009",
    params=SCHOOL_AGE_PARAMS
    + (
        Param("school_categories", ["A06"], _lazy("measure categories for a child out of school")),
        Param("health_categories", ["A07", "A13"], _lazy("measure categories for an uninsured member")),
    ),
)
def member_problem_without_measure(ctx):
    parts = (
        (out_of_school_q(ctx), ctx.params["school_categories"], _("out of school without 义务教育保障")),
        (
            Q(medical_insurance=False),
            ctx.params["health_categories"],
            _("uninsured without a health or social measure"),
        ),
    )
    for q, categories, text in parts:
        households = monitored(ctx).exclude(case_measure(Q(category__in=categories))).values("household")
        rows = Member.objects.filter(q, household__in=households, status=ACTIVE_STATUS)
        for pk, household_id, name in rows.values_list("pk", "household_id", "name"):
            yield Hit(household_id, pk, f"{name}：{text}")


@rule(
    "MN-014",
    _lazy("Open risk with labour but no development-type measure after 6 months"),
    severity=ERROR,
    fields=("identified_on", "labour", "measures"),
    source="fp 5_12_007, 5_11_030",
    params=(
        Param("months", 6, _lazy("months after identification")),
        Param("labour_codes", ["1", "2", "3"], _lazy("labour codes counted as having labour")),
        Param("development_categories", DEVELOPMENT, _lazy("measure categories of development-type help")),
    ),
)
def labour_without_development(ctx):
    cutoff = months_before(ctx.today, int(ctx.params["months"]))
    development = Q(category__in=ctx.params["development_categories"])
    with_labour = member_of_case(Q(labour__in=ctx.params["labour_codes"]))
    rows = monitored(ctx).filter(with_labour, identified_on__lte=cutoff)
    rows = rows.exclude(case_measure(development & Q(status=IMPLEMENTED)))
    yield from case_hits(rows.exclude(case_measure(development)), _("no development-type measure"))
    yield from case_hits(
        rows.filter(case_measure(development)), _("development-type measures registered but none implemented")
    )


@rule(
    "MN-015",
    _lazy("Development measures only 其他 or 技能培训"),
    severity=WARNING,
    fields=("measures",),
    source="fp 5_12_011",
    params=(
        Param("development_categories", DEVELOPMENT, _lazy("measure categories of development-type help")),
    ),
)
def development_only_training(ctx):
    implemented = Q(status=IMPLEMENTED)
    thin = Q(item=SKILLS_TRAINING) | Q(category=OTHER_CATEGORY)
    real = Q(category__in=ctx.params["development_categories"]) & ~Q(item=SKILLS_TRAINING)
    rows = monitored(ctx).filter(case_measure(implemented & thin)).exclude(case_measure(implemented & real))
    return case_hits(rows, ctx.title)


@rule(
    "MN-016",
    _lazy("Premium-subsidy measure inconsistent with the identification month"),
    severity=WARNING,
    fields=("identified_on", "measures"),
    source="fp 1111_06/09/13",
    params=(
        Param(
            "cutoff_month",
            12,
            _lazy("premium cut-off month, counted from January of the year before (12 = its December)"),
        ),
        Param(
            "keywords", ["参保", "缴费", "保费"], _lazy("words naming a premium subsidy in the description")
        ),
        Param("health_categories", ["A07"], _lazy("measure categories of health help")),
    ),
    blank_note=_lazy(
        "A premium subsidy is a health measure whose description holds a keyword; it is reported when it "
        "is for the identification year of a household identified after the cut-off. A measure without "
        "year and start date is skipped."
    ),
)
def premium_subsidy_after_cutoff(ctx):
    # Cut-off counted from January of the year before: 12 = its December, so any identification
    # month of the insurance year is later; 18 would be June of the insurance year.
    after_cutoff = Q(identified_month__gt=int(ctx.params["cutoff_month"]) - 12)
    named = Q(pk__in=[])
    for word in ctx.params["keywords"]:
        named |= Q(description__contains=word)
    premium = (
        AssistanceMeasure.objects.filter(named, household=OuterRef("household"))
        .filter(category__in=ctx.params["health_categories"])
        .annotate(covers=Coalesce("year", ExtractYear("start_date"), output_field=IntegerField()))
        .filter(covers=OuterRef("identified_year"))
    )
    rows = cases(ctx, MONITORED_STATES + (CaseState.RISK_ELIMINATED,)).filter(identified_on__isnull=False)
    rows = rows.annotate(
        identified_year=ExtractYear("identified_on"), identified_month=ExtractMonth("identified_on")
    )
    for household_id, identified in rows.filter(after_cutoff, Exists(premium)).values_list(
        "household_id", "identified_on"
    ):
        yield Hit(
            household_id,
            None,
            _("premium subsidy recorded for %(year)s, but identified on %(date)s after the cut-off")
            % {"year": identified.year, "date": identified.isoformat()},
        )


# ------------------------------------------------------------------ elimination


@rule(
    "MN-017",
    _lazy("Assisted elimination less than 6 months after identification"),
    severity=ERROR,
    fields=("elimination_method", "identified_on", "eliminated_on"),
    source="fp 2_11_002",
    params=(
        Param(
            "months",
            6,
            _lazy("minimum months before assisted elimination"),
            parameter="monitoring_min_months",
        ),
        Param("since", 202204, _lazy("applies to eliminations from (YYYYMM)")),
    ),
)
def eliminated_too_soon(ctx):
    months = int(ctx.params["months"])
    rows = assisted_eliminations(ctx).filter(identified_on__isnull=False, eliminated_on__isnull=False)
    rows = rows.annotate(
        since=ExtractYear("eliminated_on") * Value(100) + ExtractMonth("eliminated_on"),
        gap_end=day_index("eliminated_on"),
        earliest=day_index("identified_on") + Value(100 * months),
    ).filter(since__gte=int(ctx.params["since"]), gap_end__lt=F("earliest"))
    for household_id, identified, eliminated_on in rows.values_list(
        "household_id", "identified_on", "eliminated_on"
    ):
        yield Hit(
            household_id,
            None,
            _("identified %(identified)s, eliminated %(eliminated)s: less than %(months)s months")
            % {
                "identified": identified.isoformat(),
                "eliminated": eliminated_on.isoformat(),
                "months": months,
            },
        )


@rule(
    "MN-018",
    _lazy("Assisted elimination in the month of identification or the next"),
    severity=ERROR,
    fields=("elimination_method", "identified_on", "eliminated_on"),
    source="fp 5_18_009",
)
def eliminated_next_month(ctx):
    rows = assisted_eliminations(ctx).filter(identified_on__isnull=False, eliminated_on__isnull=False)
    rows = rows.annotate(months=month_index("eliminated_on") - month_index("identified_on")).filter(
        months__lte=1
    )
    for household_id, identified, eliminated_on in rows.values_list(
        "household_id", "identified_on", "eliminated_on"
    ):
        yield Hit(
            household_id,
            None,
            _("identified %(identified)s, eliminated %(eliminated)s")
            % {"identified": identified.isoformat(), "eliminated": eliminated_on.isoformat()},
        )


@rule(
    "MN-019",
    _lazy("Eliminated with income below the monitoring range"),
    severity=ERROR,
    fields=("eliminated_on", "post_income_per_capita", "per_capita_income"),
    source="fp 4_11_010",
    params=(Param("range", "monitoring_range", _lazy("yearly parameter holding the monitoring range")),),
    blank_note=_lazy(
        "The income after elimination is read, else the income record of the elimination year; "
        "skipped when neither exists or the year has no range."
    ),
)
def eliminated_below_range(ctx):
    rows = cases(ctx, [CaseState.RISK_ELIMINATED]).filter(eliminated_on__isnull=False)
    lines = range_by_year(ctx.params["range"], ctx.today.year)
    record = IncomeRecord.objects.filter(household=OuterRef("household"), year=OuterRef("elimination_year"))
    rows = rows.annotate(elimination_year=ExtractYear("eliminated_on")).annotate(
        income=Coalesce("post_income_per_capita", Subquery(record.values("per_capita_income")[:1]))
    )
    for household_id, year, income in rows.filter(
        below_line_q(lines, "elimination_year", "income")
    ).values_list("household_id", "elimination_year", "income"):
        yield Hit(
            household_id,
            None,
            _("eliminated in %(year)s with %(income)s 元 per person, below the range %(line)s")
            % {"year": year, "income": _amount(income), "line": _amount(lines[year])},
        )


@rule(
    "MN-020",
    _lazy("Eliminated household in which nobody has labour"),
    severity=ERROR,
    fields=("labour",),
    source="fp 4_11_011",
    params=(NO_LABOUR_PARAM,),
    blank_note=_lazy("A household with a member whose labour is blank is skipped."),
)
def eliminated_without_labour(ctx):
    rows = eliminated(ctx).filter(nobody_has_labour(ctx.params["no_labour"], ref="household"))
    return case_hits(rows, ctx.title)


@rule(
    "MN-021",
    _lazy("Eliminated household with a child out of school, unsafe water or danger housing"),
    severity=ERROR,
    fields=("student_status", "birth_date", "water_safe", "housing_grade", "is_dangerous_house"),
    source="fp 1_11_005–007, 1_02_008/009",
    params=SCHOOL_AGE_PARAMS,
)
def eliminated_with_problem(ctx):
    rows = eliminated(ctx)
    problems = (
        (Q(household__water_safe=False), _("no safe drinking water")),
        (dangerous_house_q("household__"), _("danger housing")),
    )
    found: dict[int, list[str]] = {}
    for q, text in problems:
        for household_id in rows.filter(q).values_list("household_id", flat=True):
            found.setdefault(household_id, []).append(str(text))
    for household_id, texts in found.items():
        yield Hit(household_id, None, _("eliminated with %(problems)s") % {"problems": "、".join(texts)})
    children = Member.objects.filter(
        out_of_school_q(ctx), household__in=rows.values("household"), status=ACTIVE_STATUS
    )
    for pk, household_id, name in children.values_list("pk", "household_id", "name"):
        yield Hit(household_id, pk, f"{name}：{_('eliminated while the child is out of school')}")


@rule(
    "MN-022",
    _lazy("Eliminated without post-elimination indicators or contact"),
    severity=ERROR,
    fields=("post_income_per_capita", "post_guarantees_secure", "contact_name", "contact_phone"),
    source="fp 1_11_004, 1_11_011",
    blank=BLANK_IS_ERROR,
    blank_note=_lazy("The rule is about the blanks: each missing item is named."),
)
def eliminated_without_follow_up(ctx):
    missing = (
        (Q(post_income_per_capita__isnull=True), _("income after elimination")),
        (Q(post_guarantees_secure__isnull=True), _("三保障 and water after elimination")),
        (Q(contact_name=""), _("monitoring contact")),
        (Q(contact_phone=""), _("contact person's phone")),
    )
    found: dict[int, list[str]] = {}
    rows = cases(ctx, [CaseState.RISK_ELIMINATED])
    for q, text in missing:
        for household_id in rows.filter(q).values_list("household_id", flat=True):
            found.setdefault(household_id, []).append(str(text))
    for household_id, texts in found.items():
        yield Hit(household_id, None, _("eliminated without %(items)s") % {"items": "、".join(texts)})


@rule(
    "MN-023",
    _lazy("Assisted elimination with no measure recorded"),
    severity=ERROR,
    fields=("elimination_method", "measures"),
    source="fp 1_11_009",
)
def assisted_without_measure(ctx):
    return case_hits(assisted_eliminations(ctx).exclude(case_measure()), ctx.title)


@rule(
    "MN-024",
    _lazy("Open household without labour not flagged 整户无劳动能力兜底保障户"),
    severity=WARNING,
    fields=("labour", "dibao", "tekun"),
    source="fp 5_11_033",
    params=(NO_LABOUR_PARAM,),
    blank_note=_lazy(
        "The register has no 整户无劳动能力兜底保障户 flag: a member in 低保 or 特困 counts as flagged. "
        "Skipped when a member's labour is blank or nobody's 低保/特困 is filled in."
    ),
)
def no_labour_without_protection(ctx):
    protected = member_of_case(Q(dibao=True) | Q(tekun=True))
    known = member_of_case(Q(dibao__isnull=False) | Q(tekun__isnull=False))
    rows = monitored(ctx).filter(nobody_has_labour(ctx.params["no_labour"], ref="household"), known)
    return case_hits(rows.exclude(protected), _("no member has labour and nobody receives 低保 or 特困"))
