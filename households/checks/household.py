"""HH-001…HH-014: household composition and attributes (DOMAIN.md §9.2)."""

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from households.codefields import ACTIVE_STATUS, HEAD_RELATION
from households.models import Household, LivingConditions, Member

from .base import (
    active_count,
    has_measure,
    has_member,
    head_subquery,
    household_hits,
    labour_codes,
    member_hits,
    student_q,
)
from .registry import BLANK_IS_ERROR, ERROR, WARNING, Hit, Param, rule

SPOUSE = "02"
DIBAO_ATTRIBUTE, TEKUN_ATTRIBUTE = "2", "3"
NOT_WORKING = "0"  # work_status 非务工


@rule(
    "HH-001",
    _lazy("The household does not have exactly one head (户主)"),
    severity=ERROR,
    fields=("relation",),
    source="fp 3_02_011/012, 3_11_001/002",
    blank=BLANK_IS_ERROR,
    blank_note=_lazy("A household without any member marked 户主 is reported."),
)
def one_head(ctx):
    rows = ctx.households.annotate(heads=active_count(Q(members__relation=HEAD_RELATION))).exclude(heads=1)
    return household_hits(ctx, rows)


@rule(
    "HH-002",
    _lazy("The head named on the household differs from the member marked 户主"),
    severity=ERROR,
    fields=("head_name", "relation", "name"),
    source="nat",
)
def head_name_matches(ctx):
    rows = ctx.households.exclude(head_name="").annotate(head=_head_name()).filter(head__isnull=False)
    return household_hits(ctx, rows.exclude(head=F("head_name")))


def _head_name():
    heads = Member.objects.filter(household=OuterRef("pk"), relation=HEAD_RELATION, status=ACTIVE_STATUS)
    return Subquery(heads.order_by("pk").values("name")[:1])


@rule(
    "HH-003",
    _lazy("Household size (家庭人口数) differs from the number of members on the register"),
    severity=ERROR,
    fields=("member_count",),
    source="nat",
)
def member_count(ctx):
    rows = ctx.households.filter(member_count__isnull=False).annotate(n=active_count())
    for pk, recorded, actual in rows.exclude(member_count=F("n")).values_list("pk", "member_count", "n"):
        yield Hit(
            pk,
            None,
            _("household size %(recorded)s, members on the register %(actual)s")
            % {"recorded": recorded, "actual": actual},
        )


@rule(
    "HH-004",
    _lazy("More than one spouse, or a spouse of the same sex as the head"),
    severity=ERROR,
    fields=("relation", "sex"),
    source="fp 2_02_001, 2_11_003",
)
def spouse(ctx):
    two = ctx.households.annotate(n=active_count(Q(members__relation=SPOUSE))).filter(n__gt=1)
    yield from household_hits(ctx, two, _("more than one spouse"))
    same_sex = ctx.members().filter(relation=SPOUSE).exclude(sex="").annotate(head_sex=head_subquery("sex"))
    yield from member_hits(ctx, same_sex.filter(head_sex=F("sex")), _("spouse of the same sex as the head"))


@rule(
    "HH-005",
    _lazy("Head of household younger than 16"),
    severity=WARNING,
    fields=("relation", "birth_date"),
    source="nat",
    params=(Param("min_age", 16, _lazy("minimum age of a head")),),
)
def young_head(ctx):
    heads = ctx.members().filter(relation=HEAD_RELATION).filter(ctx.age_between(0, ctx.params["min_age"] - 1))
    return member_hits(ctx, heads)


@rule(
    "HH-006",
    _lazy("低保/特困 attribute without a member receiving 低保/特困 (or the reverse)"),
    severity=ERROR,
    fields=("attribute", "dibao", "tekun"),
    source="s001",
    blank_note=_lazy("Skipped when 低保 and 特困 are blank for every member."),
)
def attribute_support(ctx):
    filled = has_member(Q(dibao__isnull=False) | Q(tekun__isnull=False))
    rows = ctx.households.filter(filled)
    no_dibao = rows.filter(attribute=DIBAO_ATTRIBUTE).exclude(has_member(Q(dibao=True)))
    yield from household_hits(ctx, no_dibao, _("attribute 低保贫困户 but no member receives 低保"))
    no_tekun = rows.filter(attribute=TEKUN_ATTRIBUTE).exclude(has_member(Q(tekun=True)))
    yield from household_hits(ctx, no_tekun, _("attribute 特困供养贫困户 but no member receives 特困供养"))
    reverse = rows.exclude(attribute__in=(DIBAO_ATTRIBUTE, TEKUN_ATTRIBUTE)).filter(
        has_member(Q(dibao=True) | Q(tekun=True))
    )
    yield from household_hits(
        ctx, reverse, _("a member receives 低保/特困 but the attribute is 一般贫困户"), severity=WARNING
    )


