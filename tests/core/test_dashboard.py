"""The home page (issue 6): every figure scoped to the user, a fixed number of queries."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from households.models import MonitoringCase, Violation, Visit
from inspections.models import RankingEntry, RankingSnapshot, Sample, SampledHousehold, SampleResult
from inspections.ranking import parse_week
from povertycase.core import codes
from povertycase.dashboard import dashboard, iso_week
from tests.factories import HouseholdFactory, VillageFactory
from tests.rectification.factories import ItemFactory

HOME = reverse("home")
PAST = datetime.date.today() - datetime.timedelta(days=3)


def _violation(household, severity="E", rule_id="HH-003"):
    now = timezone.now()
    return Violation.objects.create(
        rule_id=rule_id,
        household=household,
        severity=severity,
        message="测试",
        first_seen=now,
        last_seen=now,
    )


def _visit(household, user, date):
    return Visit.objects.create(
        household=household, helper=user, created_by=user, date=date, kind="1", done="走访"
    )


@pytest.fixture
def data(users, county_layout):
    """Township 1 (the township user's) and township 2 carry different, recognisable figures."""
    t1, t2 = county_layout["townships"]
    hh = county_layout["households"]
    dept = county_layout["department"]
    today = timezone.localdate()
    # township 1: 1 open item (not overdue); township 2: 3 open, 2 overdue; department: 1 overdue
    ItemFactory(responsible_township=t1, target_township=t1, number="ZG-T1-OPEN")
    for n in range(3):
        ItemFactory(
            responsible_township=t2,
            target_township=t2,
            number=f"ZG-T2-{n}",
            deadline=PAST if n < 2 else today + datetime.timedelta(days=9),
        )
    ItemFactory(responsible_township=None, responsible_department=dept, number="ZG-DEPT-LATE", deadline=PAST)
    ItemFactory(responsible_township=t1, number="ZG-T1-CLOSED", status="closed", deadline=PAST)
    # visits: 1 this week in township 1, 2 in township 2, one last month in township 1
    helper = users["helper"]
    _visit(hh["v11"], helper, today)
    _visit(hh["v21"], helper, today)
    _visit(hh["v22"], helper, today)
    _visit(hh["v11"], helper, today - datetime.timedelta(days=40))
    # violations: 1 in township 1, 3 in township 2, one resolved in township 1
    _violation(hh["v11"])
    for key, rule in (("v21", "HH-003"), ("v22", "HH-003"), ("v22", "HH-004")):
        _violation(hh[key], severity="W", rule_id=rule)
    _violation(hh["v12"]).__class__.objects.filter(household=hh["v12"]).update(resolved_at=timezone.now())
    # 5 more households in township 2, one exited
    for _ in range(4):
        HouseholdFactory(village=county_layout["villages"]["v21"])
    HouseholdFactory(village=county_layout["villages"]["v22"], exit_status="1")
    return county_layout


def _page(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response


def test_iso_week_runs_monday_to_sunday():
    assert iso_week(datetime.date(2026, 11, 26)) == (datetime.date(2026, 11, 23), datetime.date(2026, 11, 29))
    assert iso_week(datetime.date(2026, 11, 23))[0] == datetime.date(2026, 11, 23)


def test_command_sees_county_figures(client, users, data):
    ctx = _page(client, users["command"]).context
    assert ctx["summary"]["households"] == 9
    assert dict(ctx["by_status"])["已脱贫（享受政策）"] == 1
    assert ctx["open_total"] == 5 and ctx["overdue_total"] == 3
    units = {u["unit"]: (u["open"], u["overdue"]) for u in ctx["units"]}
    assert units["白云乡"] == (3, 2) and units["青石镇"] == (1, 0)
    assert ctx["visits_this_week"] == 3
    assert ctx["violations"]["total"] == 4
    assert {i.number for i in ctx["overdue_items"]} == {"ZG-T2-0", "ZG-T2-1", "ZG-DEPT-LATE"}


def test_township_sees_only_its_township(client, users, data):
    response = _page(client, users["township"])
    ctx, html = response.context, response.content.decode()
    assert ctx["summary"]["households"] == 2 and ctx["summary"]["villages"] == 2
    assert sum(n for _, n in ctx["by_status"]) == 2
    assert [u["unit"] for u in ctx["units"]] == ["青石镇"]
    assert ctx["open_total"] == 1 and ctx["overdue_total"] == 0
    assert ctx["overdue_items"] == []
    assert ctx["visits_this_week"] == 1
    assert ctx["violations"]["total"] == 1
    assert ctx["spot_check"] is None
    # nothing of township 2 leaks through the tables or the chart data
    assert "白云乡" not in html and "ZG-T2" not in html and "ZG-DEPT" not in html
    chart = json.loads(html.split('id="dashboard-data" type="application/json">')[1].split("</script>")[0])
    assert chart["units"]["labels"] == ["青石镇"] and sum(chart["status"]["counts"]) == 2


def test_township_overdue_list_is_its_own(client, users, data):
    t1 = data["townships"][0]
    ItemFactory(responsible_township=t1, target_township=t1, number="ZG-T1-LATE", deadline=PAST)
    response = _page(client, users["township"])
    assert [i.number for i in response.context["overdue_items"]] == ["ZG-T1-LATE"]
    assert 'data-testid="overdue-list"' in response.content.decode()


def test_department_sees_its_items_and_overdue_list(client, users, data):
    ctx = _page(client, users["department"]).context
    assert [i.number for i in ctx["overdue_items"]] == ["ZG-DEPT-LATE"]
    assert [u["unit"] for u in ctx["units"]] == [data["department"].name]
    assert ctx["spot_check"] is None


def test_village_and_helper_see_their_households_only(client, users, data):
    village = _page(client, users["village"]).context
    assert village["summary"]["households"] == 1
    assert village["violations"]["total"] == 1
    assert village["visits_this_week"] == 1
    helper = _page(client, users["helper"]).context
    assert helper["summary"]["households"] == 1
    assert helper["open_total"] == 0 and helper["units"] == []
    assert helper["visits_this_week"] == 1


def _sample(users, data):
    sample = Sample.objects.create(
        title="第一次抽查",
        seed=1,
        rate="0.1000",
        remote_factor="1.50",
        population=9,
        created_by=users["command"],
    )
    hh = data["households"]
    for pos, key in enumerate(("v11", "v21")):
        entry = SampledHousehold.objects.create(
            sample=sample, household=hh[key], township=hh[key].village.township, position=pos
        )
        SampleResult.objects.create(
            entry=entry,
            identification_accurate=True,
            satisfied=True,
            knows_policies=pos == 0,
            recorded_by=users["command"],
        )
    return sample


def test_command_and_inspector_see_latest_sample_rates(client, users, data):
    sample = _sample(users, data)
    for role in ("command", "inspector"):
        response = _page(client, users[role])
        spot = response.context["spot_check"]
        assert spot["sample"] == sample
        rates = {r.key: r.percent for r in spot["rates"]}
        assert rates["recognition"] == 100 and rates["awareness"] == 50
        assert "第一次抽查" in response.content.decode()


def test_township_never_sees_the_sample(client, users, data):
    _sample(users, data)
    response = _page(client, users["township"])
    assert response.context["spot_check"] is None
    assert "第一次抽查" not in response.content.decode()


def test_page_renders_tables_and_chart_data_in_chinese(client, users, data):
    html = _page(client, users["command"]).content.decode()
    assert 'id="dashboard-data"' in html and "vendor/chartjs/chart.umd.min.js" in html
    assert 'data-testid="by-unit"' in html and 'data-testid="by-status"' in html
    assert "按责任单位统计未销号问题" in html and "本周走访" in html


def test_english_page_has_plain_headings(client, users, data):
    client.force_login(users["township"])
    client.cookies["django_language"] = "en"
    html = client.get(HOME).content.decode()
    assert "Open items by unit" in html and "Dashboard:" not in html


def test_township_page_names_its_own_overdue_list(client, users, data):
    html = _page(client, users["township"]).content.decode()
    assert "本单位逾期问题" in html


def test_anonymous_dashboard_is_empty(db):
    from django.contrib.auth.models import AnonymousUser

    figures = dashboard(AnonymousUser())
    assert figures["summary"]["households"] == 0 and figures["units"] == [] and figures["spot_check"] is None


def _count_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["command", "inspector", "township", "department", "village", "helper"])
def test_query_count_does_not_grow_with_data(client, users, data, role, monkeypatch):
    # a loaded machine may take over a minute here: keep the code-list cache from expiring between counts
    monkeypatch.setattr(codes, "_TTL_SECONDS", 10**9)
    _sample(users, data)
    t1, t2 = data["townships"]
    dept = data["department"]
    _week("2026-W40", [t1, t2], [dept])
    _week("2026-W41", [t2, t1], [dept])
    _monitored(data["households"]["v11"], "M1")
    client.force_login(users[role])
    client.get(HOME)  # warm the code-list cache
    small = _count_queries(client)
    extra_village = VillageFactory(township=data["townships"][0])
    for n in range(15):
        household = HouseholdFactory(village=extra_village)
        _violation(household)
        _visit(household, users["helper"], timezone.localdate())
        ItemFactory(responsible_township=data["townships"][n % 2], number=f"ZG-MORE-{n}", deadline=PAST)
    _sample(users, data)
    for n in range(3):
        _week(f"2026-W{42 + n}", [extra_town(n), t2, t1], [dept])
        _monitored(HouseholdFactory(village=extra_village), "M2")
    assert _count_queries(client) == small <= QUERY_BUDGET


def extra_town(n):
    from tests.factories import TownshipFactory

    return TownshipFactory(name=f"新增{n}镇")


# 18 before the ranking; + 1 monitored-by-category count, + 3 for the latest ranking (snapshot,
# its entries, last week's ranks) + 1 for the chosen unit's rank over the weeks.
QUERY_BUDGET = 23


# --- weekly ranking on the home page -------------------------------------------------------


def _week(week, townships, departments=(), *, escalation=None):
    """A stored week ranking the townships (and departments) in the order given."""
    first, last = parse_week(week)
    snapshot = RankingSnapshot.objects.create(
        week=week, first_day=first, last_day=last, weights={}, parameters={}
    )
    for kind, units in (("township", townships), ("department", departments)):
        for rank, unit in enumerate(units, start=1):
            RankingEntry.objects.create(
                snapshot=snapshot,
                kind=kind,
                township=unit if kind == "township" else None,
                department=unit if kind == "department" else None,
                name=unit.name,
                rank=rank,
                score=100 - 10 * rank,
                raw={},
                normalised={},
                top=rank == 1,
                bottom=rank == len(units),
                escalation=(escalation or {}).get(unit.name, 0),
            )
    return snapshot


def _rows(ctx, kind="townships"):
    return {row.entry.name: row for row in getattr(ctx["ranking"]["latest"], kind)}


@pytest.fixture
def two_weeks(data):
    from tests.factories import TownshipFactory

    t1, t2 = data["townships"]
    t3 = TownshipFactory(name="新建镇")
    _week("2026-W46", [t1, t2], [data["department"]])
    _week("2026-W47", [t2, t3, t1], [data["department"]], escalation={"青石镇": 1})
    return t1, t2, t3


def test_command_sees_latest_ranking_with_change_since_last_week(client, users, two_weeks):
    response = _page(client, users["command"])
    rows = _rows(response.context)
    assert response.context["ranking"]["latest"].snapshot.week == "2026-W47"
    assert (rows["白云乡"].change, rows["青石镇"].change) == (1, -2)
    assert rows["新建镇"].new and rows["新建镇"].change is None
    dept = _rows(response.context, "departments")[users["department"].profile.department.name]
    assert dept.change == 0
    html = response.content.decode()
    table = html.split('data-testid="ranking-townships"')[1].split("</table>")[0]
    assert "↑1" in table and "↓2" in table and ">新<" in table
    assert "诫勉谈话" not in table and "表态发言" in table  # command sees the escalation flags
    assert reverse("inspections:ranking_week", args=["2026-W47"]) in html


def test_inspector_sees_the_ranking_without_escalation_flags(client, users, two_weeks):
    html = _page(client, users["inspector"]).content.decode()
    assert 'data-testid="ranking-townships"' in html and "表态发言" not in html


def test_without_last_week_no_change_is_claimed(client, users, data):
    t1, t2 = data["townships"]
    _week("2026-W40", [t1, t2])
    _week("2026-W42", [t2, t1])  # W41 was never computed
    response = _page(client, users["command"])
    rows = _rows(response.context)
    assert not response.context["ranking"]["latest"].has_previous
    assert all(row.change is None and not row.new for row in rows.values())
    assert "上一周没有排序记录" in response.content.decode()


def test_rank_over_weeks_of_the_chosen_unit(client, users, two_weeks):
    t1, t2, t3 = two_weeks
    _week("2026-W45", [t2, t1])
    client.force_login(users["command"])
    ctx = client.get(HOME, {"unit": f"township-{t1.pk}"}).context
    series = [(p.week, p.rank, p.of) for p in ctx["ranking"]["series"]]
    assert series == [("2026-W45", 2, 2), ("2026-W46", 1, 2), ("2026-W47", 3, 3)]
    assert ctx["chart_data"]["rank"] == {
        "weeks": ["2026-W45", "2026-W46", "2026-W47"],
        "ranks": [2, 1, 3],
        "most": 3,
    }
    html = client.get(HOME, {"unit": f"township-{t3.pk}"}).content.decode()
    assert f'value="township-{t3.pk}" selected' in html
    table = html.split('data-testid="rank-series"')[1].split("</table>")[0]
    assert "2026-W47" in table and "2026-W46" not in table
    assert "js/rank_chart.js" in html


def test_unknown_unit_falls_back_to_the_first_township(client, users, two_weeks):
    client.force_login(users["command"])
    for value in ("township-999999", "nonsense", "village-1"):
        ctx = client.get(HOME, {"unit": value}).context
        assert ctx["ranking"]["row"].entry.name == "白云乡"


def test_township_sees_its_own_rank_and_trend_only(client, users, two_weeks):
    t1, t2, _t3 = two_weeks
    client.force_login(users["township"])
    response = client.get(HOME, {"unit": f"township-{t2.pk}"})  # another township: ignored
    ctx, html = response.context, response.content.decode()
    panel = ctx["ranking"]
    assert panel["own"] and panel["row"].entry.name == "青石镇"
    assert panel["row"].change == -2 and panel["units_ranked"] == 3
    assert [(p.week, p.rank) for p in panel["series"]] == [("2026-W46", 1), ("2026-W47", 3)]
    assert 'data-testid="own-rank"' in html and "第 3 名" in html
    assert 'data-testid="ranking-townships"' not in html and "白云乡" not in html
    assert "表态发言" not in html  # escalation flags are for the command office


def test_department_sees_its_own_rank(client, users, two_weeks):
    ctx = _page(client, users["department"]).context
    panel = ctx["ranking"]
    assert panel["own"] and panel["row"].entry.department == users["department"].profile.department
    assert [p.rank for p in panel["series"]] == [1, 1]


def test_unit_not_ranked_yet_says_so(client, users, data):
    _week("2026-W46", [data["townships"][1]])
    html = _page(client, users["township"]).content.decode()
    assert "本单位不在最近一期排序中" in html


@pytest.mark.parametrize("role", ["village", "helper"])
def test_village_and_helper_see_no_ranking(client, users, two_weeks, role):
    response = _page(client, users[role])
    assert response.context["ranking"] is None
    assert 'data-testid="own-rank"' not in response.content.decode()


def test_no_ranking_yet(client, users, data):
    response = _page(client, users["command"])
    assert response.context["ranking"] == {"latest": None}
    assert "尚未生成每周排序" in response.content.decode()


# --- monitored households by category ----------------------------------------------------


def _monitored(household, category, state="risk_open"):
    return MonitoringCase.objects.create(
        household=household,
        state=state,
        channel="1",
        clue_date=datetime.date(2026, 10, 1),
        clue_text="因病支出大",
        category=category,
        created_by=_registrar(),
    )


def _registrar():
    from tests.factories import UserFactory

    return UserFactory(role="command")


def test_monitored_households_by_category_are_scoped(client, users, data):
    hh = data["households"]
    _monitored(hh["v11"], "M1")
    _monitored(hh["v12"], "M3", state="elimination_notice")
    _monitored(hh["v21"], "M2")
    _monitored(hh["v22"], "M1", state="clue")  # not identified yet: not monitored
    _monitored(hh["v22"], "M2", state="risk_eliminated")  # closed
    command = _page(client, users["command"])
    assert command.context["monitored"] == [("脱贫不稳定户", 1), ("边缘易致贫户", 1), ("突发严重困难户", 1)]
    assert command.context["monitored_total"] == 3
    township = _page(client, users["township"])
    assert township.context["monitored"] == [("脱贫不稳定户", 1), ("边缘易致贫户", 0), ("突发严重困难户", 1)]
    html = township.content.decode()
    assert 'data-testid="monitored-total">2<' in html and "监测户" in html
    assert dict(_page(client, users["village"]).context["monitored"])["脱贫不稳定户"] == 1
