"""The demo county's inspections: a team, four inspections with named findings (some already in
the ledger), a drawn spot-check sample with results, and six weekly ranking snapshots.

Joined to `seed_demo` through households' demo signals, after the ledger is built. Everything
is dated over the last six complete weeks, so each week's snapshot (computed by the real
`compute_week` from that week's dates) differs and the dashboard shows trends at once.
Deterministic for a seed and a day.
"""

import datetime
import random
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from households.models import Department, Household, Township, Village
from rectification.models import Category, Item, Transition
from rectification.models import Kind as ItemKind

from . import ranking, services
from .models import (
    EXITED_CODES,
    Finding,
    Inspection,
    InspectionTeam,
    Kind,
    MissedHousehold,
    RankingEntry,
    RankingSnapshot,
    Sample,
    SampledHousehold,
    SampleResult,
    TargetLevel,
)

WEEKS = 6
SEED_OFFSET = 7919  # keeps this rng apart from the register's and the ledger's
SAMPLE_RATE = "0.05"
RESULTS_SHARE = 0.85

# (kind, title, week index 0 = oldest of the six, days long, findings)
INSPECTIONS = [
    (Kind.OPEN, "第一季度脱贫攻坚专项督查", 0, 4, 8),
    (Kind.UNANNOUNCED, "饮水安全和住房安全暗访", 1, 3, 7),
    (Kind.CROSS, "省级交叉考核县级预检", 3, 5, 6),
    (Kind.THIRD_PARTY, "第三方评估模拟抽查", 4, 4, 5),
]
# (target level, text, ledger category code)
FINDINGS = [
    (TargetLevel.VILLAGE, "{village}3组饮水间歇供水，村委未建立供水台账。", "0802"),
    (TargetLevel.VILLAGE, "{village}驻村工作队长期不在岗，遍访记录与实际不符。", "0105"),
    (TargetLevel.HOUSEHOLD, "{village}{household}家庭收入核算不实，工资性收入未核实。", "0401"),
    (TargetLevel.HOUSEHOLD, "{village}{household}住房疑似危房，未列入危改计划。", "0701"),
    (TargetLevel.HOUSEHOLD, "{village}{household}家庭成员未参加城乡居民医保。", "0601"),
    (TargetLevel.TOWNSHIP, "{township}防返贫监测台账未按月更新，镇级未开展排查。", "0101"),
    (TargetLevel.DEPARTMENT, "{department}行业帮扶政策落实台账不完整，数据与镇村不一致。", "0101"),
]
PROBLEMS = ["家中无人，邻居代答。", "对帮扶措施不清楚。", "反映医疗报销周期长。"]
MISSED = [("陈桂兰", 3, "独居老人与残疾儿子同住，收入低于标准，未纳入。")]


@dataclass
class InspectionsResult:
    inspections: int = 0
    findings: int = 0
    items: int = 0
    sampled: int = 0
    results: int = 0
    weeks: tuple = ()


def on_demo_resetting(**kwargs) -> None:
    wipe_inspections()


def on_demo_seeded(*, seed, today, report, **kwargs) -> None:
    started = time.monotonic()
    result = seed_inspections(rng=random.Random(seed + SEED_OFFSET), seed=seed, today=today)
    if result.weeks:
        report(
            f"Inspections: {result.inspections} inspections, {result.findings} findings "
            f"({result.items} in the ledger), a sample of {result.sampled} households with "
            f"{result.results} results; ranking weeks {result.weeks[0]} … {result.weeks[-1]} "
            f"({time.monotonic() - started:.1f} s)."
        )


def wipe_inspections() -> None:
    """Delete inspections, samples and ranking weeks (before the ledger and register go)."""
    RankingEntry.objects.all().delete()
    RankingSnapshot.objects.all().delete()
    for model in (SampleResult, MissedHousehold, SampledHousehold, Sample, Finding):
        model.objects.all().delete()
    Inspection.objects.all().delete()
    InspectionTeam.objects.all().delete()


def demo_weeks(today: datetime.date) -> list[str]:
    """The last six complete ISO weeks, oldest first."""
    last = ranking.last_complete_week(today)
    weeks = [last]
    while len(weeks) < WEEKS:
        weeks.insert(0, ranking.previous_week(weeks[0]))
    return weeks


def _at(day: datetime.date, hour: int = 10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@transaction.atomic
def seed_inspections(*, rng, seed: int, today: datetime.date) -> InspectionsResult:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["inspector", "command"])}
    inspector, command = users.get("inspector"), users.get("command")
    if inspector is None or command is None or not Township.objects.exists():
        return InspectionsResult()
    if Inspection.objects.exists() or RankingSnapshot.objects.exists():
        wipe_inspections()
    weeks = demo_weeks(today)
    mondays = [ranking.parse_week(w)[0] for w in weeks]
    team = services.team_create(user=command, name="县脱贫攻坚督查一组", leader=inspector, members=[command])
    result = InspectionsResult(weeks=tuple(weeks))
    targets = _targets(rng)
    for kind, title, week, days, count in INSPECTIONS:
        start = mondays[week] + datetime.timedelta(days=rng.randint(0, 1))
        end = start + datetime.timedelta(days=days - 1)
        inspection = services.inspection_create(
            user=inspector,
            title=title,
            kind=kind,
            start_date=start,
            end_date=end,
            team=team,
            townships=targets["townships"],
        )
        Inspection.objects.filter(pk=inspection.pk).update(created_at=_at(start, 8))
        result.inspections += 1
        for n in range(count):
            result.findings += 1
            _found, item = _finding(
                rng, inspection, inspector, targets, start, end, ordinal=result.findings, turn=n % 2 == 0
            )
            result.items += item is not None
    sample = _sample(rng, seed, inspector, mondays[2], today)
    result.sampled = sample.entries.count()
    result.results = SampleResult.objects.filter(entry__sample=sample).count()
    for week in weeks:
        ranking.compute_week(week)
    return result