@rule(
    "HH-007",
    _lazy("Nobody in the household has labour, yet nobody receives 低保 or 特困"),
    severity=WARNING,
    fields=("labour", "dibao", "tekun"),
    source="fp 5_19_003, 5_19_007",
    blank_note=_lazy("Skipped when any member's labour is blank or 低保/特困 are blank for everyone."),
)
def no_labour_no_support(ctx):
    rows = ctx.households.filter(has_member(Q())).exclude(has_member(Q(labour="")))
    rows = rows.exclude(has_member(Q(labour__in=labour_codes())))
    rows = rows.filter(has_member(Q(dibao__isnull=False) | Q(tekun__isnull=False)))
    return household_hits(ctx, rows.exclude(has_member(Q(dibao=True) | Q(tekun=True))))


@rule(
    "HH-008",
    _lazy("特困供养 member aged 18–59, healthy and not a student"),
    severity=WARNING,
    fields=("tekun", "birth_date", "health", "student_status"),
    source="fp 5_15_018/019",
    params=(Param("min_age", 18), Param("max_age", 59)),
)
def tekun_able(ctx):
    p = ctx.params
    rows = ctx.members().filter(tekun=True, health="1").filter(ctx.age_between(p["min_age"], p["max_age"]))
    return member_hits(ctx, rows.exclude(student_q()))


@rule(
    "HH-009",
    _lazy("Contact phone is not an 11-digit mobile number, or the same number is on another household"),
    severity=WARNING,
    fields=("phone",),
    source="fp 4_02_001, 5_13_003, 2_01_013/014, 5_15_022",
)
def phone(ctx):
    rows = ctx.households.exclude(phone="")
    yield from household_hits(
        ctx, rows.exclude(phone__regex=r"^1[3-9][0-9]{9}$"), _("phone is not a mobile number")
    )
    shared = Household.objects.filter(phone=OuterRef("phone")).exclude(pk=OuterRef("pk"))
    yield from household_hits(
        ctx, rows.filter(Exists(shared)), _("the same phone number is on another household")
    )


@rule(
    "HH-013",
    _lazy("The household has no assistance measure at all"),
    severity=ERROR,
    fields=("measures",),
    source="nat",
    blank=BLANK_IS_ERROR,
    blank_note=_lazy("No measure at all is what this rule reports."),
)
def no_measure(ctx):
    return household_hits(ctx, ctx.households.exclude(has_measure(Q())))


# The survey's mandatory fields (DOMAIN §9.2 HH-010): on the conditions record and on the household.
MANDATORY_CONDITIONS = (
    "housing_area",
    "forest_area",
    "pasture_area",
    "road_type",
    "road_distance_km",
    "sanitary_toilet",
)
MANDATORY_HOUSEHOLD = ("farmland_area", "is_dangerous_house", "water_safe", "has_electricity")
TEXT_CONDITIONS = {"road_type"}  # empty is "", not NULL
# HH-011: (field path on Household, parameter holding its upper limit)
LAND_LIMITS = (
    ("farmland_area", "land_max"),
    ("conditions__pasture_area", "land_max"),
    ("conditions__water_surface_area", "land_max"),
    ("conditions__forest_area", "forest_max"),
    ("conditions__returned_forest_area", "forest_max"),
    ("conditions__orchard_area", "forest_max"),
    ("conditions__road_distance_km", "road_max"),
)
RELOCATION_CATEGORY = "A10"  # measure_category 搬迁


def _field_label(path: str) -> str:
    model = LivingConditions if path.startswith("conditions__") else Household
    return str(model._meta.get_field(path.removeprefix("conditions__")).verbose_name)


def _empty_q(path: str) -> Q:
    if path.removeprefix("conditions__") in TEXT_CONDITIONS:
        return Q(**{path: ""})
    return Q(**{f"{path}__isnull": True})


