"""MB rules on relation, labour, health, insurance, support, planned work and shared phones (DOMAIN.md §9.4).

Rules about empty fields judge a member only when another member of the same household has
the field filled in: a column the county never collected (absent from the imported file)
leaves the whole household blank and raises nothing.
"""

from django.db.models import Exists, F, FilteredRelation, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from households.codefields import ACTIVE_STATUS, HEAD_RELATION
from households.models import Member, WorkRecord
from povertycase.core import codes

from .base import active_count, household_hits, labour_codes, member_hits, student_q, ymd
from .registry import BLANK_IS_ERROR, ERROR, WARNING, Hit, Param, rule

HEALTHY, DISABLED = "1", "4"
NO_LABOUR, LOST_LABOUR, WEAK_LABOUR = "5", "4", "3"
NOT_WORKING = "0"
PHYSICAL = "4"  # disability category 肢体 in the certificate's 19th character
ORDINARY_LABOUR = "2"


def filled_by_housemate(field: str, empty) -> Exists:
    """Another active member of the same household has `field` filled in."""
    others = Member.objects.filter(household=OuterRef("household"), status=ACTIVE_STATUS).exclude(
        **{field: empty}
    )
    return Exists(others)


def blank(field: str, empty) -> Q:
    return Q(**{f"{field}__isnull": True}) if empty is None else Q(**{field: empty})


@rule(
    "MB-001",
    _lazy("Relation to the head is empty"),
    severity=ERROR,
    fields=("relation",),
    source="fp 3_01_001",
    blank=BLANK_IS_ERROR,
    blank_note=_lazy("The register makes the relation required: a blank one is reported."),
)
def relation_empty(ctx):
    return member_hits(ctx, ctx.members().filter(relation=""))


@rule(
    "MB-002",
    _lazy("Relation implies a different sex (e.g. 之子 recorded as female)"),
    severity=ERROR,
    fields=("relation", "sex"),
    source="fp 2_01_004, 2_12_008",
)
def relation_sex(ctx):
    wrong = Q(pk__in=[])
    for entry in codes.entries("relation"):
        if entry.extra.get("sex"):
            wrong |= Q(relation=entry.code) & ~Q(sex=entry.extra["sex"]) & ~Q(sex="")
    rows = ctx.members().filter(wrong).values_list("pk", "household_id", "name", "relation", "sex")
    for pk, household_id, name, relation, sex in rows:
        text = _("%(name)s: relation %(relation)s but sex %(sex)s") % {
            "name": name,
            "relation": codes.label("relation", relation),
            "sex": codes.label("sex", sex),
        }
        yield Hit(household_id, pk, text)


@rule(
    "MB-003",
    _lazy("Age gap to the head is less than 15 years per generation"),
    severity=WARNING,
    fields=("relation", "birth_date"),
    source="nat",
    params=(Param("years_per_generation", 15),),
)
def generation_gap(ctx):
    step = ctx.params["years_per_generation"]
    head = FilteredRelation(
        "household__members",
        condition=Q(household__members__relation=HEAD_RELATION, household__members__status=ACTIVE_STATUS),
    )
    rows = ctx.members().filter(birth_date__isnull=False).annotate(head=head)
    rows = rows.filter(head__birth_date__isnull=False)
    rows = rows.annotate(me=ymd("birth_date"), head_num=ymd("head__birth_date")).annotate(
        gap_younger=F("me") - F("head_num"), gap_older=F("head_num") - F("me")
    )
    too_close = Q(pk__in=[])
    for entry in codes.entries("relation"):
        generation = entry.extra.get("generation") or 0
        gap = abs(generation) * step * 10000
        if generation < 0:
            too_close |= Q(relation=entry.code, gap_younger__lt=gap)
        elif generation > 0:
            too_close |= Q(relation=entry.code, gap_older__lt=gap)
    return member_hits(ctx, rows.filter(too_close))


