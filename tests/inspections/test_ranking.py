"""Weekly rankings (DOMAIN.md §8): scores and ranks worked out by hand, escalation across weeks."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from inspections import ranking
from inspections.models import RankingEntry, RankingSettings, RankingSnapshot, UnitKind
from tests.factories import TownshipFactory
from tests.rectification.factories import ItemFactory

pytestmark = pytest.mark.django_db


def raw(closing, overdue, spot=0.9):
    # Every other indicator is equal across units, so its normalised value is 1 for all.
    return {
        "closing_rate": closing,
        "overdue": overdue,
        "violations_per_100": 2.0,
        "visit_coverage": 0.8,
        "findings_per_100": 1.0,
        "spot_check": spot,
    }


@pytest.fixture
def towns(db):
    return {name: TownshipFactory(name=name) for name in ("A镇", "B镇", "C镇", "D镇", "E镇")}


@pytest.fixture
def small_settings(db):
    s = RankingSettings.current()  # default weights 25/15/15/20/10/15
    s.top_n, s.bottom_n, s.escalation_places = 2, 2, 3
    s.save()
    return s


def fake_measure(monkeypatch, towns, values):
    def measure(kind, first, last):
        if kind == UnitKind.DEPARTMENT:
            return {}
        return {towns[name]: value for name, value in values.items()}

    monkeypatch.setattr(ranking, "measure", measure)


WEEK1 = {
    # closing rate min 0 max 1; overdue min 0 max 4 (fewer is better)
    "A镇": raw(1.0, 0),  # 25·1 + 15·1 + 60 = 100
    "B镇": raw(0.5, 2),  # 25·.5 + 15·.5 + 60 = 80
    "C镇": raw(0.0, 4, spot=None),  # no spot check: (0 + 0 + 15 + 20 + 10) / 85 = 52.94
    "D镇": raw(0.5, 0),  # 12.5 + 15 + 60 = 87.5
    "E镇": raw(0.8, 4),  # 20 + 0 + 60 = 80, ties with B but more overdue items
}


def entries(week):
    return {e.name: e for e in RankingEntry.objects.filter(snapshot__week=week, kind=UnitKind.TOWNSHIP)}


def test_scores_and_ranks_by_hand(monkeypatch, towns, small_settings):
    fake_measure(monkeypatch, towns, WEEK1)
    outcome = ranking.compute_week("2026-W45")
    assert outcome.created
    got = entries("2026-W45")
    assert {n: (e.rank, float(e.score)) for n, e in got.items()} == {
        "A镇": (1, 100.0),
        "D镇": (2, 87.5),
        "B镇": (3, 80.0),
        "E镇": (4, 80.0),
        "C镇": (5, 52.94),
    }
    assert got["B镇"].normalised["closing_rate"] == 0.5
    assert got["B镇"].normalised["overdue"] == 0.5
    assert got["C镇"].normalised["spot_check"] is None
    assert got["E镇"].raw["overdue"] == 4
    assert [n for n, e in got.items() if e.top] == ["A镇", "D镇"]
    assert sorted(n for n, e in got.items() if e.bottom) == ["C镇", "E镇"]
    assert outcome.snapshot.weights["closing_rate"] == 25.0


def test_snapshot_is_never_recomputed(monkeypatch, towns, small_settings):
    fake_measure(monkeypatch, towns, WEEK1)
    ranking.compute_week("2026-W45")
    fake_measure(monkeypatch, towns, {name: raw(1.0, 0) for name in towns})
    again = ranking.compute_week("2026-W45")
    assert not again.created
    assert entries("2026-W45")["C镇"].rank == 5
    assert RankingSnapshot.objects.count() == 1


def test_escalation_counts_consecutive_weeks_in_the_bottom_three(monkeypatch, towns, small_settings):
    fake_measure(monkeypatch, towns, WEEK1)
    ranking.compute_week("2026-W45")
    week1 = entries("2026-W45")
    assert {n: e.bottom_streak for n, e in week1.items()} == {
        "A镇": 0,
        "D镇": 0,
        "B镇": 1,
        "E镇": 1,
        "C镇": 1,
    }

    # B climbs to the top (ties A at 100, A first by name); D drops into the bottom three.
    better = dict(WEEK1, **{"B镇": raw(1.0, 0)})
    fake_measure(monkeypatch, towns, better)
    for week in ("2026-W46", "2026-W47", "2026-W48"):
        ranking.compute_week(week)
    streaks = {
        w: {n: (e.bottom_streak, e.escalation) for n, e in entries(w).items()}
        for w in ("2026-W46", "2026-W48")
    }
    assert streaks["2026-W46"] == {"A镇": (0, 0), "B镇": (0, 0), "D镇": (1, 1), "E镇": (2, 2), "C镇": (2, 2)}
    assert streaks["2026-W48"] == {"A镇": (0, 0), "B镇": (0, 0), "D镇": (3, 3), "E镇": (4, 3), "C镇": (4, 3)}

    # A gap week (no snapshot) starts the count again.
    ranking.compute_week("2026-W50")
    assert entries("2026-W50")["C镇"].bottom_streak == 1


def test_measured_indicators_from_the_ledger(county_layout, users):
    t1, t2 = county_layout["townships"]
    today = timezone.localdate()
    ItemFactory(responsible_township=t1, status="closed", closed_at=timezone.now())
    ItemFactory(responsible_township=t1, deadline=today - datetime.timedelta(days=3))
    ItemFactory(responsible_township=t1, status="withdrawn")
    week = ranking.week_of(today + datetime.timedelta(days=7))
    first, last = ranking.parse_week(week)
    measured = {u.name: r for u, r in ranking.measure(UnitKind.TOWNSHIP, first, last).items()}
    assert measured[t1.name]["closing_rate"] == 0.5
    assert measured[t1.name]["overdue"] == 1
    assert measured[t2.name]["closing_rate"] == 1.0
    assert measured[t2.name]["overdue"] == 0
    assert measured[t1.name]["visit_coverage"] == 0.0  # one household has a helper, not visited
    assert measured[t2.name]["visit_coverage"] is None  # nobody has a helper account
    assert measured[t1.name]["spot_check"] is None


def test_command_json_and_second_run_says_unchanged(county_layout, capsys):
    call_command("weekly_ranking", "--week", "2026-W47", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["week"] == "2026-W47"
    assert {t["name"] for t in data["townships"]} == {t.name for t in county_layout["townships"]}
    assert [t["rank"] for t in data["townships"]] == [1, 2]
    assert set(data["townships"][0]["indicators"]) >= {"closing_rate", "overdue", "visit_coverage"}
    assert len(data["departments"]) == 1
    call_command("weekly_ranking", "--week", "2026-W47")
    assert "unchanged" in capsys.readouterr().out


def test_beat_task_ranks_last_complete_week(county_layout):
    from inspections.tasks import weekly_ranking_task

    result = weekly_ranking_task("2026-W47")
    assert result == {"week": "2026-W47", "created": True}
    assert ranking.last_complete_week(datetime.date(2026, 11, 23)) == "2026-W47"


def test_stored_snapshot_and_entries_cannot_be_saved_again(county_layout):
    snapshot = ranking.compute_week("2026-W47").snapshot
    with pytest.raises(ValueError):
        snapshot.save()
    entry = snapshot.entries.first()
    entry.score = 1
    with pytest.raises(ValueError):
        entry.save()


def test_per_100_indicators_do_not_apply_to_a_unit_without_households(county_layout):
    first, last = ranking.parse_week("2026-W47")
    measured = ranking.measure(UnitKind.DEPARTMENT, first, last)
    (values,) = measured.values()  # the department has no helper's households
    assert values["violations_per_100"] is None
    assert values["findings_per_100"] is None
    assert values["spot_check"] is None
