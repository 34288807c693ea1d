"""Past weeks are measured from their own dates; the ranking page's button runs the weekly job."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import Violation
from inspections import ranking, trends
from inspections.models import RankingSnapshot, UnitKind
from tests.rectification.factories import ItemFactory

pytestmark = pytest.mark.django_db
WEEK = "2026-W45"  # 2026-11-02 … 2026-11-08


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def _measured(kind=UnitKind.TOWNSHIP, week=WEEK):
    first, last = ranking.parse_week(week)
    return {u.name: r for u, r in ranking.measure(kind, first, last).items()}


def test_item_closed_after_the_week_was_overdue_in_it(county_layout):
    t1, _t2 = county_layout["townships"]
    created = _at(datetime.date(2026, 10, 1))
    ItemFactory(
        responsible_township=t1,
        status="closed",
        deadline=datetime.date(2026, 11, 1),
        created_at=created,
        closed_at=_at(datetime.date(2026, 11, 20)),
    )
    ItemFactory(
        responsible_township=t1,
        status="closed",
        deadline=datetime.date(2026, 11, 1),
        created_at=created,
        closed_at=_at(datetime.date(2026, 11, 4)),
    )
    ItemFactory(responsible_township=t1, created_at=_at(datetime.date(2026, 11, 12)))  # not yet opened
    values = _measured()["青石镇"]
    assert values["overdue"] == 1  # the late-closed one; the one closed in time is not
    assert values["closing_rate"] == 0.5
    assert _measured(week="2026-W48")["青石镇"]["overdue"] == 0  # both closed by then


def test_violations_count_as_open_on_the_weeks_last_day(county_layout):
    hh = county_layout["households"]

    def violation(household, seen, resolved=None, rule_id="HH-003"):
        Violation.objects.create(
            rule_id=rule_id,
            household=household,
            severity="E",
            message="测试",
            first_seen=_at(seen),
            last_seen=_at(seen),
            resolved_at=_at(resolved) if resolved else None,
        )

    violation(hh["v11"], datetime.date(2026, 10, 1), resolved=datetime.date(2026, 11, 20))  # open then
    violation(hh["v12"], datetime.date(2026, 10, 1), resolved=datetime.date(2026, 11, 3))  # resolved in time
    violation(hh["v11"], datetime.date(2026, 11, 15), rule_id="HH-004")  # found later
    assert _measured()["青石镇"]["violations_per_100"] == 50.0  # 1 open for 2 households
    assert _measured(week="2026-W47")["青石镇"]["violations_per_100"] == 50.0  # only the later one


def test_trends_rank_series_counts_units_of_that_week(county_layout):
    for week in ("2026-W44", "2026-W45"):
        ranking.compute_week(week)
    t1 = county_layout["townships"][0]
    series = trends.rank_series(UnitKind.TOWNSHIP, t1.pk)
    assert [p.week for p in series] == ["2026-W44", "2026-W45"]
    assert all(p.of == 2 and p.rank in (1, 2) for p in series)
    assert trends.parse_unit_key(trends.unit_key(UnitKind.TOWNSHIP, t1.pk)) == ("township", t1.pk)
    assert trends.parse_unit_key("household-3") is None and trends.parse_unit_key(None) is None


COMPUTE = reverse("inspections:ranking_compute")


def test_command_computes_the_last_complete_week_once(client, users):
    client.force_login(users["command"])
    week = ranking.last_complete_week(timezone.localdate())
    response = client.post(COMPUTE, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"?week={week}")
    assert f"已生成 {week} 排序：共 3 个单位参加排序。" in response.content.decode()
    snapshot = RankingSnapshot.objects.get()
    assert snapshot.week == week
    again = client.post(COMPUTE, follow=True).content.decode()
    assert "本次没有任何改动" in again
    assert RankingSnapshot.objects.get().computed_at == snapshot.computed_at


def test_beat_task_and_button_run_the_same_service(client, users, monkeypatch):
    calls = []
    real = ranking.compute_week
    monkeypatch.setattr(ranking, "compute_week", lambda week: calls.append(week) or real(week))
    from inspections.tasks import weekly_ranking_task

    weekly_ranking_task()
    client.force_login(users["command"])
    client.post(COMPUTE)
    assert len(calls) == 2 and calls[0] == calls[1] == ranking.last_complete_week(timezone.localdate())


@pytest.mark.parametrize("role", ["township", "department", "inspector", "village"])
def test_only_the_command_office_may_compute(client, users, role):
    client.force_login(users[role])
    assert client.post(COMPUTE).status_code == 403
    assert not RankingSnapshot.objects.exists()


def test_compute_needs_post_and_button_shows_for_command_only(client, users):
    client.force_login(users["command"])
    assert client.get(COMPUTE).status_code == 405
    assert "生成本周排名" in client.get(reverse("inspections:ranking")).content.decode()
    client.force_login(users["township"])
    assert "生成本周排名" not in client.get(reverse("inspections:ranking")).content.decode()