@rule(
    "MB-004",
    _lazy("民族, 健康状况 or 劳动技能 is empty"),
    severity=ERROR,
    fields=("ethnicity", "health", "labour"),
    source="fp 2_01_001–003, 2_12_001–003",
    blank=BLANK_IS_ERROR,
    blank_note=_lazy("Reported only when another member of the household has the field filled in."),
)
def basic_fields_empty(ctx):
    rows = ctx.members()
    missing = Q(pk__in=[])
    for field in ("ethnicity", "health", "labour"):
        missing |= Q(**{field: ""}) & Q(filled_by_housemate(field, ""))
    return member_hits(ctx, rows.filter(missing))


@rule(
    "MB-005",
    _lazy("Under 16 with a labour capacity other than 无劳动力"),
    severity=ERROR,
    fields=("labour", "birth_date"),
    source="fp 2_01_011, 2_12_014",
    params=(Param("labour_age", 16),),
)
def child_labour(ctx):
    rows = ctx.members().filter(ctx.age_between(0, ctx.params["labour_age"] - 1)).exclude(labour="")
    return member_hits(ctx, rows.exclude(labour=NO_LABOUR))


@rule(
    "MB-006",
    _lazy("Aged 60 or over with 普通/技能劳动力"),
    severity=WARNING,
    fields=("labour", "birth_date"),
    source="fp 2_12_005, 2_12_017",
    params=(Param("old_age", 60),),
)
def old_labour(ctx):
    rows = ctx.members().filter(ctx.age_between(ctx.params["old_age"], None), labour__in=labour_codes())
    return member_hits(ctx, rows)


@rule(
    "MB-007",
    _lazy("Aged 16–59, healthy, not a student, yet without labour or with weak labour"),
    severity=WARNING,
    fields=("labour", "health", "student_status", "birth_date"),
    source="fp 5_12_008, 1111_14/15",
)
def able_without_labour(ctx):
    rows = ctx.members().filter(ctx.age_between(16, 59), health=HEALTHY, labour__in=(NO_LABOUR, WEAK_LABOUR))
    return member_hits(ctx, rows.exclude(student_q()))


@rule(
    "MB-008",
    _lazy("Student with a labour capacity other than 无劳动力"),
    severity=WARNING,
    fields=("student_status", "labour"),
    source="fp 1111_07",
)
def student_labour(ctx):
    rows = ctx.members().filter(student_q()).exclude(labour="").exclude(labour=NO_LABOUR)
    return member_hits(ctx, rows)


@rule(
    "MB-009",
    _lazy("Disabled without a disability certificate number (or a certificate without 残疾)"),
    severity=ERROR,
    fields=("health", "disability_cert"),
    source="fp 4_01_002, 4_12_003",
    blank_note=_lazy("Skipped for imported households: the register workbook has no certificate column."),
)
def disability_certificate(ctx):
    rows = ctx.members().filter(household__import_batch__isnull=True)
    yield from member_hits(
        ctx, rows.filter(health=DISABLED, disability_cert=""), _("残疾 without certificate number")
    )
    cert_only = ctx.members().exclude(disability_cert="").exclude(health="").exclude(health=DISABLED)
    yield from member_hits(ctx, cert_only, _("certificate number but health is not 残疾"), severity=WARNING)


@rule(
    "MB-010",
    _lazy("Severe physical disability (level 1–2) with 普通劳动力"),
    severity=WARNING,
    fields=("disability_cert", "labour"),
    source="fp 4_01_007/008",
)
def severe_disability_labour(ctx):
    rows = (
        ctx.members()
        .filter(labour=ORDINARY_LABOUR)
        .annotate(category=Substr("disability_cert", 19, 1), level=Substr("disability_cert", 20, 1))
    )
    return member_hits(ctx, rows.filter(category=PHYSICAL, level__in=("1", "2")))


