"""CM-001…CM-011: the cause of poverty against the measures taken (DOMAIN.md §9.3).

The measure a cause implies comes from the code list (poverty_cause `measures`), never
from labels written here.
"""

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from households.models import Household, MonitoringCase
from households.models.monitoring import OPEN_STATES
from povertycase.core import codes

from .base import active_count, has_measure, has_member, household_hits, label, labour_codes, student_q
from .registry import BLANK_IS_ERROR, ERROR, WARNING, Hit, Param, rule

ILLNESS, DISABILITY, SCHOOLING, SKILLS, LABOUR, FUNDS = "01", "02", "03", "07", "08", "09"
SERIOUS_HEALTH = ("2", "3")  # 长期慢性病, 患有大病
DISABLED = "4"


def implied_categories(cause: str) -> list[str]:
    entry = codes.get("poverty_cause", cause)
    return list(entry.extra.get("measures", [])) if entry else []


def _with_measures(ctx, cause: str):
    return ctx.households.filter(main_cause=cause).filter(has_measure(Q()))


@rule(
    "CM-001",
    _lazy("Too many households of one village share the same main cause"),
    severity=WARNING,
    fields=("main_cause",),
    source="s001",
    params=(
        Param("max_share", 80, _lazy("largest share of one cause in a village (%)")),
        Param("min_households", 10, _lazy("villages with fewer households are not judged")),
    ),
)
def same_cause_village(ctx):
    share, minimum = ctx.params["max_share"], ctx.params["min_households"]
    villages = ctx.households.values("village_id").distinct()
    per_village = (
        Household.objects.filter(village__in=villages).values("village_id").annotate(n=Count("pk")).order_by()
    )
    totals = {row["village_id"]: row["n"] for row in per_village if row["n"] >= minimum}
    per_cause = (
        Household.objects.filter(village__in=list(totals))
        .exclude(main_cause="")
        .values("village_id", "main_cause")
        .annotate(n=Count("pk"))
        .order_by()
    )
    crowded = [r for r in per_cause if r["n"] * 100 > share * totals[r["village_id"]]]
    for row in crowded:
        pct = round(row["n"] * 100 / totals[row["village_id"]])
        text = _("%(pct)s%% of the village's households have the main cause %(cause)s") % {
            "pct": pct,
            "cause": label("poverty_cause", row["main_cause"]),
        }
        rows = ctx.households.filter(village_id=row["village_id"], main_cause=row["main_cause"])
        yield from household_hits(ctx, rows, text)


@rule(
    "CM-002",
    _lazy("Cause 缺资金 but no 金融 or 产业 measure (e.g. only 教育)"),
    severity=ERROR,
    fields=("main_cause", "measures"),
    source="s001",
    blank_note=_lazy("Skipped when the household has no measure at all (HH-013 reports that)."),
)
def funds_without_finance(ctx):
    rows = _with_measures(ctx, FUNDS).exclude(has_measure(Q(category__in=implied_categories(FUNDS))))
    return household_hits(ctx, rows)


@rule(
    "CM-003",
    _lazy("Cause 缺技术 but no 技能培训 measure"),
    severity=ERROR,
    fields=("main_cause", "measures"),
    source="s001",
    params=(Param("training_items", ["03"], _lazy("measure items that count as skills training")),),
)
def skills_without_training(ctx):
    rows = _with_measures(ctx, SKILLS).exclude(has_measure(Q(item__in=ctx.params["training_items"])))
    return household_hits(ctx, rows)


@rule(
    "CM-004",
    _lazy("Cause 因病 but no 健康 measure, or no member with a serious or chronic illness"),
    severity=ERROR,
    fields=("main_cause", "measures", "health"),
    source="s001",
)
def illness(ctx):
    base = _with_measures(ctx, ILLNESS)
    yield from household_hits(
        ctx,
        base.exclude(has_measure(Q(category__in=implied_categories(ILLNESS)))),
        _("cause 因病 but no 健康 measure"),
    )
    rows = ctx.households.filter(main_cause=ILLNESS).exclude(has_member(Q(health="")))
    yield from household_hits(
        ctx, rows.exclude(has_member(Q(health__in=SERIOUS_HEALTH))), _("cause 因病 but nobody is ill")
    )


@rule(
    "CM-005",
    _lazy("Cause 因残 but no disabled member"),
    severity=ERROR,
    fields=("main_cause", "health"),
    source="fp 2_11_001",
)
def disability(ctx):
    rows = ctx.households.filter(main_cause=DISABILITY).exclude(has_member(Q(health="")))
    return household_hits(ctx, rows.exclude(has_member(Q(health=DISABLED))))


