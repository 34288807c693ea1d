"""Work records, public-welfare posts and per-member measures of the demo, consistent with the
register built before them (it runs after the monitoring cases and the member fields):

- every member who works (work status other than blank / 非务工) gets a current work record in a
  county that fits the work status (乡镇内 / 县内: the demo county; 县外省内: another county of
  the province; 省外: a county elsewhere), started on or after the 16th birthday, with employer,
  industry, channel and a wage of 1 500–6 000 元; some also have an earlier, ended record;
- a 公益岗位 / 生态帮扶 measure (category A03) goes to a member aged 16–69 with labour, who holds
  the matching post (护林员, 保洁员, 护路员) from the measure's start;
- a 就业帮扶 measure (item 02) goes to a working member with labour;
- 中职/高职 students of monitored households get 雨露计划 (item 13), some others too.

A few deliberate gaps, one per check (`GAPS`), give the pages and the logic checks something to
show. The MB-024 gap (a post at 70+) also trips MB-026: nobody in the demo keeps labour at 70.
Deterministic for a seed: a random stream of its own, members in id order.
"""

import datetime
import random
from decimal import Decimal

from django.db.models import Exists, OuterRef
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from households.codefields import ACTIVE_STATUS, NO_LABOUR
from households.models import (
    AssistanceMeasure,
    County,
    Department,
    Member,
    MonitoringCase,
    PublicPost,
    WorkRecord,
)
from households.models.monitoring import MONITORED_STATES

from .names import COUNTY
from .writer import CHANGE_REASON

# gap -> the logic check it must raise
GAPS = {
    "post_at_70": "MB-024",
    "post_without_hiring_month": "MB-025",
    "post_without_labour": "MB-026",
    "implausible_wage": "MB-029",
    "rain_dew_for_a_worker": "MB-031",
}
NOT_WORKING = "0"
LOCAL, IN_COUNTY, IN_PROVINCE, OUT_OF_PROVINCE = "1", "2", "3", "4"  # work_status
ABROAD = "5"
OTHER_COUNTIES = ("河南省郑州市金水区", "河南省洛阳市涧西区", "河南省信阳市浉河区", "河南省南阳市卧龙区")
FAR_COUNTIES = ("浙江省宁波市鄞州区", "广东省东莞市长安镇", "江苏省苏州市昆山市", "福建省泉州市晋江市")
ABROAD_PLACES = ("新加坡",)
JOBS = {  # where -> ((employer, industry), …), channels, wage range
    "local": (
        (
            ("本镇茶叶专业合作社", "茶叶种植"),
            ("青山县扶贫车间（服装加工）", "服装加工"),
            ("镇农贸市场", "批发零售"),
        ),
        ("3", "4"),
        (1500, 3200),
    ),
    "county": (
        (("青山县食品厂", "食品加工"), ("青山县建筑安装公司", "建筑业"), ("县城物流园", "物流运输")),
        ("2", "4"),
        (2000, 3800),
    ),
    "province": (
        (("郑州某电子科技公司", "电子制造"), ("洛阳某建筑劳务公司", "建筑业"), ("信阳某酒店", "餐饮住宿")),
        ("1", "2"),
        (2800, 5000),
    ),
    "far": (
        (("宁波某电子厂", "电子制造"), ("东莞某鞋业公司", "制鞋"), ("昆山某精密机械公司", "机械制造")),
        ("1", "2"),
        (3500, 6000),
    ),
}
WHERE = {LOCAL: "local", IN_COUNTY: "county", IN_PROVINCE: "province", OUT_OF_PROVINCE: "far", ABROAD: "far"}
EARLIER_RECORD_SHARE = 0.3
PAST_WORK_SHARE = 0.1  # members not working now who worked before
OLD_AGE, POST_AGES = 70, (16, 69)
PUBLIC_POST_ITEMS = {"11", "10"}  # 公益岗位, 生态帮扶 (category A03)
EMPLOYMENT_ITEM, RAIN_DEW_ITEM, RAIN_DEW_CATEGORY = "02", "13", "A05"
POST_BY_WORD = (("护林", "1"), ("保洁", "2"), ("护路", "3"))
VOCATIONAL = ("51", "52", "53", "61", "62", "63")
RAIN_DEW_AMOUNT = 3000  # 元 a year
RAIN_DEW_SHARE = 0.5  # vocational students outside monitored households who get it


def build_work(*, as_of: datetime.date, seed) -> dict[str, int]:
    """Create the demo rows; returns {gap: member id} of the deliberate gaps."""
    rng = random.Random(f"work-{seed}")
    members = _members()
    records = _work_records(rng, members, as_of)
    measures = _measures()
    posts, changed = _posts(rng, members, measures, as_of)
    changed += _employment(rng, members, measures)
    rain_dew = _rain_dew(rng, members, as_of)
    gaps = _plant_gaps(rng, members, measures, records, posts, rain_dew, as_of)
    bulk_create_with_history(records, WorkRecord, default_change_reason=CHANGE_REASON)
    bulk_create_with_history(posts, PublicPost, default_change_reason=CHANGE_REASON)
    bulk_create_with_history(rain_dew, AssistanceMeasure, default_change_reason=CHANGE_REASON)
    if changed:
        bulk_update_with_history(changed, AssistanceMeasure, ["member"], default_change_reason=CHANGE_REASON)
    return gaps