@rule(
    "MB-019",
    _lazy("Not in basic medical insurance (or left blank)"),
    severity=ERROR,
    fields=("medical_insurance",),
    source="fp 2_01_008/009, 2_12_012/015/016, 2_01_016",
    blank=BLANK_IS_ERROR,
    blank_note=_lazy("Blank is reported only when another member of the household has the field filled in."),
)
def medical_insurance(ctx):
    rows = ctx.members().filter(
        Q(medical_insurance=False)
        | (blank("medical_insurance", None) & Q(filled_by_housemate("medical_insurance", None)))
    )
    return member_hits(ctx, rows)


@rule(
    "MB-020",
    _lazy("Serious illness insurance (大病保险) is empty"),
    severity=ERROR,
    fields=("serious_illness_insurance",),
    source="fp 2_01_006, 2_12_010, 2_15_001",
    blank=BLANK_IS_ERROR,
    blank_note=_lazy("Reported only when another member of the household has the field filled in."),
)
def serious_illness_insurance(ctx):
    rows = ctx.members().filter(serious_illness_insurance__isnull=True)
    return member_hits(ctx, rows.filter(filled_by_housemate("serious_illness_insurance", None)))


@rule(
    "MB-022",
    _lazy("Pension insurance empty for a non-student aged 16 or over"),
    severity=ERROR,
    fields=("pension_insurance", "birth_date", "student_status"),
    source="fp 2_01_007, 5_15_001, 5_19_001",
    blank=BLANK_IS_ERROR,
    blank_note=_lazy("Reported only when another member of the household has the field filled in."),
    params=(Param("min_age", 16),),
)
def pension_empty(ctx):
    rows = (
        ctx.members()
        .filter(pension_insurance__isnull=True)
        .filter(ctx.age_between(ctx.params["min_age"], None))
    )
    rows = rows.exclude(student_q()).filter(filled_by_housemate("pension_insurance", None))
    return member_hits(ctx, rows)


@rule(
    "MB-023",
    _lazy("Pension insurance for a child under 16 or a full-time student"),
    severity=ERROR,
    fields=("pension_insurance", "birth_date", "student_status"),
    source="s001",
    params=(Param("min_age", 16, _lazy("age the pension scheme starts")),),
)
def child_pension(ctx):
    young = ctx.age_between(0, ctx.params["min_age"] - 1)
    return member_hits(ctx, ctx.members().filter(pension_insurance=True).filter(young | student_q()))


@rule(
    "MB-027",
    _lazy("Working or planning to work away with no, lost or weak labour, or while receiving 特困供养"),
    severity=WARNING,
    fields=("work_status", "plans_work_away", "labour", "tekun"),
    source="fp 2_01_015, 2_12_004, 5_01_004, 5_12_003",
    blank_note=_lazy("Members with blank work status, planned work and labour are skipped."),
)
def work_without_labour(ctx):
    unfit = Q(labour__in=(NO_LABOUR, LOST_LABOUR, WEAK_LABOUR)) | Q(tekun=True)
    working = ctx.members().exclude(work_status="").exclude(work_status=NOT_WORKING)
    yield from member_hits(ctx, working.filter(unfit))
    planning = ctx.members().filter(plans_work_away=True).exclude(pk__in=working.values("pk"))
    yield from member_hits(ctx, planning.filter(unfit), _("plans to work away without the labour for it"))


@rule(
    "MB-021",
    _lazy("Not insured but 医疗救助 = 是"),
    severity=WARNING,
    fields=("medical_insurance", "medical_aid"),
    source="fp 3_01_007",
    blank_note=_lazy("Skipped when basic medical insurance or 医疗救助 is blank."),
)
def aid_without_insurance(ctx):
    rows = ctx.members().filter(medical_insurance=False, medical_aid=True)
    return member_hits(ctx, rows, _("医疗救助 = 是 while not in basic medical insurance"))


