"""HH-001…HH-014: household composition and attributes (DOMAIN.md §9.2)."""

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from households.codefields import ACTIVE_STATUS, HEAD_RELATION
from households.models import Household, Member

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
from .registry import BLANK_IS_ERROR, ERROR, WARNING, Hit, Param, not_applicable, rule

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


not_applicable(
    "HH-010",
    _lazy("Mandatory living-condition fields are empty (land, road, electricity, water, toilet, housing)"),
    severity=ERROR,
    fields=("land", "road", "toilet"),
    source="fp 3_02_*, 5_14_015–021, 5_19_002–006",
    why=_lazy("not applicable: the register has no land, road or toilet fields yet"),
)
not_applicable(
    "HH-011",
    _lazy("Land area or road distance out of range"),
    severity=WARNING,
    fields=("land", "road"),
    source="fp 5_14_001–014",
    why=_lazy("not applicable: the register has no forest/pasture area or road distance yet"),
)
not_applicable(
    "HH-012",
    _lazy("Relocated household settled inside its own group, or relocation after 2020"),
    severity=WARNING,
    fields=("relocation",),
    source="s001; fp 1111_4",
    why=_lazy("not applicable: the register has no relocation records yet"),
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
