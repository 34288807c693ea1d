"""MB rules on schooling and education: stage against age, compulsory school, reasons, attainment.

Age bands come from the student_status code list (`min_age`/`max_age`), the compulsory ages
from the county's parameters (core.Parameter), never from numbers written here.
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from households.models import Member
from povertycase.core import codes

from .base import label, member_hits, not_student_codes, student_q
from .member import DISABLED, HEALTHY, NOT_WORKING, filled_by_housemate
from .registry import BLANK_IS_ERROR, ERROR, WARNING, Hit, Param, rule

PRESCHOOL_EDUCATION = "10"  # 学龄前儿童
UP_TO_PRIMARY = ("10", "20", "30")  # 学龄前儿童, 文盲或半文盲, 小学
COLLEGE_EDUCATION = "60"  # 大专及以上 and the finer degrees above it
SKILLED_LABOUR = "1"
REASON_ILLNESS, REASON_DISABILITY = "1", "2"  # school_absence_reason 因病, 因残
# Highest 文化程度 (code order) that fits a stage; a stage code's first digit names its level.
HIGHEST_EDUCATION_FOR_STAGE = {"1": "10", "2": "30", "3": "40", "4": "50", "5": "55", "6": "62", "7": "65"}


@rule(
    "MB-011",
    _lazy("文化程度, 在校生状况 and 未上学原因 all empty"),
    severity=ERROR,
    fields=("education", "student_status", "out_of_school_reason"),
    source="fp 3_01_002, 3_12_003",
    blank=BLANK_IS_ERROR,
    blank_note=_lazy("Reported only when another member of the household has 文化程度 filled in."),
)
def education_empty(ctx):
    rows = ctx.members().filter(education="", student_status="", out_of_school_reason="")
    return member_hits(ctx, rows.filter(filled_by_housemate("education", "")))


@rule(
    "MB-012",
    _lazy("Child of compulsory-school age neither in school nor with a reason for not attending"),
    severity=ERROR,
    fields=("student_status", "out_of_school_reason", "birth_date"),
    source="fp 1_02_005, 5_15_016/017",
    blank=BLANK_IS_ERROR,
    blank_note=_lazy(
        "The register reads an empty 在校生状况 as 'not a student': a child with neither a stage "
        "nor a 未上学原因 is reported; a child with a reason (送教上门 or another) is not."
    ),
    params=(
        Param("min_age", 7, _lazy("youngest compulsory-school age"), parameter="compulsory_school_age_min"),
        Param("max_age", 15, _lazy("oldest compulsory-school age"), parameter="compulsory_school_age_max"),
    ),
)
def out_of_school(ctx):
    rows = ctx.members().filter(ctx.age_between(ctx.params["min_age"], ctx.params["max_age"]))
    return member_hits(ctx, rows.exclude(student_q()).filter(out_of_school_reason=""))


@rule(
    "MB-013",
    _lazy("未上学原因 因病/因残 but health 健康"),
    severity=ERROR,
    fields=("out_of_school_reason", "health"),
    source="fp 2_01_012",
    blank_note=_lazy("Skipped when 未上学原因 or 健康状况 is blank."),
)
def reason_contradicts_health(ctx):
    rows = ctx.members().filter(out_of_school_reason__in=(REASON_ILLNESS, REASON_DISABILITY), health=HEALTHY)
    values = rows.values_list("pk", "household_id", "name", "out_of_school_reason")
    for pk, household_id, name, reason in values:
        text = _("%(name)s: reason for not attending school is %(reason)s, but health is 健康") % {
            "name": name,
            "reason": label("school_absence_reason", reason),
        }
        yield Hit(household_id, pk, text)


@rule(
    "MB-014",
    _lazy("Student stage does not fit the age, or a student older than 30"),
    severity=WARNING,
    fields=("student_status", "birth_date"),
    source="fp 5_12_014–016, 5_17_002–004",
    params=(Param("max_student_age", 30),),
)
def stage_age(ctx):
    wrong = ctx.age_between(ctx.params["max_student_age"] + 1, None)
    for entry in codes.entries("student_status"):
        low, high = entry.extra.get("min_age"), entry.extra.get("max_age")
        if low is not None or high is not None:
            wrong |= Q(student_status=entry.code) & ~ctx.age_between(low, high)
    rows = ctx.members().filter(student_q(), birth_date__isnull=False).filter(wrong)
    for pk, household_id, name, stage in rows.values_list("pk", "household_id", "name", "student_status"):
        text = _("%(name)s: stage %(stage)s does not fit the age") % {
            "name": name,
            "stage": label("student_status", stage),
        }
        yield Hit(household_id, pk, text)


@rule(
    "MB-015",
    _lazy("Education implausible for the age (degree too young, or still 学龄前 when older)"),
    severity=WARNING,
    fields=("education", "birth_date", "health"),
    source="fp 5_12_018, 5_17_005/006, 5_12_013, 5_17_001",
    params=(Param("master_min_age", 20), Param("higher_min_age", 18)),
)
def education_age(ctx):
    p = ctx.params
    members = ctx.members().filter(birth_date__isnull=False)
    master = Q(education="64") & ctx.age_between(0, p["master_min_age"] - 1)
    higher = Q(education__in=("61", "62", "63", "64", "65")) & ctx.age_between(0, p["higher_min_age"] - 1)
    preschool = codes.get("education", PRESCHOOL_EDUCATION)
    limit = preschool.extra.get("max_age", 8) if preschool else 8
    too_old = Q(education=PRESCHOOL_EDUCATION, health=HEALTHY) & ctx.age_between(limit + 1, None)
    return member_hits(ctx, members.filter(master | higher | too_old))


@rule(
    "MB-016",
    _lazy("Aged 16–22, not disabled, with 小学 education or less"),
    severity=WARNING,
    fields=("education", "birth_date", "health"),
    source="fp 5_12_019, 5_17_007",
    params=(Param("min_age", 16), Param("max_age", 22)),
)
def low_education_youth(ctx):
    rows = ctx.members().filter(ctx.age_between(ctx.params["min_age"], ctx.params["max_age"]))
    rows = rows.filter(education__in=UP_TO_PRIMARY).exclude(health=DISABLED).exclude(health="")
    return member_hits(ctx, rows)


@rule(
    "MB-017",
    _lazy("Student's education is above the grade attended"),
    severity=WARNING,
    fields=("education", "student_status"),
    source="nat",
)
def education_above_stage(ctx):
    above = Q(pk__in=[])
    for first, highest in HIGHEST_EDUCATION_FOR_STAGE.items():
        above |= Q(student_status__startswith=first, education__gt=highest)
    rows = ctx.members().filter(student_q()).exclude(education="").filter(above)
    return member_hits(ctx, rows)


@rule(
    "MB-018",
    _lazy("大专+ education or 技能劳动力 but not working"),
    severity=WARNING,
    fields=("education", "labour", "work_status"),
    source="fp 5_20_028–031",
    params=(Param("max_age", 59, _lazy("older members are not expected to work")),),
)
def qualified_not_working(ctx):
    qualified = Q(education__gte=COLLEGE_EDUCATION) | Q(labour=SKILLED_LABOUR)
    rows = ctx.members().filter(qualified, work_status=NOT_WORKING).exclude(student_q())
    return member_hits(ctx, rows.filter(ctx.age_between(16, ctx.params["max_age"])))


@rule(
    "MB-028",
    _lazy("Pupil or student (学前 to 高中/中职) registered as working"),
    severity=ERROR,
    fields=("student_status", "work_status"),
    source="fp 4_01_006, 4_12_002",
    params=(
        Param("school_stages", ["1", "2", "3", "4", "5"], _lazy("first digit of the stages up to 中职")),
    ),
)
def pupil_working(ctx):
    stages = Q(pk__in=[])
    for first in ctx.params["school_stages"]:
        stages |= Q(student_status__startswith=first)
    rows = ctx.members().filter(stages).exclude(student_status__in=not_student_codes())
    return member_hits(ctx, rows.exclude(work_status="").exclude(work_status=NOT_WORKING))


__all__ = ["Member"]
