"""Weekly rankings (排序通报), DOMAIN.md §8.

Every township and every department is scored from measured indicators as of the last day
(Sunday) of an ISO week:

- closing_rate: items of the unit closed by that day ÷ its items (withdrawn ones left out);
- overdue: its items past their deadline on that day and not closed by its end: still being
  worked on, or closed only later (the ledger derives "overdue" from status and deadline);
- violations_per_100: error-level (E) logic-check violations open at the end of that day
  (first seen before it, not resolved by then) per 100 households;
- visit_coverage: households with a helper account visited in the 30 days up to that day ÷
  households with a helper account (30 days, not the week: helpers visit monthly);
- findings_per_100: inspection findings recorded in those 30 days per 100 households;
- spot_check: accurate spot-check results (identification accurate and exit not found
  inaccurate) ÷ results recorded up to that day.

A township's households are those of its villages; a department's are those whose helper's
profile belongs to it. Departments have no spot-check sample, so that indicator does not
apply to them (nor to a township without results; nor do the per-100 indicators to a unit
without households): its weight is left out and the score is
the weighted mean over the indicators that apply. Each indicator is min–max normalised over
the units of the same kind (1 = best; all equal → 1), score = 100 × Σ w·n / Σ w; ties go to
fewer overdue items, then the name. The snapshot keeps raw values, normalised values, the
weights, ranks and flags and is never recomputed.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from households.models import Department, Household, Township, Violation, Visit
from rectification.models import WORKING, Item, Status

from .models import (
    INDICATORS,
    MIN_APPLICABLE,
    Finding,
    RankingEntry,
    RankingSettings,
    RankingSnapshot,
    SampleResult,
    UnitKind,
)

WINDOW_DAYS = 30
# Apps that own further indicators (funds) add a callable (kind, first, last) -> {unit pk: {key: value}}.
EXTRA_MEASURES: list = []


def parse_week(week: str) -> tuple[datetime.date, datetime.date]:
    year, _w, number = week.upper().partition("-W")
    first = datetime.date.fromisocalendar(int(year), int(number), 1)
    return first, first + datetime.timedelta(days=6)


def week_of(day: datetime.date) -> str:
    year, number, _day = day.isocalendar()
    return f"{year}-W{number:02d}"


def last_complete_week(today: datetime.date) -> str:
    return week_of(today - datetime.timedelta(days=today.isoweekday()))


def compute_last_complete_week(today: datetime.date | None = None) -> "Outcome":
    """What the weekly beat job, the command and the ranking page's button all run."""
    return compute_week(last_complete_week(today or timezone.localdate()))


def previous_week(week: str) -> str:
    first, _last = parse_week(week)
    return week_of(first - datetime.timedelta(days=7))


def _counts(qs, key: str, **aggregates) -> dict:
    return {row[key]: row for row in qs.values(key).annotate(**aggregates) if row[key] is not None}


def _per_100(count, households):
    return round(100 * count / households, 4) if households else None


def _ratio(part, whole, empty):
    return round(part / whole, 4) if whole else empty


def measure(kind: str, first: datetime.date, last: datetime.date) -> dict:
    """{unit: (name, raw indicators)} for every township or department."""
    window_start = last - datetime.timedelta(days=WINDOW_DAYS - 1)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min)
    if kind == UnitKind.TOWNSHIP:
        units = Township.objects.order_by("name")
        item_key, hh_key, finding_key = "responsible_township", "village__township", "township"
    else:
        units = Department.objects.order_by("name")
        item_key, hh_key, finding_key = "responsible_department", "helper__profile__department", "department"
    end = timezone.make_aware(end) if timezone.is_naive(end) else end
    closed_later = Q(status=Status.CLOSED, closed_at__gte=end)
    items = _counts(
        Item.objects.exclude(status=Status.WITHDRAWN).filter(created_at__lt=end),
        item_key,
        total=Count("pk"),
        closed=Count("pk", filter=Q(status=Status.CLOSED, closed_at__lt=end)),
        overdue=Count("pk", filter=Q(deadline__lt=last) & (Q(status__in=WORKING) | closed_later)),
    )
    households = _counts(
        Household.objects.all(),
        hh_key,
        total=Count("pk"),
        helped=Count("pk", filter=Q(helper__isnull=False)),
    )
    visited = _counts(
        Visit.objects.filter(date__gte=window_start, date__lte=last, household__helper__isnull=False),
        f"household__{hh_key}",
        n=Count("household", distinct=True),
    )
    violations = _counts(
        Violation.objects.filter(severity="E", first_seen__lt=end).exclude(resolved_at__lt=end),
        f"household__{hh_key}",
        n=Count("pk"),
    )
    window_start_dt = timezone.make_aware(datetime.datetime.combine(window_start, datetime.time.min))
    findings = _counts(
        Finding.objects.filter(recorded_at__gte=window_start_dt, recorded_at__lt=end),
        finding_key,
        n=Count("pk"),
    )
    spot = {}
    if kind == UnitKind.TOWNSHIP:
        spot = _counts(
            SampleResult.objects.filter(recorded_at__lt=end),
            "entry__township",
            n=Count("pk"),
            ok=Count("pk", filter=Q(identification_accurate=True) & ~Q(exit_accurate=False)),
        )
    result = {}
    for unit in units:
        it = items.get(unit.pk, {"total": 0, "closed": 0, "overdue": 0})
        hh = households.get(unit.pk, {"total": 0, "helped": 0})
        sp = spot.get(unit.pk)
        result[unit] = {
            "closing_rate": _ratio(it["closed"], it["total"], 1.0),
            "overdue": it["overdue"],
            "violations_per_100": _per_100(violations.get(unit.pk, {"n": 0})["n"], hh["total"]),
            "visit_coverage": _ratio(visited.get(unit.pk, {"n": 0})["n"], hh["helped"], None),
            "findings_per_100": _per_100(findings.get(unit.pk, {"n": 0})["n"], hh["total"]),
            "spot_check": _ratio(sp["ok"], sp["n"], None) if sp else None,
        }
    for extra in EXTRA_MEASURES:
        values = extra(kind, first, last)
        for unit, raw in result.items():
            raw.update(values.get(unit.pk, {}))
    return result


