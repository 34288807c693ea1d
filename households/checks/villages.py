"""VL-001…VL-004: village indicators (DOMAIN.md §4.4, §9.8).

A VL rule's subject is a village, while a violation is kept per household (runner.py keys it
by rule, household and member). So each village that trips a rule gets one hit, on the
village's first household (lowest household number), with the village named in the message.
The hit is only given when that household is in the scope being checked, so a scan of a few
households neither duplicates nor resolves a village's violation held by another household.
"""

from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from households.codefields import ACTIVE_STATUS
from households.models import Household, Member, Village, VillageIndicators

from .base import exited_codes
from .exit import POOR_TYPE
from .registry import BLANK_IS_ERROR, ERROR, WARNING, Hit, Param, rule

# The §4.4 list, in the order of the indicators form.
INDICATOR_FIELDS = (
    "total_households",
    "total_population",
    "collective_income",
    "primary_schools",
    "pension_insured",
    "bus_service",
    "clinics",
    "doctors",
    "public_toilets",
    "garbage_points",
    "cultural_rooms",
    "dibao_households",
    "dibao_persons",
    "tekun_persons",
    "disabled_persons",
    "hardened_road",
    "households_without_water",
    "households_in_danger_housing",
    "land_area",
)


def first_household():
    """The village's household with the lowest number: the one that carries its VL violations."""
    rows = Household.objects.filter(village=OuterRef("pk")).order_by("number")
    return Subquery(rows.values("pk")[:1])


def villages_in_scope(ctx) -> QuerySet[Village]:
    """Villages whose first household is in the scope, annotated with that household (`anchor`)."""
    return (
        Village.objects.filter(pk__in=ctx.households.values("village_id"))
        .annotate(anchor=first_household())
        .filter(anchor__in=ctx.household_ids)
        .select_related("township")
        .order_by("code")
    )


def exited_villages(ctx) -> QuerySet[Village]:
    """Villages with an exit year (出列年度) up to this year: a planned exit is not an exit yet."""
    return villages_in_scope(ctx).filter(exit_year__isnull=False, exit_year__lte=ctx.today.year)


def village_hit(village: Village, message: str) -> Hit:
    return Hit(village.anchor, None, f"{village.township.name}{village.name}：{message}")


def label(field_name: str) -> str:
    return str(VillageIndicators._meta.get_field(field_name).verbose_name)


@rule(
    "VL-001",
    _lazy("Exited village with an empty indicator or no hardened road"),
    severity=ERROR,
    fields=("village_indicators",),
    source="fp 1_03_002–016, 2_03_001",
    blank=BLANK_IS_ERROR,
    blank_note=_lazy(
        "An exited village must hold every indicator of the village list: a missing indicators "
        "record or an empty indicator is reported."
    ),
)
def exited_village_indicators(ctx):
    """Exited villages without an indicators record, with an empty indicator, or with
    hardened_road False (no hardened road to the township)."""
    empty = Q(indicators__isnull=True) | Q(indicators__hardened_road=False)
    for name in INDICATOR_FIELDS:
        empty |= Q(**{f"indicators__{name}__isnull": True})
    villages = exited_villages(ctx).filter(empty)
    records = VillageIndicators.objects.in_bulk(
        list(villages.values_list("pk", flat=True)), field_name="village_id"
    )
    for village in villages:
        record = records.get(village.pk)
        if record is None:
            yield village_hit(village, _("no village indicators recorded"))
            continue
        problems = []
        blank = [label(name) for name in INDICATOR_FIELDS if getattr(record, name) is None]
        if blank:
            problems.append(_("empty indicators: %(names)s") % {"names": "、".join(blank)})
        if record.hardened_road is False:
            problems.append(_("no hardened road to the township"))
        yield village_hit(village, "；".join(problems))