@rule(
    "CM-006",
    _lazy("Cause 因学 but no member in school or no 教育 measure"),
    severity=ERROR,
    fields=("main_cause", "student_status", "measures"),
    source="s001",
)
def schooling(ctx):
    rows = ctx.households.filter(main_cause=SCHOOLING)
    yield from household_hits(
        ctx, rows.exclude(has_member(student_q())), _("cause 因学 but nobody is in school")
    )
    no_measure = _with_measures(ctx, SCHOOLING).exclude(
        has_measure(Q(category__in=implied_categories(SCHOOLING)))
    )
    yield from household_hits(ctx, no_measure, _("cause 因学 but no 教育 measure"))


@rule(
    "CM-007",
    _lazy("Cause 缺劳力 but many members have labour"),
    severity=WARNING,
    fields=("main_cause", "labour"),
    source="fp 4_11_009, 5_11_029, 5_18_008",
    params=(Param("small_share", 25), Param("large_share", 50), Param("large_size", 4)),
)
def labour_shortage(ctx):
    p = ctx.params
    rows = ctx.households.filter(main_cause=LABOUR).exclude(has_member(Q(labour="")))
    rows = rows.annotate(n=active_count(), able=active_count(Q(members__labour__in=labour_codes()))).filter(
        n__gt=0
    )
    over = (Q(n__lt=p["large_size"]) & Q(able__gt=F("n") * p["small_share"] / 100.0)) | (
        Q(n__gte=p["large_size"]) & Q(able__gt=F("n") * p["large_share"] / 100.0)
    )
    for pk, n, able in rows.filter(over).values_list("pk", "n", "able"):
        yield Hit(
            pk, None, _("cause 缺劳力 but %(able)s of %(n)s members have labour") % {"able": able, "n": n}
        )


@rule(
    "CM-009",
    _lazy("兜底 measure without a member in 低保/特困 or disabled, or 低保/特困 without the measure"),
    severity=ERROR,
    fields=("measures", "dibao", "tekun", "health"),
    source="fp 4_11_015/016, 5_16_003–006",
    params=(Param("welfare_categories", ["A11"], _lazy("measure categories of 综合保障")),),
)
def welfare_measure(ctx):
    welfare = has_measure(Q(category__in=ctx.params["welfare_categories"]))
    filled = has_member(Q(dibao__isnull=False) | Q(tekun__isnull=False))
    qualifies = has_member(Q(dibao=True) | Q(tekun=True) | Q(health=DISABLED))
    without = ctx.households.filter(welfare, filled).exclude(qualifies)
    yield from household_hits(ctx, without, _("兜底 measure but nobody receives 低保/特困 or is disabled"))
    missing = ctx.households.filter(has_member(Q(dibao=True) | Q(tekun=True))).exclude(welfare)
    yield from household_hits(ctx, missing, _("a member receives 低保/特困 but there is no 兜底 measure"))


@rule(
    "CM-010",
    _lazy("Employment or public-welfare-post measure but nobody works"),
    severity=WARNING,
    fields=("measures", "work_status"),
    source="fp 4_11_014, 1111_3, 5_17_011–013, 1111_10",
    params=(Param("work_items", ["02", "11"], _lazy("measure items that mean work")),),
)
def work_measure(ctx):
    rows = ctx.households.filter(has_measure(Q(item__in=ctx.params["work_items"])))
    rows = rows.filter(has_member(~Q(work_status=""))).exclude(has_member(~Q(work_status__in=("", "0"))))
    return household_hits(ctx, rows)


@rule(
    "CM-011",
    _lazy("Household with labour receives only 综合保障 measures"),
    severity=WARNING,
    fields=("measures", "labour"),
    source="fp 5_11_032",
    params=(Param("welfare_categories", ["A11"]),),
)
def welfare_only(ctx):
    welfare = ctx.params["welfare_categories"]
    rows = ctx.households.filter(has_measure(Q()), has_member(Q(labour__in=labour_codes())))
    return household_hits(ctx, rows.exclude(has_measure(~Q(category__in=welfare))))


OTHER_RISK, DISASTER_RISK = "R99", "R04"


@rule(
    "CM-008",
    _lazy("Cause or risk 其他 without a remark; 因自然灾害 without a sub-item"),
    severity=ERROR,
    fields=("risks", "risk_note"),
    source="fp 2_11_004/005",
    blank=BLANK_IS_ERROR,
    blank_note=_lazy(
        "The remark is what the rule asks for: an empty remark is the error. The register keeps no "
        "remark for a cause of poverty, so only monitoring risks are judged; the sub-item of "
        "因自然灾害 is written in the risk remark."
    ),
)
def risk_without_remark(ctx):
    """An open monitoring case whose risks include 其他 or 因自然灾害 and whose remark is empty."""
    cases = MonitoringCase.objects.filter(household=OuterRef("pk"), state__in=OPEN_STATES, risk_note="")
    for code in (OTHER_RISK, DISASTER_RISK):
        rows = ctx.households.filter(Exists(cases.filter(risks__contains=f";{code};")))
        message = _("monitoring risk %(risk)s has no remark") % {"risk": label("monitor_risk", code)}
        yield from household_hits(ctx, rows, message)


__all__ = ["OuterRef", "Subquery"]