def normalise(raws: list[dict]) -> list[dict]:
    """Min–max over the units; 1 is best; None (not applicable) stays None."""
    out = [{} for _ in raws]
    for key, higher_is_better in INDICATORS:
        values = [r[key] for r in raws if r.get(key) is not None]
        low, high = (min(values), max(values)) if values else (0, 0)
        for i, r in enumerate(raws):
            v = r.get(key)
            if v is None:
                out[i][key] = None
            elif high == low:
                out[i][key] = 1.0
            else:
                n = (v - low) / (high - low)
                out[i][key] = round(n if higher_is_better else 1 - n, 4)
    return out


def score(normalised: dict, weights: dict) -> float:
    used = [(weights[k], n) for k, n in normalised.items() if n is not None and weights.get(k)]
    total = sum(w for w, _n in used)
    return round(100 * sum(w * n for w, n in used) / total, 2) if total else 0.0


@dataclass
class Outcome:
    snapshot: RankingSnapshot
    created: bool


def applied(normalised: dict, weights: dict) -> int:
    """How many indicators a score rests on: those that apply to the unit and carry weight."""
    return sum(1 for k, n in normalised.items() if n is not None and weights.get(k))


def rank_units(kind, measured: dict, weights: dict, settings: RankingSettings, previous: dict) -> list:
    """Units scored on at least MIN_APPLICABLE indicators are ranked; the others follow, unranked."""
    units = list(measured)
    raws = [measured[u] for u in units]
    norms = normalise(raws)
    rows = [
        (score(n, weights), r, n, u, applied(n, weights)) for u, r, n in zip(units, raws, norms, strict=True)
    ]
    rows.sort(key=lambda row: (row[4] < MIN_APPLICABLE, -row[0], row[1]["overdue"] or 0, row[3].name))
    count = sum(1 for row in rows if row[4] >= MIN_APPLICABLE)
    entries = []
    for rank, (s, raw, norm, unit, n_applied) in enumerate(rows, start=1):
        ranked = n_applied >= MIN_APPLICABLE
        in_escalation_zone = ranked and rank > count - settings.escalation_places
        streak = previous.get(unit.pk, 0) + 1 if in_escalation_zone else 0
        entries.append(
            RankingEntry(
                kind=kind,
                township=unit if kind == UnitKind.TOWNSHIP else None,
                department=unit if kind == UnitKind.DEPARTMENT else None,
                name=unit.name,
                rank=rank,
                score=s,
                raw=raw,
                normalised=norm,
                top=ranked and rank <= settings.top_n,
                bottom=ranked and rank > count - settings.bottom_n,
                applicable=n_applied,
                ranked=ranked,
                bottom_streak=streak,
                escalation=min(streak, 3),
            )
        )
    return entries


def compute_week(week: str) -> Outcome:
    """The week's snapshot, computed once; an existing snapshot is returned unchanged."""
    first, last = parse_week(week)
    week = week_of(first)
    existing = RankingSnapshot.objects.filter(week=week).first()
    if existing:
        return Outcome(existing, False)
    settings = RankingSettings.current()
    weights = settings.weights()
    prev = RankingSnapshot.objects.filter(week=previous_week(week)).first()
    with transaction.atomic():
        snapshot = RankingSnapshot.objects.create(
            week=week,
            first_day=first,
            last_day=last,
            weights=weights,
            parameters={
                "top_n": settings.top_n,
                "bottom_n": settings.bottom_n,
                "escalation_places": settings.escalation_places,
                "window_days": WINDOW_DAYS,
            },
        )
        entries = []
        for kind in (UnitKind.TOWNSHIP, UnitKind.DEPARTMENT):
            previous = {}
            if prev:
                field = "township_id" if kind == UnitKind.TOWNSHIP else "department_id"
                previous = dict(prev.entries.filter(kind=kind).values_list(field, "bottom_streak"))
            for entry in rank_units(kind, measure(kind, first, last), weights, settings, previous):
                entry.snapshot = snapshot
                entries.append(entry)
        RankingEntry.objects.bulk_create(entries)
    return Outcome(snapshot, True)


def as_json(snapshot: RankingSnapshot) -> dict:
    def rows(kind):
        return [
            {
                "name": e.name,
                "rank": e.rank if e.ranked else None,
                "score": float(e.score),
                "indicators_applied": e.applicable,
                "indicators": e.raw,
            }
            for e in snapshot.entries.filter(kind=kind).order_by("rank")
        ]

    return {
        "week": snapshot.week,
        "townships": rows(UnitKind.TOWNSHIP),
        "departments": rows(UnitKind.DEPARTMENT),
    }