def _targets(rng) -> dict:
    townships = list(Township.objects.order_by("code"))
    villages = list(Village.objects.select_related("township").order_by("code"))
    households = list(Household.objects.select_related("village__township").order_by("number")[:3000])
    # the ledger's categories in use (the demo keeps its 39), else any level-2 category
    used = Category.objects.filter(pk__in=Item.objects.values("category")).order_by("code")
    return {
        "categories": list(used) or list(Category.objects.filter(parent__isnull=False).order_by("code")),
        "townships": townships,
        "villages": villages,
        "departments": list(Department.objects.order_by("code")),
        "households": rng.sample(households, min(60, len(households))),
    }


def _finding(rng, inspection, user, targets, start, end, *, ordinal: int, turn: bool):
    level, template, category_code = rng.choice(FINDINGS)
    if level == TargetLevel.DEPARTMENT and not targets["departments"]:
        level, template, category_code = FINDINGS[0]
    household = rng.choice(targets["households"]) if targets["households"] else None
    if level == TargetLevel.HOUSEHOLD and household is None:
        level, template, category_code = FINDINGS[0]
    village = household.village if level == TargetLevel.HOUSEHOLD else rng.choice(targets["villages"])
    township = village.township if level != TargetLevel.TOWNSHIP else rng.choice(targets["townships"])
    department = rng.choice(targets["departments"]) if level == TargetLevel.DEPARTMENT else None
    text = template.format(
        village=village.name,
        township=township.name,
        department=department.name if department else "",
        household=f"户{household.number[-6:]}" if household else "",
    )
    finding = services.finding_record(
        user=user,
        inspection=inspection,
        level=level,
        text=text,
        township=township if level == TargetLevel.TOWNSHIP else None,
        village=village if level == TargetLevel.VILLAGE else None,
        department=department,
        household=household if level == TargetLevel.HOUSEHOLD else None,
        responsible_person=rng.choice(["王立新", "李春华", "赵建国", "孙丽萍"]),
    )
    found_on = start + datetime.timedelta(days=rng.randint(0, (end - start).days))
    Finding.objects.filter(pk=finding.pk).update(recorded_at=_at(found_on, 15))
    if not turn:
        return finding, None
    category = _category(rng, targets["categories"], category_code)
    if category is None:
        return finding, None
    # some deadlines already passed (overdue now), the rest still ahead
    deadline = found_on + datetime.timedelta(days=rng.choice([7, 14, 21, 45, 60]))
    item = services.finding_to_item(
        user=user,
        finding=finding,
        category=category,
        deadline=deadline,
        kind=ItemKind.DEADLINE,
        measures="逐户核实，建立台账，限期整改到位并留存佐证材料。",
    )
    opened = _at(found_on + datetime.timedelta(days=1), 9)
    # numbered by the finding's place in the demo, not its database id, so a reset repeats it
    number = f"DC-{found_on.year}-{ordinal:05d}"
    Item.objects.filter(pk=item.pk).update(created_at=opened, number=number)
    Item.history.filter(id=item.pk).update(history_date=opened, created_at=opened, number=number)
    Transition.objects.filter(item=item).update(at=opened)
    return finding, item


def _category(rng, categories, code):
    """The finding's category, or one of the same level-1 group, or any."""
    exact = [c for c in categories if c.code == code]
    group = [c for c in categories if c.code[:2] == code[:2]]
    pool = exact or group or categories
    return rng.choice(pool) if pool else None


def _sample(rng, seed, user, drawn_on, today) -> Sample:
    sample = services.sample_draw(
        user=user,
        title="第三方评估模拟抽查样本",
        rate=SAMPLE_RATE,
        remote_factor="1.5",
        seed=seed * 1000 + 17,
    )
    Sample.objects.filter(pk=sample.pk).update(created_at=_at(drawn_on, 9))
    entries = list(sample.entries.select_related("household__village").order_by("position"))
    span = max((today - drawn_on).days - 1, 1)
    wrong_exits = 0
    for entry in entries:
        if rng.random() > RESULTS_SHARE:
            continue
        exited = entry.household.exit_status in EXITED_CODES
        exit_accurate = None
        if exited:
            exit_accurate = not (wrong_exits < 2 and rng.random() < 0.2)
            wrong_exits += not exit_accurate
        result = services.sample_result_record(
            user=user,
            entry=entry,
            identification_accurate=rng.random() > 0.04,
            exit_accurate=exit_accurate,
            satisfied=rng.random() > 0.06,
            knows_policies=rng.random() > 0.12,
            problems=rng.choice(PROBLEMS) if rng.random() < 0.15 else "",
        )
        recorded = drawn_on + datetime.timedelta(days=rng.randint(1, span))
        SampleResult.objects.filter(pk=result.pk).update(recorded_at=_at(recorded, 16))
    village = entries[0].household.village if entries else Village.objects.order_by("code").first()
    for head_name, persons, note in MISSED:
        missed = services.missed_household_record(
            user=user, sample=sample, village=village, head_name=head_name, persons=persons, note=note
        )
        noted = _at(drawn_on + datetime.timedelta(days=3))
        MissedHousehold.objects.filter(pk=missed.pk).update(recorded_at=noted)
    services.sample_surveyed_persons_set(user=user, sample=sample, persons=120)
    return sample
