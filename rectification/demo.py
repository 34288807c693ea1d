"""The demo county's ledger: 39 categories in use and a few hundred items in every state.

Called by `seed_demo` after the register is built; deterministic for a given rng and day.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from households.models import Department, Household, Township, Village

from .models import (
    Category,
    Evidence,
    ExportJob,
    Item,
    Kind,
    Level,
    ProgressUpdate,
    Status,
    Transition,
    UnitHead,
)

DEMO_CATEGORIES = 39
SOURCES = ["01", "03", "03", "04", "04", "05", "05", "05", "06", "07", "10", "10"]
LEADERS = ["王建华", "孙志强", "周立新", "吴海波", "郑国庆"]
PROBLEMS = {
    "01": "{village}帮扶责任人遍访不到位，部分户未落实“一户一策”。",
    "02": "{village}{household}疑似漏评，收入核算与实际不符。",
    "03": "{village}{household}退出程序资料不全，群众认可度低。",
    "04": "{village}{household}家庭收入计算不实，工资性收入未核实。",
    "05": "{village}{household}适龄子女义务教育阶段资助未落实。",
    "06": "{village}{household}家庭成员未参加城乡居民医保。",
    "07": "{village}{household}住房疑似危房，危改仅粉刷外墙。",
    "08": "{village}部分组间歇性供水，水质未检测。",
    "09": "{village}{household}符合低保条件但未纳入。",
    "10": "{village}产业项目带贫机制不健全，分红未到户。",
    "11": "{village}扶贫小额信贷存在“一贷了之”。",
    "12": "{village}易地搬迁户旧房未按期拆除。",
    "13": "{village}通组道路水毁未修复，卫生室无村医。",
    "14": "{township}扶贫资金支出进度滞后，项目资产未确权。",
    "15": "{village}{household}档卡资料逻辑错误，“六个不一致”。",
    "16": "{village}政策知晓率低，公示栏信息未更新。",
    "17": "{township}填表报数过多，存在形式主义问题。",
    "18": "{village}{household}应纳未纳防返贫监测。",
    "19": "{village}群众信访诉求未及时回访。",
    "99": "{township}其他问题。",
}
MEASURES = "摸清底数，建立台账，明确责任人和时限，逐户逐项整改到位并留存佐证材料。"
STATES = (
    [Status.PENDING] * 18
    + [Status.IN_PROGRESS] * 37
    + [Status.SUBMITTED] * 10
    + [Status.CLOSED] * 30
    + [Status.WITHDRAWN] * 5
)
PDF = b"%PDF-1.4\n% demo evidence\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class LedgerResult:
    items: int = 0
    categories: int = 0
    updates: int = 0
    evidence: int = 0
    by_status: dict = field(default_factory=dict)


def on_demo_resetting(**kwargs) -> None:
    wipe_rectification()


def on_demo_seeded(*, seed, today, report, **kwargs) -> None:
    import random

    ledger = seed_rectification(rng=random.Random(seed), today=today)
    report(
        f"Ledger: {ledger.items} rectification items in {ledger.categories} categories, "
        f"{ledger.updates} progress updates, {ledger.evidence} evidence files."
    )


def wipe_rectification() -> None:
    """Delete the ledger (before the register is reset); categories stay."""
    for model in (Evidence, ProgressUpdate, Transition, UnitHead, ExportJob):
        model.objects.all().delete()
    Item.history.model.objects.all().delete()
    Item.objects.all().delete()


@transaction.atomic
def seed_rectification(*, rng, today: datetime.date, items: int = 360) -> LedgerResult:
    if Item.objects.exists():
        wipe_rectification()
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["township", "department", "command", "inspector"]
        )
    }
    townships = list(Township.objects.order_by("code"))
    departments = list(Department.objects.order_by("code"))
    villages = list(Village.objects.select_related("township").order_by("code"))
    households = list(Household.objects.select_related("village__township").order_by("number")[:3000])
    households = rng.sample(households, min(400, len(households)))
    leaves = list(Category.objects.filter(parent__isnull=False).select_related("parent").order_by("code"))
    categories = sorted(rng.sample(leaves, min(DEMO_CATEGORIES, len(leaves))), key=lambda c: c.code)
    plans = [
        _plan(n, rng, today, categories, townships, departments, villages, households, users)
        for n in range(1, items + 1)
    ]
    created = bulk_create_with_history([p["item"] for p in plans], Item, default_user=users.get("command"))
    by_number = {i.number: i for i in Item.objects.filter(number__in=[p["item"].number for p in plans])}
    result = LedgerResult(items=len(created), categories=len(categories))
    transitions, updates = [], []
    for plan in plans:
        item = by_number[plan["item"].number]
        transitions += [Transition(item=item, **t) for t in plan["transitions"]]
        updates += [ProgressUpdate(item=item, **u) for u in plan["updates"]]
        result.by_status[item.status] = result.by_status.get(item.status, 0) + 1
    Transition.objects.bulk_create(transitions)
    ProgressUpdate.objects.bulk_create(updates)
    result.updates = len(updates)
    result.evidence = _evidence(by_number, plans, users)
    return result


def _plan(n, rng, today, categories, townships, departments, villages, households, users) -> dict:
    category = rng.choice(categories)
    status = rng.choice(STATES)
    kind = rng.choices([Kind.DEADLINE, Kind.IMMEDIATE, Kind.LONG_TERM], [75, 10, 15])[0]
    created = today - datetime.timedelta(days=rng.randint(45, 240))
    deadline = None if kind == Kind.LONG_TERM else _deadline(rng, today, status)
    household = rng.choice(households) if households else None
    village = household.village if household else rng.choice(villages)
    to_department = category.parent.code in ("05", "06", "07", "08", "09", "11", "14") and rng.random() < 0.6
    township = village.township
    level = (
        Level.HOUSEHOLD if household and "{household}" in PROBLEMS[category.parent.code] else Level.VILLAGE
    )
    department = departments[n % len(departments)] if to_department and departments else None
    if department is not None and "住建局" in {d.name for d in departments} and category.parent.code == "07":
        department = next(d for d in departments if d.name == "住建局")
    person = None
    if department is None and township == townships[0]:
        person = users.get("township")
    elif department is not None and department.name == "住建局":
        person = users.get("department")
    item = Item(
        number=f"ZG-{today.year}-{n:04d}",
        external_number=f"{rng.choice(['巡', '考', '评', '督', '审'])}〔{today.year}〕{rng.randint(1, 80)}号",
        source=rng.choice(SOURCES),
        category=category,
        description=PROBLEMS[category.parent.code].format(
            township=township.name,
            village=village.name,
            household=f"户{household.number[-6:]}" if household else "",
        ),
        level=level,
        target_township=township,
        target_village=village,
        target_household=household if level == Level.HOUSEHOLD else None,
        responsible_township=None if department else township,
        responsible_department=department,
        responsible_person=person,
        supervising_leader=rng.choice(LEADERS),
        measures=MEASURES,
        kind=kind,
        deadline=deadline,
        status=status,
        created_at=timezone.make_aware(datetime.datetime.combine(created, datetime.time(9))),
    )
    return _history(item, rng, today, created, users)


def _deadline(rng, today, status) -> datetime.date:
    if status in (Status.PENDING, Status.IN_PROGRESS):
        # some overdue (a few by more than a week), some due this week, the rest later
        offset = rng.choice([-30, -12, -9, -4, -2, 0, 1, 2, 3, 5, 6, 10, 20, 30, 45, 60, 90])
    else:
        offset = rng.randint(-60, 60)
    return today + datetime.timedelta(days=offset)


def _history(item: Item, rng, today, created, users) -> dict:
    actor = item.responsible_person
    command, inspector = users.get("command"), users.get("inspector")

    def at(day):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, rng.randint(0, 59))))

    transitions = [
        dict(actor=command, at=at(created), action="create", from_status="", to_status=Status.PENDING)
    ]
    updates = []
    if item.status == Status.PENDING:
        return {"item": item, "transitions": transitions, "updates": updates}
    span = max((today - created).days, 3)
    days = sorted(rng.sample(range(1, span), min(rng.randint(1, 3), span - 1)))
    percent = 0
    for k, d in enumerate(days):
        day = created + datetime.timedelta(days=d)
        percent = min(100, percent + rng.randint(20, 45))
        when = at(day)
        updates.append(
            dict(
                date=day,
                text=f"第{k + 1}次进展：已完成入户核实和整改方案，正在推进。",
                percent=percent,
                author=actor,
                created_at=when,
            )
        )
        transitions.append(
            dict(
                actor=actor,
                at=when,
                action="start" if k == 0 else "progress",
                from_status=Status.PENDING if k == 0 else Status.IN_PROGRESS,
                to_status=Status.IN_PROGRESS,
            )
        )
    item.progress_percent = percent
    item.last_progress_on = created + datetime.timedelta(days=days[-1])
    if item.kind == Kind.LONG_TERM and item.status == Status.IN_PROGRESS and rng.random() < 0.5:
        item.last_progress_on = today.replace(day=1)  # half the long-term items are up to date this month
        updates[-1]["date"] = item.last_progress_on
    last = item.last_progress_on
    if item.status in (Status.SUBMITTED, Status.CLOSED):
        transitions.append(
            dict(
                actor=actor,
                at=at(last),
                action="request_closing",
                from_status=Status.IN_PROGRESS,
                to_status=Status.SUBMITTED,
            )
        )
    if item.status == Status.CLOSED:
        closed = min(today, last + datetime.timedelta(days=rng.randint(1, 10)))
        item.closed_at, item.closed_by, item.progress_percent = (
            at(closed),
            rng.choice([command, inspector]),
            100,
        )
        item.closing_document = f"县指办〔{closed.year}〕{rng.randint(1, 200)}号"
        transitions.append(
            dict(
                actor=item.closed_by,
                at=item.closed_at,
                action="close",
                from_status=Status.SUBMITTED,
                to_status=Status.CLOSED,
            )
        )
    if item.status == Status.WITHDRAWN:
        transitions.append(
            dict(
                actor=command,
                at=at(last),
                action="withdraw",
                from_status=Status.IN_PROGRESS,
                to_status=Status.WITHDRAWN,
                reason="与其他事项重复，合并整改。",
            )
        )
    return {"item": item, "transitions": transitions, "updates": updates}


def _evidence(by_number, plans, users) -> int:
    count = 0
    for plan in plans:
        item = by_number[plan["item"].number]
        if item.status not in (Status.SUBMITTED, Status.CLOSED):
            continue
        requested = next(t["at"] for t in plan["transitions"] if t["action"] == "request_closing")
        evidence = Evidence(
            item=item,
            uploaded_at=requested,
            original_name=f"{item.number}-整改佐证.pdf",
            size=len(PDF),
            uploaded_by=item.responsible_person,
        )
        evidence.file.save(f"{item.number}.pdf", ContentFile(PDF), save=False)
        evidence.save()
        count += 1
    return count
