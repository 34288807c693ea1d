"""The demo county's year of project funds: allocations to every unit, projects of every type
and state built through the services (so every refusal holds), payments, beneficiaries, assets.

Units get different paces so the progress page and the ranking show real differences.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction

from households.models import Department, Household, Township, Village
from povertycase.core import codes

from . import services
from .codes import FUND_SOURCES, PROJECT_TYPES
from .models import (
    Allocation,
    Asset,
    Beneficiary,
    BudgetLine,
    CompletionReport,
    IncomeDistribution,
    Payment,
    Project,
    Status,
)

PDF = b"%PDF-1.4\n% demo evidence\n"
# state -> weight; the path a project walks to reach it
STATES = [
    (Status.RESERVE, 6),
    (Status.APPROVED, 8),
    (Status.IN_PROGRESS, 30),
    (Status.COMPLETED, 12),
    (Status.ACCEPTED, 16),
    (Status.REIMBURSED, 14),
    (Status.SUSPENDED, 6),
    (Status.WITHDRAWN, 4),
]
PATH = ["approve", "start", "complete", "accept", "reimburse"]
REACHED = {
    Status.RESERVE: 0,
    Status.APPROVED: 1,
    Status.IN_PROGRESS: 2,
    Status.SUSPENDED: 2,
    Status.COMPLETED: 3,
    Status.ACCEPTED: 4,
    Status.REIMBURSED: 5,
    Status.WITHDRAWN: 1,
}
TYPE_NAMES = {
    "11": "{v}通组公路硬化",
    "12": "{v}安全饮水巩固提升",
    "13": "{v}农村危房改造（集中）",
    "14": "{v}人居环境整治",
    "20": "{v}特色种植基地",
    "31": "{v}五小庭院经济奖补",
    "32": "{v}扶贫小额信贷贴息",
    "33": "{v}危房改造到户补助",
    "40": "{v}扶贫车间就业奖补",
    "50": "{v}雨露计划助学",
    "99": "{v}村级综合服务设施",
}


@dataclass
class FundsResult:
    allocations: int = 0
    projects: int = 0
    payments: int = 0
    beneficiaries: int = 0
    assets: int = 0


def wipe_funds() -> None:
    for model in (
        IncomeDistribution,
        Asset,
        Beneficiary,
        Payment,
        CompletionReport,
        BudgetLine,
        Project,
        Allocation,
    ):
        model.history.model.objects.all().delete()
        model.objects.all().delete()


def on_demo_resetting(**kwargs) -> None:
    wipe_funds()


def on_demo_seeded(*, seed, today, report, **kwargs) -> None:
    import random

    result = seed_funds(rng=random.Random(seed), today=today)
    report(
        f"Funds: {result.allocations} allocations, {result.projects} projects, {result.payments} payments, "
        f"{result.beneficiaries} beneficiaries, {result.assets} assets."
    )


def _day(year, rng, first_month, last_month, today) -> datetime.date:
    day = datetime.date(year, rng.randint(first_month, last_month), rng.randint(1, 28))
    return min(day, today)


@transaction.atomic
def seed_funds(*, rng, today: datetime.date, projects: int = 96) -> FundsResult:
    wipe_funds()
    codes.clear_cache()
    command = (
        get_user_model().objects.filter(username="command").first()
        or get_user_model().objects.filter(is_superuser=True).first()
    )
    if command is None:
        return FundsResult()
    year = today.year
    townships = list(Township.objects.order_by("code"))
    departments = list(Department.objects.order_by("code"))
    villages = list(Village.objects.select_related("township").order_by("code"))
    if not (townships and villages):
        return FundsResult()
    by_township = {}
    for v in villages:
        by_township.setdefault(v.township_id, []).append(v)
    units = [("d", d) for d in departments] + [("t", t) for t in townships]
    pace = {id(u): rng.uniform(0.35, 1.0) for _, u in units}
    plans = _plan_projects(rng, units, projects, by_township, villages)
    result = FundsResult()
    allocations = _allocations(rng, plans, units, year, today, command, result)
    households = _households_by_village()
    for n, plan in enumerate(plans, start=1):
        _build_project(n, plan, rng, year, today, command, allocations, pace, households, result)
    return result


def _plan_projects(rng, units, total, by_township, villages) -> list[dict]:
    """Every unit implements at least one project (two for departments), the rest at random."""
    type_codes = [c for c, *_ in PROJECT_TYPES]
    chosen = [u for u in units for _ in range(2 if u[0] == "d" else 1)]
    while len(chosen) < total:
        chosen.append(rng.choice(units))
    plans = []
    for i, (kind, unit) in enumerate(chosen[:total]):
        if kind == "t":
            pool = by_township.get(unit.pk) or villages
        else:
            pool = villages
        places = rng.sample(pool, min(len(pool), rng.choice([1, 1, 2])))
        plans.append(
            {
                "kind": kind,
                "unit": unit,
                "type": type_codes[i % len(type_codes)],
                "villages": places,
                "budget": Decimal(rng.randrange(8, 120) * 5000),
                "state": rng.choices([s for s, _ in STATES], [w for _, w in STATES])[0],
            }
        )
    return plans


def _allocations(rng, plans, units, year, today, command, result) -> dict:
    """Per unit, one or two allocations covering its projects' budgets with a margin; every source used."""
    needs = {}
    for plan in plans:
        needs[id(plan["unit"])] = needs.get(id(plan["unit"]), Decimal(0)) + plan["budget"]
    sources = [c for c, _ in FUND_SOURCES]
    funded = [u for u in units if needs.get(id(u[1]))]
    # enough allocations that every source is used, however few the units
    least = -(-len(sources) // max(len(funded), 1))
    out, counter = {}, 0
    for n, (kind, unit) in enumerate(funded):
        need = needs[id(unit)]
        margin = Decimal(rng.choice(["1.00", "1.05", "1.15", "1.30"]))
        count = max(least, 1 if need < 200000 else 2)
        parts = [need / count] * (count - 1)
        parts.append(need - sum(parts))
        out[id(unit)] = []
        for k, part in enumerate(parts):
            source = sources[counter % len(sources)]
            counter += 1
            amount = (part * margin).quantize(Decimal("1"))
            allocation = services.allocation_create(
                user=command,
                data={
                    "year": year,
                    "source": source,
                    "document_number": f"青财农〔{year}〕{n * 2 + k + 1}号",
                    "document_date": _day(year, rng, 1, 3, today),
                    "amount": amount,
                    "receiving_township": unit if kind == "t" else None,
                    "receiving_department": unit if kind == "d" else None,
                },
            )
            out[id(unit)].append(allocation)
            result.allocations += 1
    return out


def _households_by_village() -> dict:
    rows = {}
    for h in Household.objects.exclude(exit_status="9").only("pk", "village_id", "number").order_by("number"):
        rows.setdefault(h.village_id, []).append(h)
    return rows


def _build_project(n, plan, rng, year, today, command, allocations, pace, households, result) -> None:
    unit, kind = plan["unit"], plan["kind"]
    first_village = plan["villages"][0]
    approve_on = _day(year, rng, 2, 5, today)
    planned = min(approve_on + datetime.timedelta(days=rng.randint(120, 260)), datetime.date(year, 12, 20))
    project = services.project_create(
        user=command,
        data={
            "number": f"XM{year}-{n:03d}",
            "name": TYPE_NAMES[plan["type"]].format(v=first_village.name),
            "year": year,
            "project_type": plan["type"],
            "implementing_township": unit if kind == "t" else None,
            "implementing_department": unit if kind == "d" else None,
            "planned_completion": planned,
            "place": "、".join(v.name for v in plan["villages"]),
        },
        villages=plan["villages"],
    )
    result.projects += 1
    pool = allocations[id(unit)]
    lines = _budget(project, plan["budget"], pool, command)
    state = plan["state"]
    steps = REACHED[state]
    if steps == 0:
        return
    project = services.project_transition(
        user=command, project=project, action="approve", on=approve_on, document=f"青扶领〔{year}〕{n}号"
    )
    if services.is_household_type(project):
        result.beneficiaries += _beneficiaries(project, rng, households, plan["budget"], command)
    if state == Status.WITHDRAWN:
        services.project_transition(
            user=command, project=project, action="withdraw", reason="选址调整，项目取消"
        )
        return
    if steps < 2:
        return
    start_on = min(approve_on + datetime.timedelta(days=rng.randint(5, 30)), today)
    project = services.project_transition(user=command, project=project, action="start", on=start_on)
    unit_pace = pace[id(unit)]
    percent = 100 if steps >= 3 else max(5, min(95, int(rng.uniform(0.2, 1.0) * unit_pace * 100)))
    report_on = min(start_on + datetime.timedelta(days=rng.randint(20, 120)), today)
    services.completion_report(
        user=command,
        project=project,
        percent=percent,
        reported_on=report_on,
        evidence=ContentFile(PDF, name=f"{project.number}-进度.pdf"),
    )
    project.refresh_from_db()
    share = Decimal(1) if steps >= 5 else Decimal(str(round(unit_pace * rng.uniform(0.6, 1.0), 2)))
    result.payments += _pay(project, lines, share, report_on, today, rng, command)
    if state == Status.SUSPENDED:
        services.project_transition(user=command, project=project, action="suspend", reason="雨季停工")
        return
    if steps >= 3:
        done_on = min(report_on + datetime.timedelta(days=rng.randint(0, 20)), today)
        project = services.project_transition(user=command, project=project, action="complete", on=done_on)
        if steps >= 4:
            accept_on = min(done_on + datetime.timedelta(days=rng.randint(5, 30)), today)
            project = services.project_transition(
                user=command, project=project, action="accept", on=accept_on
            )
            result.assets += _asset(project, plan, accept_on, rng, households, command)
        if steps >= 5:
            services.project_transition(
                user=command,
                project=project,
                action="reimburse",
                on=min(accept_on + datetime.timedelta(days=10), today),
            )
    elif plan["budget"] and rng.random() < 0.5 and project.is_behind_on(today):
        services.project_set_delay_reason(user=command, project=project, reason="受汛期影响，施工延后")


def _budget(project, budget, pool, command) -> list:
    """Draw the budget from the unit's allocations in turn, as much as each still holds."""
    lines, left = [], budget
    for allocation in pool:
        room = services.allocation_remaining(allocation)
        take = min(room, left)
        if take > 0:
            lines.append(
                services.budget_line_set(user=command, project=project, allocation=allocation, amount=take)
            )
            left -= take
        if not left:
            break
    return lines


def _pay(project, lines, share, after, today, rng, command) -> int:
    count = 0
    for line in lines:
        allowed = services.payable_now(project)
        amount = min(line.amount * share, allowed).quantize(Decimal("0.01"))
        if amount <= 0:
            continue
        parts = [amount] if amount < 50000 or rng.random() < 0.5 else [amount / 2, amount - amount / 2]
        for part in parts:
            part = Decimal(part).quantize(Decimal("0.01"))
            on = min(after + datetime.timedelta(days=rng.randint(1, 40)), today)
            services.payment_create(
                user=command,
                budget_line=line,
                paid_on=max(on, project.approved_on),
                amount=part,
                payee="承建单位",
            )
            count += 1
    return count


def _beneficiaries(project, rng, households, budget, command) -> int:
    pool = [h for v in project.villages.all() for h in households.get(v.pk, [])]
    chosen = rng.sample(pool, min(len(pool), rng.randint(4, 10)))
    taken = set(
        Beneficiary.objects.filter(year=project.year, project_type=project.project_type).values_list(
            "household_id", flat=True
        )
    )
    count = 0
    for h in chosen:
        if h.pk in taken:
            continue
        amount = Decimal(rng.choice([2000, 3000, 5000, 8000, 15000]))
        services.beneficiary_add(user=command, project=project, household=h, amount=amount)
        count += 1
    return count


def _asset(project, plan, on, rng, households, command) -> int:
    kind = (
        "household"
        if services.is_household_type(project)
        else ("operating" if plan["type"] == "20" else "public")
    )
    village = plan["villages"][0]
    asset = services.asset_create(
        user=command,
        project=project,
        data={
            "name": project.name,
            "kind": kind,
            "owner": f"{village.name}村民委员会",
            "manager": f"{village.name}村民委员会",
            "value": plan["budget"],
            "formed_on": on,
        },
    )
    if kind == "operating":
        for h in households.get(village.pk, [])[:5]:
            services.distribution_add(
                user=command, asset=asset, household=h, year=project.year, amount=Decimal(600)
            )
    return 1