@rule(
    "VL-002",
    _lazy("Village counts of households without water or in danger housing impossible"),
    severity=ERROR,
    fields=("total_households", "households_without_water", "households_in_danger_housing"),
    source="fp 3_03_001/003",
    blank_note=_lazy("A village whose total households are empty is skipped (VL-001 reports it)."),
)
def village_household_counts(ctx):
    """Any village: households without water or in danger housing more than the total households,
    or a total of 0 households."""
    total = "indicators__total_households"
    villages = (
        villages_in_scope(ctx)
        .filter(**{f"{total}__isnull": False})
        .filter(
            Q(**{total: 0})
            | Q(indicators__households_without_water__gt=F(total))
            | Q(indicators__households_in_danger_housing__gt=F(total))
        )
        .values_list(
            "pk",
            "anchor",
            "name",
            "township__name",
            total,
            "indicators__households_without_water",
            "indicators__households_in_danger_housing",
        )
    )
    for _pk, anchor, name, township, households, without_water, danger in villages:
        problems = []
        if households == 0:
            problems.append(_("total households is 0"))
        if without_water is not None and without_water > households:
            problems.append(
                _("%(n)s households without safe water but %(total)s households in total")
                % {"n": without_water, "total": households}
            )
        if danger is not None and danger > households:
            problems.append(
                _("%(n)s households in danger housing but %(total)s households in total")
                % {"n": danger, "total": households}
            )
        yield Hit(anchor, None, f"{township}{name}：{'；'.join(problems)}")


def farmland_sum():
    rows = (
        Household.objects.filter(village=OuterRef("pk"), farmland_area__isnull=False)
        .order_by()
        .values("village")
        .annotate(total=Sum("farmland_area"))
    )
    return Subquery(rows.values("total")[:1], output_field=DecimalField(max_digits=14, decimal_places=2))


@rule(
    "VL-003",
    _lazy("Village land area smaller than the sum of its households' areas"),
    severity=WARNING,
    fields=("land_area", "farmland_area"),
    source="fp 3_03_002",
    blank_note=_lazy(
        "Skipped when the village land area is empty or no household of the village has a farmland area."
    ),
)
def village_land_area(ctx):
    """The village's land area is smaller than the farmland of all its households (the whole
    village, not only the households in scope)."""
    villages = (
        villages_in_scope(ctx)
        .filter(indicators__land_area__isnull=False)
        .annotate(farmland=farmland_sum())
        .filter(farmland__gt=F("indicators__land_area"))
        .values_list("anchor", "name", "township__name", "indicators__land_area", "farmland")
    )
    for anchor, name, township, land, farmland in villages:
        message = _("land area %(land)s mu, but its households' farmland adds up to %(farmland)s mu") % {
            "land": land,
            "farmland": Decimal(farmland).quantize(Decimal("0.1")),
        }
        yield Hit(anchor, None, f"{township}{name}：{message}")


def members_of_village(q: Q | None = None):
    """Count of the active members of the village's households matching `q`."""
    rows = (
        Member.objects.filter(q or Q(), household__village=OuterRef("pk"), status=ACTIVE_STATUS)
        .order_by()
        .values("household__village")
        .annotate(n=Count("pk"))
    )
    return Subquery(rows.values("n")[:1])


@rule(
    "VL-004",
    _lazy("Exited village with incidence at or above the threshold"),
    severity=ERROR,
    fields=("exit_year", "total_population", "household_type", "exit_status"),
    source="nat",
    blank_note=_lazy(
        "When the village's total population is empty, the active members of all its registered "
        "households are the population; a village without population is skipped."
    ),
    params=(Param("threshold", 2, _lazy("incidence at which an exited village is reported (%)")),),
)
def exited_village_incidence(ctx):
    """Incidence = active members of not-exited 贫困户 households ÷ total population (indicators),
    or ÷ all active members of the village's households when the population is empty."""
    threshold = Decimal(str(ctx.params["threshold"]))
    villages = (
        exited_villages(ctx)
        .annotate(
            poor=members_of_village(
                Q(household__household_type=POOR_TYPE) & ~Q(household__exit_status__in=exited_codes())
            ),
            registered=members_of_village(),
        )
        .values_list("anchor", "name", "township__name", "indicators__total_population", "poor", "registered")
    )
    for anchor, name, township, population, poor, registered in villages:
        poor_persons = poor or 0
        base = population if population is not None else (registered or 0)
        if not base or poor_persons * 100 < threshold * base:
            continue
        message = _(
            "incidence %(rate)s%% (%(poor)s poor persons not exited of %(population)s), "
            "threshold %(threshold)s%%"
        ) % {
            "rate": (Decimal(poor_persons * 100) / base).quantize(Decimal("0.01")),
            "poor": poor_persons,
            "population": base,
            "threshold": ctx.params["threshold"],
        }
        yield Hit(anchor, None, f"{township}{name}：{message}")
