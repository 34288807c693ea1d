"""seed_demo also builds inspections, a spot-check sample with results and six ranking weeks."""

import datetime

import pytest
from django.core.management import call_command

from inspections.demo import demo_weeks
from inspections.models import (
    Finding,
    Inspection,
    InspectionTeam,
    MissedHousehold,
    RankingEntry,
    RankingSnapshot,
    Sample,
    SampleResult,
)
from inspections.services import vague_words_in

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 11, 25)  # a Wednesday: the last complete week is 2026-W47


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _seed(*extra):
    call_command("seed_demo", "--households", "150", "--seed", "5", "--as-of", AS_OF.isoformat(), *extra)


def _ranks():
    return list(
        RankingEntry.objects.order_by("snapshot__first_day", "kind", "rank").values_list(
            "snapshot__week", "name", "rank", "score"
        )
    )


def test_demo_builds_inspections_sample_and_six_ranking_weeks(media, capsys):
    _seed()
    assert "Inspections: 4 inspections" in capsys.readouterr().out
    weeks = ["2026-W42", "2026-W43", "2026-W44", "2026-W45", "2026-W46", "2026-W47"]
    assert demo_weeks(AS_OF) == weeks
    assert list(RankingSnapshot.objects.order_by("first_day").values_list("week", flat=True)) == weeks

    team = InspectionTeam.objects.get()
    assert team.leader.username == "inspector" and team.members.count() >= 2
    assert len(set(Inspection.objects.values_list("kind", flat=True))) == 4
    findings = Finding.objects.all()
    assert findings.count() >= 20 and not any(vague_words_in(f.text) for f in findings)
    assert all(f.target is not None for f in findings)
    assert {f.level for f in findings} >= {"village", "household"}
    with_items = findings.filter(item__isnull=False)
    assert 0 < with_items.count() < findings.count()
    first_monday = datetime.date(2026, 10, 12)
    for finding in findings.select_related("inspection"):
        day = finding.recorded_at.date()
        assert finding.inspection.start_date <= day <= finding.inspection.end_date
        assert first_monday <= day <= AS_OF
    for finding in with_items.select_related("item"):
        assert finding.item.created_at >= finding.recorded_at  # dated with the finding, not "now"

    sample = Sample.objects.get()
    results = SampleResult.objects.filter(entry__sample=sample)
    assert results.count() >= 0.7 * sample.entries.count()
    assert results.filter(exit_accurate=False).exists()
    assert MissedHousehold.objects.filter(sample=sample).exists()
    assert sample.non_registered_persons_surveyed > 0

    # the weeks differ: ranks move, and every week ranks every township and department
    by_week = {}
    for week, name, rank, _score in _ranks():
        by_week.setdefault(week, {})[name] = rank
    assert len({tuple(sorted(r.items())) for r in by_week.values()}) > 1
    assert len({len(r) for r in by_week.values()}) == 1


def _item_numbers():
    return list(Finding.objects.exclude(item=None).order_by("item__number").values_list("item__number"))


def test_demo_is_deterministic_and_resets_cleanly(media):
    _seed()
    first = _ranks()
    texts = list(Finding.objects.order_by("recorded_at", "text").values_list("text", flat=True))
    items = _item_numbers()
    _seed("--reset")  # findings hold ledger items: the reset must clear them first
    assert _ranks() == first
    assert list(Finding.objects.order_by("recorded_at", "text").values_list("text", flat=True)) == texts
    assert _item_numbers() == items
    assert RankingSnapshot.objects.count() == 6 and Sample.objects.count() == 1