@rule(
    "MB-030",
    _lazy("Planned work away without a stated need"),
    severity=WARNING,
    fields=("plans_work_away", "work_need"),
    source="fp 5_15_008/009",
    blank_note=_lazy("Only members marked 是 for planned work away are judged; blank is skipped."),
)
def planned_work_without_need(ctx):
    rows = ctx.members().filter(plans_work_away=True, work_need="")
    return member_hits(ctx, rows, _("plans to work away but no 务工需求 is recorded"))


def current_work_county(ctx, ref: str = "pk") -> Subquery:
    """County of the member's current work record: open or ending on/after the reference date,
    the latest-starting one; records without a county are ignored."""
    current = (
        WorkRecord.objects.filter(member=OuterRef(ref))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=ctx.today))
        .exclude(county="")
        .order_by(F("start_date").desc(nulls_last=True), "-pk")
    )
    return Subquery(current.values("county")[:1])


@rule(
    "MB-032",
    _lazy("Members working in different counties share one phone"),
    severity=WARNING,
    fields=("phone", "work records"),
    source="fp 5_15_021",
    blank_note=_lazy("Members without a phone or without a current work record with a county are skipped."),
)
def shared_phone_across_counties(ctx):
    with_county = ctx.members().exclude(phone="").annotate(county=current_work_county(ctx))
    with_county = with_county.filter(county__isnull=False)
    elsewhere = (
        Member.objects.filter(household=OuterRef("household"), phone=OuterRef("phone"), status=ACTIVE_STATUS)
        .exclude(pk=OuterRef("pk"))
        .annotate(county=current_work_county(ctx))
        .filter(county__isnull=False)
        .exclude(county=OuterRef("county"))
    )
    rows = with_county.filter(Exists(elsewhere)).order_by("household_id", "phone", "county", "pk")
    rows = list(rows.values_list("pk", "household_id", "name", "phone", "county"))
    counties: dict[tuple, list[str]] = {}
    for _pk, household_id, _name, phone, county in rows:
        seen = counties.setdefault((household_id, phone), [])
        if county not in seen:
            seen.append(county)
    for pk, household_id, name, phone, _county in rows:
        text = _("%(name)s: shares phone %(phone)s with members working in other counties (%(counties)s)") % {
            "name": name,
            "phone": phone,
            "counties": "、".join(counties[(household_id, phone)]),
        }
        yield Hit(household_id, pk, text)


@rule(
    "MB-033",
    _lazy("Members who left the register (自然减少) are still counted in household size or income"),
    severity=ERROR,
    fields=("status", "member_count", "income"),
    source="nat",
)
def departed_counted(ctx):
    rows = ctx.households.annotate(active=active_count(), everyone=_all_members()).filter(
        everyone__gt=F("active")
    )
    counted = rows.filter(member_count__isnull=False, member_count=F("everyone"))
    yield from household_hits(ctx, counted, _("household size still counts members who left"))
    latest = (
        ctx.latest_incomes()
        .filter(household__in=rows.values("pk"))
        .annotate(everyone=_all_members("household"), active=_active_members("household"))
    )
    for household_id in latest.filter(member_count_used=F("everyone")).values_list("household_id", flat=True):
        yield Hit(household_id, None, _("income divided by members who left"))


def _all_members(ref: str = "pk"):
    return _member_count(ref, Q())


def _active_members(ref: str = "pk"):
    return _member_count(ref, Q(status=ACTIVE_STATUS))


def _member_count(ref: str, q: Q):
    from django.db.models import Count, Subquery

    counted = Member.objects.filter(q, household=OuterRef(ref)).order_by().values("household")
    return Subquery(counted.annotate(n=Count("pk")).values("n")[:1], output_field=IntegerField())


@rule(
    "MB-034",
    _lazy("One person receives both 低保 and 特困供养"),
    severity=ERROR,
    fields=("dibao", "tekun"),
    source="REGISTER_XLSX.md §3",
)
def dibao_and_tekun(ctx):
    return member_hits(ctx, ctx.members().filter(dibao=True, tekun=True))


__all__ = ["Value", "household_hits"]