# ------------------------------------------------------------------ reading the register


def _members() -> list[Member]:
    """Active members without work rows yet (a second run adds nothing twice), in id order."""
    has_rows = Exists(WorkRecord.objects.filter(member=OuterRef("pk"))) | Exists(
        PublicPost.objects.filter(member=OuterRef("pk"))
    )
    rows = Member.objects.filter(status=ACTIVE_STATUS).exclude(has_rows).order_by("pk")
    return list(
        rows.only("pk", "household_id", "name", "birth_date", "labour", "work_status", "student_status")
    )


def _measures() -> list[AssistanceMeasure]:
    items = [*PUBLIC_POST_ITEMS, EMPLOYMENT_ITEM]
    rows = AssistanceMeasure.objects.filter(item__in=items, member__isnull=True).order_by(
        "household_id", "pk"
    )
    return list(rows)


def _age(member: Member, day: datetime.date) -> int | None:
    born = member.birth_date
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _birthday(born: datetime.date, years: int) -> datetime.date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # 29 February
        return born.replace(year=born.year + years, day=28)


def _working(member: Member) -> bool:
    return member.work_status not in ("", NOT_WORKING)


def _with_labour(member: Member) -> bool:
    return member.labour not in ("", *NO_LABOUR)


# ------------------------------------------------------------------ work records


def _county_name() -> str:
    county = County.objects.filter(code=COUNTY[0]).first()
    return county.name if county else COUNTY[1]


def _place(rng: random.Random, work_status: str, home: str) -> str:
    if work_status in (LOCAL, IN_COUNTY):
        return home
    if work_status == IN_PROVINCE:
        return rng.choice(OTHER_COUNTIES)
    if work_status == ABROAD:
        return rng.choice(ABROAD_PLACES)
    return rng.choice(FAR_COUNTIES)


def _record(rng, member, where_status, home, start, end) -> WorkRecord:
    jobs, channels, (low, high) = JOBS[WHERE.get(where_status, "far")]
    company, industry = rng.choice(jobs)
    return WorkRecord(
        member_id=member.pk,
        start_date=start,
        end_date=end,
        county=_place(rng, where_status, home),
        company=company,
        industry=industry,
        channel=rng.choice(channels),
        monthly_wage=Decimal(rng.randrange(low, high + 1, 100)),
    )


def _work_records(rng: random.Random, members: list[Member], as_of: datetime.date) -> list[WorkRecord]:
    home = _county_name()
    records = []
    for member in members:
        if member.birth_date is None:
            continue
        earliest = _birthday(member.birth_date, 16)
        if earliest >= as_of - datetime.timedelta(days=60):
            continue  # too young to have started: no record rather than an impossible one
        if _working(member):
            records += _current_spells(rng, member, home, earliest, as_of)
        elif _with_labour(member) and rng.random() < PAST_WORK_SHARE:
            records += _past_spell(rng, member, home, earliest, as_of)
    return records


def _current_spells(rng, member, home, earliest, as_of) -> list[WorkRecord]:
    start = max(earliest, as_of - datetime.timedelta(days=rng.randint(60, 6 * 365)))
    spells = [_record(rng, member, member.work_status, home, start, None)]
    before = start - datetime.timedelta(days=rng.randint(30, 400))
    if rng.random() < EARLIER_RECORD_SHARE and before - datetime.timedelta(days=365) > earliest:
        first = max(earliest, before - datetime.timedelta(days=rng.randint(365, 4 * 365)))
        spells.insert(
            0, _record(rng, member, rng.choice((LOCAL, IN_COUNTY, OUT_OF_PROVINCE)), home, first, before)
        )
    return spells


def _past_spell(rng, member, home, earliest, as_of) -> list[WorkRecord]:
    end = as_of - datetime.timedelta(days=rng.randint(180, 3 * 365))
    start = end - datetime.timedelta(days=rng.randint(180, 3 * 365))
    if start < earliest:
        return []
    return [_record(rng, member, rng.choice((LOCAL, IN_COUNTY, IN_PROVINCE)), home, start, end)]


# ------------------------------------------------------------------ posts and measures per member


def _by_household(members: list[Member]) -> dict[int, list[Member]]:
    result: dict[int, list[Member]] = {}
    for member in members:
        result.setdefault(member.household_id, []).append(member)
    return result


def _post_type(description: str) -> str:
    for word, code in POST_BY_WORD:
        if word in description:
            return code
    return "9"


def _hired_on(measure: AssistanceMeasure, as_of: datetime.date) -> datetime.date:
    day = measure.start_date or datetime.date(measure.year or as_of.year, 1, 1)
    return min(day, as_of).replace(day=1)


def _post_for(measure, member, as_of) -> PublicPost:
    months = 12
    pay = Decimal(measure.amount or 0) / months
    return PublicPost(
        member_id=member.pk,
        post_type=_post_type(measure.description),
        hired_on=_hired_on(measure, as_of),
        months=months,
        monthly_pay=pay.quantize(Decimal("1")) if pay else None,
    )


