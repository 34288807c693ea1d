"""MB-024…MB-026, MB-029, MB-031: work records, public-welfare posts and measures per member
(DOMAIN.md §9.4, §2.12, §3.1).

Readings:
- A member's "post" is a PublicPost row; a row with a post type is a post, a row without one
  but with a hiring month or months is "time without post" (MB-025).
- A measure "aimed at a member" has `member` set; household-level measures (member blank) are
  never judged per member. Stopped measures (已停止) are not counted.
- MB-029 gives each member one hit: severity E listing every problem when one is an error,
  else W listing the warnings (a violation is unique per rule, household and member).
"""

from collections import defaultdict

from django.db.models import BooleanField, Case, Count, Exists, F, OuterRef, Q, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from households.codefields import NO_LABOUR
from households.models import AssistanceMeasure, MonitoringCase, PublicPost, WorkRecord
from households.models.monitoring import MONITORED_STATES
from povertycase.core.codelist_data import STUDENT_STATUS

from .base import ymd
from .registry import ERROR, WARNING, Hit, Param, rule

NOT_WORKING = "0"  # work_status 非务工
STOPPED = "3"  # measure_status 已停止
RAIN_DEW = "13"  # measure_item 雨露计划
# 中职 and 高职 grades (student_status 51–53, 61–63): the students 雨露计划 is for.
VOCATIONAL_STAGES = [code for code, label, *_extra in STUDENT_STATUS if label[:2] in ("中职", "高职")]
WORK_CATEGORIES = ["A02", "A03"]  # 就业帮扶, 公益性岗位帮扶

LABOUR_AGE = Param("labour_age", 16, _lazy("age from which a member may work"))


def _join(problems) -> str:
    return "；".join(str(p) for p in problems)


def active_measures(q: Q) -> Q:
    """Measures aimed at the member (OuterRef pk) that were not stopped."""
    return Exists(AssistanceMeasure.objects.filter(q, member=OuterRef("pk")).exclude(status=STOPPED))


# ------------------------------------------------------------------ MB-024, MB-025, MB-026


@rule(
    "MB-024",
    _lazy("公益性岗位 under 16 or aged 70 and over"),
    severity=ERROR,
    fields=("public_post", "birth_date"),
    source="fp 3_01_008, 5_12_004, 5_01_006, 5_12_005",
    params=(
        Param("min_age", 16, _lazy("youngest age for a post")),
        Param("old_age", 70, _lazy("age from which a post is a warning")),
    ),
    blank_note=_lazy("Members without a birth date are skipped."),
)
def post_age(ctx):
    holders = ctx.members().filter(Exists(PublicPost.objects.filter(member=OuterRef("pk"))))
    young, old = ctx.params["min_age"], ctx.params["old_age"]
    for pk, household_id, name in holders.filter(ctx.age_between(0, young - 1)).values_list(
        "pk", "household_id", "name"
    ):
        yield Hit(household_id, pk, f"{name}：{_('holds a public-welfare post under %(n)s') % {'n': young}}")
    for pk, household_id, name in holders.filter(ctx.age_between(old, None)).values_list(
        "pk", "household_id", "name"
    ):
        text = _("holds a public-welfare post aged %(n)s or over") % {"n": old}
        yield Hit(household_id, pk, f"{name}：{text}", WARNING)


