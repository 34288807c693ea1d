"""Reading stored weekly rankings over time: the change since last week and a unit's rank by week.

Each function runs a fixed number of queries, however many weeks and units are stored
(the home page's query budget depends on it).
"""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery

from povertycase.core.params import id_or_none

from .models import RankingEntry, RankingSnapshot, UnitKind
from .ranking import previous_week

UNIT_FIELD = {UnitKind.TOWNSHIP: "township_id", UnitKind.DEPARTMENT: "department_id"}


def unit_key(kind: str, unit_id: int) -> str:
    """The unit chooser's value, e.g. "township-3"."""
    return f"{kind}-{unit_id}"


def parse_unit_key(value: str | None) -> tuple[str, int] | None:
    kind, _sep, number = (value or "").partition("-")
    if kind not in UNIT_FIELD or id_or_none(number) is None:
        return None
    return kind, int(number)


def entry_unit(entry: RankingEntry) -> tuple[str, int]:
    return entry.kind, getattr(entry, UNIT_FIELD[entry.kind])


@dataclass
class Row:
    entry: RankingEntry
    key: str
    previous_rank: int | None
    # rank places gained since the previous week (positive = climbed); None: new or no previous week
    change: int | None
    new: bool

    @property
    def places(self) -> int:
        """How many places it moved, either way."""
        return abs(self.change or 0)


@dataclass
class LatestRanking:
    snapshot: RankingSnapshot
    has_previous: bool
    townships: list[Row]
    departments: list[Row]

    def rows(self):
        return self.townships + self.departments


def latest_ranking() -> LatestRanking | None:
    """The newest snapshot's rows of both kinds, each with its change since the week before (3 queries)."""
    snapshot = RankingSnapshot.objects.first()
    if snapshot is None:
        return None
    entries = list(snapshot.entries.order_by("kind", "rank"))
    previous = {
        entry_unit(e): e.rank
        for e in RankingEntry.objects.filter(snapshot__week=previous_week(snapshot.week)).only(
            "kind", "township_id", "department_id", "rank"
        )
    }
    has_previous = bool(previous)
    by_kind = {UnitKind.TOWNSHIP: [], UnitKind.DEPARTMENT: []}
    for entry in entries:
        before = previous.get(entry_unit(entry))
        by_kind[entry.kind].append(
            Row(
                entry=entry,
                key=unit_key(*entry_unit(entry)),
                previous_rank=before,
                change=None if before is None else before - entry.rank,
                new=has_previous and before is None,
            )
        )
    return LatestRanking(snapshot, has_previous, by_kind[UnitKind.TOWNSHIP], by_kind[UnitKind.DEPARTMENT])


@dataclass
class SeriesPoint:
    week: str
    rank: int
    of: int
    score: float


def rank_series(kind: str, unit_id: int) -> list[SeriesPoint]:
    """The unit's rank in every stored week, oldest first, with the number of units ranked (1 query)."""
    units_ranked = (
        RankingEntry.objects.filter(snapshot=OuterRef("snapshot"), kind=kind)
        .order_by()
        .values("snapshot")
        .annotate(n=Count("pk"))
        .values("n")
    )
    entries = (
        RankingEntry.objects.filter(kind=kind, **{UNIT_FIELD[kind]: unit_id})
        .annotate(units_ranked=Subquery(units_ranked))
        .select_related("snapshot")
        .order_by("snapshot__first_day")
    )
    return [SeriesPoint(e.snapshot.week, e.rank, e.units_ranked, float(e.score)) for e in entries]