def _posts(rng, members, measures, as_of) -> tuple[list[PublicPost], list[AssistanceMeasure]]:
    """A post for each A03 measure, held by an eligible member (one post each where possible)."""
    households = _by_household(members)
    posts, changed, holders = [], [], set()
    low, high = POST_AGES
    for measure in measures:
        if measure.item not in PUBLIC_POST_ITEMS:
            continue
        eligible = [
            m
            for m in households.get(measure.household_id, [])
            if _with_labour(m) and (age := _age(m, as_of)) is not None and low <= age <= high
        ]
        if not eligible:
            continue
        free = [m for m in eligible if m.pk not in holders] or eligible
        holder = rng.choice(free)
        holders.add(holder.pk)
        posts.append(_post_for(measure, holder, as_of))
        measure.member_id = holder.pk
        changed.append(measure)
    return posts, changed


def _employment(rng, members, measures) -> list[AssistanceMeasure]:
    households = _by_household(members)
    changed = []
    for measure in measures:
        if measure.item != EMPLOYMENT_ITEM:
            continue
        workers = [m for m in households.get(measure.household_id, []) if _working(m) and _with_labour(m)]
        if workers:
            measure.member_id = rng.choice(workers).pk
            changed.append(measure)
    return changed


def _rain_dew(rng, members, as_of) -> list[AssistanceMeasure]:
    """雨露计划 for every 中职/高职 student of a monitored household and for some others."""
    students = [m for m in members if m.student_status in VOCATIONAL]
    if not students:
        return []
    monitored = set(
        MonitoringCase.objects.filter(state__in=MONITORED_STATES).values_list("household_id", flat=True)
    )
    already = set(AssistanceMeasure.objects.filter(item=RAIN_DEW_ITEM).values_list("household_id", flat=True))
    department = Department.objects.filter(name="乡村振兴局").first()
    rows = []
    for student in students:
        if student.household_id in already:
            continue
        if student.household_id in monitored or rng.random() < RAIN_DEW_SHARE:
            rows.append(_rain_dew_measure(student, as_of, department))
    return rows


def _rain_dew_measure(member, as_of, department) -> AssistanceMeasure:
    return AssistanceMeasure(
        household_id=member.household_id,
        member_id=member.pk,
        category=RAIN_DEW_CATEGORY,
        item=RAIN_DEW_ITEM,
        year=as_of.year,
        description="雨露计划",
        start_date=datetime.date(as_of.year, 3, 1)
        if as_of.month >= 3
        else datetime.date(as_of.year - 1, 9, 1),
        amount=Decimal(RAIN_DEW_AMOUNT),
        department=department,
        status="2",
    )


# ------------------------------------------------------------------ deliberate gaps


def _plant_gaps(rng, members, measures, records, posts, rain_dew, as_of) -> dict[str, int]:
    """One member per gap, each in a household of its own; rows appended to the lists to create."""
    used_households = set()
    gaps = {}

    def pick(candidates):
        pool = [m for m in candidates if m.household_id not in used_households]
        if not pool:
            return None
        member = rng.choice(pool)
        used_households.add(member.household_id)
        return member

    holders = {p.member_id for p in posts}
    plain = [m for m in members if m.pk not in holders]
    old = pick(m for m in plain if (age := _age(m, as_of)) is not None and age >= OLD_AGE)
    if old:
        posts.append(_gap_post(old, as_of))
        gaps["post_at_70"] = old.pk
    able = [m for m in plain if _with_labour(m) and POST_AGES[0] <= (_age(m, as_of) or 0) <= POST_AGES[1]]
    incomplete = pick(able)
    if incomplete:
        posts.append(_gap_post(incomplete, as_of, hired_on=None))
        gaps["post_without_hiring_month"] = incomplete.pk
    no_labour = [
        m for m in plain if m.labour in NO_LABOUR and POST_AGES[0] <= (_age(m, as_of) or 0) <= POST_AGES[1]
    ]
    weak = pick(no_labour)
    if weak:
        posts.append(_gap_post(weak, as_of))
        gaps["post_without_labour"] = weak.pk
    current = {r.member_id: r for r in records if r.end_date is None}
    worker = pick(m for m in members if m.pk in current)
    if worker:
        current[worker.pk].monthly_wage = Decimal("80")
        gaps["implausible_wage"] = worker.pk
    adult_worker = pick(m for m in members if m.pk in current and m.student_status not in VOCATIONAL)
    if adult_worker:
        rain_dew.append(_rain_dew_measure(adult_worker, as_of, None))
        gaps["rain_dew_for_a_worker"] = adult_worker.pk
    return gaps


def _gap_post(member, as_of, hired_on="default") -> PublicPost:
    month = (as_of.replace(day=1) - datetime.timedelta(days=120)).replace(day=1)
    return PublicPost(
        member_id=member.pk,
        post_type="2",
        hired_on=month if hired_on == "default" else hired_on,
        months=12,
        monthly_pay=Decimal("400"),
    )