@rule(
    "MB-025",
    _lazy("Three or more 公益性岗位, or a post without hiring date or months"),
    severity=ERROR,
    fields=("public_post",),
    source="fp 3_01_005/006/010/011, 5_15_003",
    params=(Param("max_posts", 2, _lazy("most posts one member may hold")),),
    blank_note=_lazy(
        "A post row with a post type but no hiring month or months is reported; a row with neither "
        "post type, hiring month nor months is ignored."
    ),
)
def post_records(ctx):
    posts = PublicPost.objects.filter(member__in=ctx.members())
    problems = defaultdict(list)  # (household, member, name) -> problems
    typed = posts.exclude(post_type="")
    many = (
        typed.values("member", "member__household_id", "member__name")
        .annotate(n=Count("pk"))
        .filter(n__gt=ctx.params["max_posts"])
    )
    for row in many:
        key = (row["member__household_id"], row["member"], row["member__name"])
        problems[key].append(_("%(n)s public-welfare posts") % {"n": row["n"]})
    incomplete = typed.filter(Q(hired_on__isnull=True) | Q(months__isnull=True) | Q(months=0))
    untyped = posts.filter(post_type="").filter(Q(hired_on__isnull=False) | Q(months__isnull=False))
    for row in (
        (incomplete | untyped)
        .order_by("member", "hired_on", "pk")
        .values("member", "member__household_id", "member__name", "post_type", "hired_on", "months")
    ):
        key = (row["member__household_id"], row["member"], row["member__name"])
        problems[key].append(_post_problem(row))
    for (household_id, member_id, name), texts in problems.items():
        yield Hit(household_id, member_id, f"{name}：{_join(texts)}")


def _post_problem(row: dict) -> str:
    if not row["post_type"]:
        return _("hiring month or months recorded without a post")
    if row["hired_on"] is None:
        return _("a post without hiring month")
    return _("a post without months employed")


@rule(
    "MB-026",
    _lazy("公益性岗位 or 就业帮扶 for a member without labour"),
    severity=WARNING,
    fields=("public_post", "measures", "labour"),
    source="fp 5_15_006/007",
    params=(
        Param("no_labour", list(NO_LABOUR), _lazy("labour codes counted as no labour")),
        Param("categories", WORK_CATEGORIES, _lazy("measure categories of work support")),
    ),
    blank_note=_lazy("Members whose labour is blank are skipped; so are measures for the whole household."),
)
def work_support_without_labour(ctx):
    post = Exists(PublicPost.objects.filter(member=OuterRef("pk")))
    measure = active_measures(Q(category__in=ctx.params["categories"]))
    rows = ctx.members().filter(labour__in=ctx.params["no_labour"]).filter(post | measure)
    rows = rows.annotate(has_post=post, has_measure=measure)
    for pk, household_id, name, has_post, has_measure in rows.values_list(
        "pk", "household_id", "name", "has_post", "has_measure"
    ):
        what = []
        if has_post:
            what.append(_("a public-welfare post"))
        if has_measure:
            what.append(_("an employment or post measure"))
        text = _("%(what)s but no labour") % {"what": "、".join(str(w) for w in what)}
        yield Hit(household_id, pk, f"{name}：{text}")


# ------------------------------------------------------------------ MB-029


