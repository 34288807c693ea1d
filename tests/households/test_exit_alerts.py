"""Exit milestone alerts: 7 and 3 days ahead and overdue, to the units behind, once a day."""

import datetime

import pytest
from django.utils import timezone

from households.exit_alerts import run_exit_milestone_alerts, stage_of
from households.models import ExitMilestone
from povertycase.notifications.models import Notification
from tests.factories import UserFactory

from .exit_helpers import eligible_household, procedure_at

DAY = datetime.timedelta(days=1)


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def behind(users, county_layout):
    """In village v11 one procedure at step 1 (behind the village milestone), one at step 3."""
    v11 = county_layout["villages"]["v11"]
    late = procedure_at(eligible_household(v11), users, to=1)
    procedure_at(eligible_household(v11), users, to=3)
    return late


def village_milestone(today, due):
    return ExitMilestone.objects.create(year=today.year, level="village", last_step=3, due_date=due)


def inbox(user):
    return list(Notification.objects.filter(recipient=user, kind="exit_milestone"))


@pytest.mark.parametrize(
    ("days", "stage"), [(8, None), (7, "due_7"), (4, "due_7"), (3, "due_3"), (0, "due_3"), (-1, "overdue")]
)
def test_stage_windows(today, days, stage):
    milestone = ExitMilestone(year=today.year, level="village", last_step=3, due_date=today + days * DAY)
    assert stage_of(milestone, today) == stage


def test_due_in_seven_days_tells_village_and_township_not_command(users, behind, today):
    milestone = village_milestone(today, today + 7 * DAY)
    result = run_exit_milestone_alerts(today)
    assert result["due_7"] == 1 and result["households_behind"] == 1
    for role in ("village", "township"):
        (note,) = inbox(users[role])
        assert "7天" in note.title and "青石村" in note.body and "1户" in note.body
    assert inbox(users["command"]) == []
    milestone.refresh_from_db()
    assert milestone.last_notified == today


def test_overdue_also_tells_the_command_office(users, behind, today):
    village_milestone(today, today - 2 * DAY)
    result = run_exit_milestone_alerts(today)
    assert result["overdue"] == 1
    (note,) = inbox(users["command"])
    assert "逾期" in note.title and "overdue=on" in note.url


def test_units_without_lagging_households_hear_nothing(users, behind, county_layout, today):
    other_village = UserFactory(role="village", village=county_layout["villages"]["v21"])
    other_township = UserFactory(role="township", township=county_layout["townships"][1])
    village_milestone(today, today + 3 * DAY)
    run_exit_milestone_alerts(today)
    assert inbox(other_village) == [] and inbox(other_township) == []
    assert len(inbox(users["village"])) == 1


def test_nothing_when_everyone_reached_the_step(users, county_layout, today):
    procedure_at(eligible_household(county_layout["villages"]["v11"]), users, to=3)
    village_milestone(today, today + 3 * DAY)
    assert run_exit_milestone_alerts(today)["notifications_created"] == 0


def test_far_milestones_are_quiet(users, behind, today):
    village_milestone(today, today + 20 * DAY)
    assert run_exit_milestone_alerts(today)["notifications_created"] == 0


def test_stopped_procedures_are_not_behind(users, county_layout, today):
    from households.services.exit import exit_record_step

    procedure = procedure_at(eligible_household(county_layout["villages"]["v11"]), users, to=1)
    exit_record_step(procedure=procedure, number=2, user=users["village"], date=today, passed=False)
    village_milestone(today, today + 3 * DAY)
    assert run_exit_milestone_alerts(today)["notifications_created"] == 0


def test_second_run_the_same_day_creates_nothing_next_day_again(users, behind, today):
    village_milestone(today, today + 3 * DAY)
    first = run_exit_milestone_alerts(today)["notifications_created"]
    assert first == 2  # village and township cadre
    assert run_exit_milestone_alerts(today)["notifications_created"] == 0
    assert run_exit_milestone_alerts(today + DAY)["notifications_created"] == 2


def test_the_daily_rectification_task_runs_the_exit_alerts(users, behind, today):
    from rectification.tasks import deadline_alerts_task

    village_milestone(today, today + 3 * DAY)
    result = deadline_alerts_task.apply(args=[today.isoformat()]).get()
    assert result["exit_milestones"]["due_3"] == 1
    assert len(inbox(users["village"])) == 1


def test_the_daily_command_and_task_include_the_milestones(users, behind, today, capsys):
    import json

    from django.core.management import call_command

    from rectification.tasks import deadline_alerts_task

    village_milestone(today, today - DAY)
    call_command("deadline_alerts", "--date", today.isoformat(), "--json")
    milestones = json.loads(capsys.readouterr().out)["exit_milestones"]
    assert milestones["overdue"] == 1 and milestones["notifications_created"] >= 1
    call_command("deadline_alerts", "--date", today.isoformat())
    assert "退出程序时间节点" in capsys.readouterr().out
    assert deadline_alerts_task(today.isoformat())["exit_milestones"]["overdue"] == 1
