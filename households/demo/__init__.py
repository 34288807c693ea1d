"""Demo data: a county like the seeds' (青山县), its register, and one account per role.

`build_demo(households=N, seed=S)` is deterministic for a given seed and reference date.
About 5% of households carry one deliberate inconsistency each; `flaws.KINDS` lists the
kinds with the logic check each must trigger, and the result maps household numbers to kinds.
"""

import datetime
import random
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from povertycase.core import codes

from . import flaws, monitoring, people, plans, regions, users, visits, writer
from .conditions import build_conditions
from .exit import build_exit_demo
from .flaws import KINDS
from .leaders import build_leaders
from .users import DEMO_PASSWORD, DEMO_USERS
from .villages import build_village_indicators
from .work import build_work

CHUNK_HOUSEHOLDS = 2000  # plans held in memory at once
REGISTERED_DAYS_BEFORE = 365

__all__ = ["DEMO_PASSWORD", "DEMO_USERS", "KINDS", "DemoResult", "build_demo", "reset_demo"]


@dataclass
class DemoResult:
    households: int = 0
    members: int = 0
    measures: int = 0
    visits: int = 0
    monitoring: int = 0
    villages: int = 0
    flaws: dict[str, str] = field(default_factory=dict)  # household number -> kind
    seconds: float = 0.0

    @property
    def flaw_counts(self) -> Counter:
        return Counter(self.flaws.values())


@transaction.atomic
def build_demo(
    *, households: int, seed: int = 1, as_of: datetime.date | None = None, progress=None
) -> DemoResult:
    """Build the county, the accounts and `households` households; ages are at `as_of` (today)."""
    started = time.monotonic()
    rng = random.Random(seed)
    layout = regions.build_layout()
    accounts = users.build_users(layout)
    ctx = plans.Context(
        rng=rng,
        as_of=as_of or datetime.date.today(),
        ids=people.IdAllocator(layout.county.code, rng),
        item_categories={c.code: c.extra["category"] for c in codes.entries("measure_item")},
        departments=layout.departments,
        helper_account=accounts["helper"],
        helper_township_id=layout.home_township.pk,
        helper_quota=users.HELPER_HOUSEHOLDS,
    )
    result = DemoResult(villages=len(layout.villages))
    chosen = flaws.choose(rng, households)
    inserter = writer.Inserter(when=_registered_at(ctx.as_of))
    chunk = []
    for index, (village, seq, size) in enumerate(_slots(layout, households)):
        kind = chosen.get(index)
        plan = plans.plan_household(
            ctx, village, seq, size, flaws.KINDS[kind].needs if kind else plans.Needs()
        )
        if kind:
            flaws.apply(ctx, plan, kind)
            result.flaws[plan.household.number] = kind
        chunk.append(plan)
        if len(chunk) >= CHUNK_HOUSEHOLDS:
            _save(inserter, chunk, result, progress)
    _save(inserter, chunk, result, progress)
    inserter.close()
    result.visits = visits.build_visits(accounts["helper"], as_of=ctx.as_of, seed=seed)
    build_village_indicators(layout.villages, seed=seed)
    build_exit_demo(accounts, layout, as_of=ctx.as_of, seed=seed)
    result.monitoring = monitoring.build_monitoring(as_of=ctx.as_of, seed=seed)
    build_conditions(layout, as_of=ctx.as_of, seed=seed)
    build_work(as_of=ctx.as_of, seed=seed)
    build_leaders(accounts, layout, as_of=ctx.as_of, seed=seed)
    result.seconds = time.monotonic() - started
    return result


def _registered_at(as_of: datetime.date) -> datetime.datetime:
    """When the demo register was entered: before every dated demo record (visits go back months),
    so the history says which helper was assigned on each visit's day (VS-004)."""
    day = as_of - datetime.timedelta(days=REGISTERED_DAYS_BEFORE)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def _slots(layout: regions.Layout, total: int):
    """(village, sequence in the village, village size) for every household to build."""
    counts = regions.allocate(total, layout.weights)
    for village in layout.villages:
        for seq in range(1, counts[village.pk] + 1):
            yield village, seq, counts[village.pk]


def _save(inserter: writer.Inserter, chunk: list, result: DemoResult, progress) -> None:
    if not chunk:
        return
    inserter.save_plans(chunk)
    result.households += len(chunk)
    result.members += sum(len(p.members) for p in chunk)
    result.measures += sum(len(p.measures) for p in chunk)
    chunk.clear()
    if progress:
        progress(result)


@transaction.atomic
def reset_demo() -> list[str]:
    """Delete the register and the demo accounts; returns usernames that had to be kept."""
    writer.wipe_register()
    return users.delete_users()
