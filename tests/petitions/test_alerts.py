"""Daily petition alerts against a frozen clock: due soon, overdue, escalated; idempotent."""

import datetime

import pytest
import time_machine
from django.conf import settings

from petitions.alerts import run_petition_alerts
from petitions.models import Petition
from petitions.tasks import petition_alerts_task
from povertycase.notifications.models import Notification

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)


def due_in(petition, days):
    Petition.objects.filter(pk=petition.pk).update(deadline=TODAY + datetime.timedelta(days=days))


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 8, 0), tick=False):
        yield


def test_due_within_three_days_goes_to_the_handling_unit(frozen, petition, users):
    due_in(petition, 3)
    result = run_petition_alerts(today=TODAY)
    assert result["due_soon"] == 1 and result["notifications_created"] == 1
    note = Notification.objects.get()
    assert note.recipient == users["township"] and petition.number in note.body and "即将到期" in note.body


def test_four_days_ahead_and_replied_are_quiet(frozen, petition, users):
    due_in(petition, 4)
    assert run_petition_alerts(today=TODAY)["notifications_created"] == 0
    due_in(petition, -3)
    Petition.objects.filter(pk=petition.pk).update(state="replied")
    assert run_petition_alerts(today=TODAY)["notifications_created"] == 0


def test_overdue_seven_days_stays_with_the_unit(frozen, petition, users):
    due_in(petition, -7)
    result = run_petition_alerts(today=TODAY)
    assert result["overdue"] == 1
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"township1"}


def test_overdue_more_than_seven_days_also_to_the_command_office(frozen, petition, users):
    due_in(petition, -8)
    result = run_petition_alerts(today=TODAY)
    assert result["escalated"] == 1
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "township1",
        "command1",
    }


def test_second_run_creates_nothing(frozen, petition, users):
    due_in(petition, -8)
    assert run_petition_alerts(today=TODAY)["notifications_created"] == 2
    assert petition_alerts_task()["notifications_created"] == 0
    assert Notification.objects.count() == 2


def test_the_task_is_scheduled_by_its_explicit_name():
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert (
        petition_alerts_task.name == "petitions.tasks.petition_alerts_task"
        and petition_alerts_task.name in names
    )