@rule(
    "HH-010",
    _lazy("Mandatory living-condition fields are empty (land, road, electricity, water, toilet, housing)"),
    severity=ERROR,
    fields=("land", "road", "toilet"),
    source="fp 3_02_*, 5_14_015–021, 5_19_002–006",
    blank=BLANK_IS_ERROR,
    blank_note=_lazy(
        "Households without a living-conditions record (survey never collected) are skipped; in a "
        "recorded survey every empty mandatory field is reported."
    ),
)
def conditions_complete(ctx):
    paths = [f"conditions__{name}" for name in MANDATORY_CONDITIONS] + list(MANDATORY_HOUSEHOLD)
    any_empty = Q()
    for path in paths:
        any_empty |= _empty_q(path)
    rows = ctx.households.filter(conditions__isnull=False).filter(any_empty)
    for pk, *values in rows.values_list("pk", *paths):
        empty = [_field_label(path) for path, value in zip(paths, values, strict=True) if value in (None, "")]
        yield Hit(pk, None, _("empty: %(fields)s") % {"fields": "、".join(empty)})


@rule(
    "HH-011",
    _lazy("Land area or road distance out of range"),
    severity=WARNING,
    fields=("land", "road"),
    source="fp 5_14_001–014",
    params=(
        Param("land_max", 100, _lazy("largest plausible farmland, pasture or water surface (mu)")),
        Param("forest_max", 200, _lazy("largest plausible forest, returned-forest or orchard area (mu)")),
        Param("road_max", 5, _lazy("largest plausible distance to the village main road (km)")),
    ),
    blank_note=_lazy("Empty areas and distances are not looked at."),
)
def land_out_of_range(ctx):
    limits = [(path, ctx.params[param]) for path, param in LAND_LIMITS]
    too_large = Q()
    for path, limit in limits:
        too_large |= Q(**{f"{path}__gt": limit})
    rows = ctx.households.filter(too_large)
    for pk, *values in rows.values_list("pk", *(path for path, _limit in limits)):
        parts = [
            _("%(field)s %(value)s exceeds %(limit)s")
            % {"field": _field_label(path), "value": value, "limit": limit}
            for (path, limit), value in zip(limits, values, strict=True)
            if value is not None and value > limit
        ]
        yield Hit(pk, None, "；".join(parts))


@rule(
    "HH-012",
    _lazy("Relocated household settled inside its own group, or relocation after 2020"),
    severity=WARNING,
    fields=("relocation",),
    source="s001; fp 1111_4",
    params=(Param("last_year", 2020, _lazy("last year of 易地扶贫搬迁 for newly identified households")),),
    blank_note=_lazy(
        "A household whose own group, resettlement group or identification month is empty is not "
        "looked at for that part."
    ),
)
def relocation(ctx):
    own_group = ctx.households.exclude(group_name="").filter(
        conditions__is_relocated=True,
        conditions__relocation_village=F("village"),
        conditions__relocation_group=F("group_name"),
    )
    yield from household_hits(ctx, own_group, _("relocated household settled in its own village group"))
    late = ctx.households.filter(identified_month__year__gt=ctx.params["last_year"]).filter(
        has_measure(Q(category=RELOCATION_CATEGORY))
    )
    yield from household_hits(
        ctx,
        late,
        _("搬迁 measure for a household identified after %(year)s") % {"year": ctx.params["last_year"]},
    )


@rule(
    "HH-014",
    _lazy("Household with labour but no member in stable work"),
    severity=WARNING,
    fields=("labour", "work_status", "work_months"),
    source="s003",
    params=(Param("min_months", 6, _lazy("months of work a year that count as stable")),),
    blank_note=_lazy(
        "Skipped when no member's work status is filled in; a worker whose months are blank counts as "
        "in stable work."
    ),
)
def labour_without_stable_work(ctx):
    """A member has labour (技能/普通劳动力), work was recorded, yet nobody works the minimum months."""
    working = ~Q(work_status__in=("", NOT_WORKING))
    stable = working & (Q(work_months__isnull=True) | Q(work_months__gte=ctx.params["min_months"]))
    rows = ctx.households.filter(has_member(Q(labour__in=labour_codes())), has_member(~Q(work_status="")))
    return household_hits(ctx, rows.exclude(has_member(stable)))