@rule(
    "MB-029",
    _lazy("Work record incomplete or implausible"),
    severity=ERROR,
    fields=("work records",),
    source="fp 3_12_001, 5_12_001, 5_16_010, 1111_12/16/17, 4_12_001, 5_16_001/002, 5_01_007, 5_12_006",
    params=(
        LABOUR_AGE,
        Param("min_wage", 100, _lazy("lowest plausible monthly wage (元)")),
        Param("max_wage", 30000, _lazy("highest plausible monthly wage (元)")),
        Param("low_wage", 400, _lazy("monthly wage below which a warning is given (元)")),
    ),
    blank_note=_lazy(
        "A blank start or county is reported; a blank wage is skipped; the age check is skipped "
        "without a birth date; a blank employer, industry or channel is a warning."
    ),
)
def work_records(ctx):
    p = ctx.params
    earlier = WorkRecord.objects.filter(member=OuterRef("member"), start_date__isnull=False).exclude(
        pk=OuterRef("pk")
    )
    earlier = earlier.filter(
        Q(start_date__lt=OuterRef("start_date")) | Q(start_date=OuterRef("start_date"), pk__lt=OuterRef("pk"))
    )
    overlapping = earlier.filter(Q(end_date__isnull=True) | Q(end_date__gt=OuterRef("start_date")))
    records = WorkRecord.objects.filter(member__in=ctx.members()).annotate(
        overlaps=Exists(overlapping), start_num=ymd("start_date"), birth_num=ymd("member__birth_date")
    )
    not_working = Q(member__work_status="") | Q(member__work_status=NOT_WORKING)
    still_open = Q(end_date__isnull=True) | Q(end_date__gt=ctx.today)
    checks = (
        (ERROR, Q(start_date__isnull=True), lambda r: _("start empty")),
        (ERROR, Q(overlaps=True), lambda r: _("starts before the previous record ends")),
        (
            ERROR,
            Q(birth_num__isnull=False, start_num__lt=F("birth_num") + p["labour_age"] * 10000),
            lambda r: _("starts before age %(n)s") % {"n": p["labour_age"]},
        ),
        (ERROR, not_working & still_open, lambda r: _("work status is not working but the record is open")),
        (ERROR, Q(county=""), lambda r: _("county of work empty")),
        (
            ERROR,
            Q(monthly_wage__lt=p["min_wage"]) | Q(monthly_wage__gt=p["max_wage"]),
            lambda r: _("monthly wage %(wage)s 元 implausible") % {"wage": _amount(r.monthly_wage)},
        ),
        (
            WARNING,
            Q(monthly_wage__gte=p["min_wage"], monthly_wage__lt=p["low_wage"]),
            lambda r: _("monthly wage only %(wage)s 元") % {"wage": _amount(r.monthly_wage)},
        ),
        (
            WARNING,
            Q(company="") | Q(industry="") | Q(channel=""),
            lambda r: _("employer, industry or channel empty"),
        ),
    )
    any_problem = Q(pk__in=[])
    for _sev, q, _text in checks:
        any_problem |= q
    tripping = records.filter(any_problem).select_related("member").order_by("member", "start_date", "pk")
    found = defaultdict(list)  # member -> [(severity, text)]
    for record in tripping.annotate(**{f"p{i}": _flag(q) for i, (_sev, q, _text) in enumerate(checks)}):
        where = record.start_date.strftime("%Y-%m") if record.start_date else "—"
        for i, (severity, _q, text) in enumerate(checks):
            if getattr(record, f"p{i}"):
                found[record.member].append((severity, f"{where} {text(record)}"))
    for member, problems in found.items():
        errors = [text for severity, text in problems if severity == ERROR]
        shown = errors or [text for _severity, text in problems]
        severity = None if errors else WARNING
        yield Hit(member.household_id, member.pk, f"{member.name}：{_join(shown)}", severity)


def _flag(q: Q):
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def _amount(value) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") if value is not None else "—"


# ------------------------------------------------------------------ MB-031


@rule(
    "MB-031",
    _lazy("雨露计划 for a member who is not a 中职/高职 student (or missing for one)"),
    severity=ERROR,
    fields=("measures", "student_status"),
    source="fp 5_15_011/012, 1111_2",
    params=(Param("stages", VOCATIONAL_STAGES, _lazy("student stages 雨露计划 is for (中职, 高职)")),),
    blank_note=_lazy(
        "Only 雨露计划 measures aimed at a member are judged; a household-level 雨露计划 counts as "
        "given to its students. A student of a monitored household without one is a warning."
    ),
)
def rain_dew(ctx):
    stages = ctx.params["stages"]
    rain_dew_q = Q(item=RAIN_DEW)
    given = active_measures(rain_dew_q)
    wrong = ctx.members().filter(given).exclude(student_status__in=stages)
    for pk, household_id, name in wrong.values_list("pk", "household_id", "name"):
        yield Hit(household_id, pk, f"{name}：{_('雨露计划 but not a 中职/高职 student')}")
    monitored = MonitoringCase.objects.filter(household=OuterRef("household"), state__in=MONITORED_STATES)
    household_level = AssistanceMeasure.objects.filter(
        rain_dew_q, household=OuterRef("household"), member__isnull=True
    ).exclude(status=STOPPED)
    missing = (
        ctx.members()
        .filter(student_status__in=stages)
        .filter(Exists(monitored))
        .exclude(given)
        .exclude(Exists(household_level))
    )
    for pk, household_id, name in missing.values_list("pk", "household_id", "name"):
        text = _("中职/高职 student of a monitored household without 雨露计划")
        yield Hit(household_id, pk, f"{name}：{text}", WARNING)
