"""The daily alert job against a frozen clock: stages, recipients, digest, idempotence, command."""

import datetime
import json

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from povertycase.notifications.models import Notification
from rectification.alerts import run_deadline_alerts
from rectification.models import Item, UnitHead
from tests.factories import UserFactory
from tests.rectification.factories import ItemFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 8, 0), tick=False):
        yield TODAY


@pytest.fixture
def cast(county_layout, users):
    t1, _ = county_layout["townships"]
    person = users["township"]
    person.email = "cadre@example.cn"
    person.save()
    head = UserFactory(username="head1", role="township", township=t1, email="head@example.cn")
    UnitHead.objects.create(user=head, township=t1)
    return {"person": person, "head": head, "command": users["command"], "t1": t1}


def _item(cast, **kwargs):
    return ItemFactory(responsible_township=cast["t1"], responsible_person=cast["person"], **kwargs)


def test_stages_recipients_and_digest(frozen, cast, django_capture_on_commit_callbacks):
    _item(cast, number="DUE", deadline=TODAY + 2 * DAY)
    _item(cast, number="LATE", deadline=TODAY - 2 * DAY, status="in_progress")
    _item(cast, number="LATE9", deadline=TODAY - 9 * DAY)
    _item(cast, number="LONG", kind="long_term", deadline=None, last_progress_on=TODAY.replace(day=1) - DAY)
    _item(cast, number="LONGOK", kind="long_term", deadline=None, last_progress_on=TODAY.replace(day=2))
    _item(cast, number="FAR", deadline=TODAY + 10 * DAY)
    _item(cast, number="SUB", deadline=TODAY - 9 * DAY, status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        result = run_deadline_alerts(today=TODAY)
    assert result == {
        "due_soon": 1,
        "overdue": 1,
        "escalated": 1,
        "stale_long_term": 1,
        "notifications_created": 3,
    }
    person = Notification.objects.get(recipient=cast["person"])
    for number in ("DUE", "LATE", "LATE9", "LONG"):
        assert number in person.body
    assert "FAR" not in person.body and "LONGOK" not in person.body and "SUB" not in person.body
    head = Notification.objects.get(recipient=cast["head"])
    assert "LATE" in head.body and "LATE9" in head.body and "DUE" not in head.body
    command = Notification.objects.get(recipient=cast["command"])
    assert "LATE9" in command.body and "LATE\n" not in command.body + "\n" and "DUE" not in command.body
    assert sorted(m.to[0] for m in mail.outbox) == ["cadre@example.cn", "head@example.cn"]


def test_idempotent_same_day(frozen, cast, django_capture_on_commit_callbacks):
    _item(cast, deadline=TODAY - 9 * DAY)
    with django_capture_on_commit_callbacks(execute=True):
        first = run_deadline_alerts(today=TODAY)
        second = run_deadline_alerts(today=TODAY)
    assert first["notifications_created"] == 3 and second["notifications_created"] == 0
    assert second["escalated"] == 1
    assert Notification.objects.count() == 3 and len(mail.outbox) == 2


def test_last_notified_spaces_reminders(frozen, cast):
    item = _item(cast, deadline=TODAY - 2 * DAY)
    assert run_deadline_alerts(today=TODAY)["notifications_created"] == 2
    item.refresh_from_db()
    assert (item.last_notified, item.last_notified_stage) == (TODAY, "overdue")
    assert run_deadline_alerts(today=TODAY + DAY)["notifications_created"] == 0  # reminded yesterday
    assert run_deadline_alerts(today=TODAY + 3 * DAY)["notifications_created"] == 2
    # a new stage is news at once: escalation on day 8
    assert run_deadline_alerts(today=TODAY + 6 * DAY)["notifications_created"] == 3


def test_unit_without_head_falls_back_to_its_cadres(frozen, county_layout, users):
    _, t2 = county_layout["townships"]
    cadre = UserFactory(username="t2cadre", role="township", township=t2)
    ItemFactory(responsible_township=t2, deadline=TODAY - DAY)
    run_deadline_alerts(today=TODAY)
    assert Notification.objects.filter(recipient=cadre).count() == 1


def test_command_json_and_date(frozen, cast, capsys):
    _item(cast, deadline=datetime.date(2026, 12, 1))
    call_command("deadline_alerts", "--date", "2026-11-29", "--json")
    result = json.loads(capsys.readouterr().out)
    assert {k: v for k, v in result.items() if k != "exit_milestones"} == {
        "due_soon": 1,
        "overdue": 0,
        "escalated": 0,
        "stale_long_term": 0,
        "notifications_created": 1,
    }
    call_command("deadline_alerts", "--date", "2026-11-29", "--json")
    assert json.loads(capsys.readouterr().out)["notifications_created"] == 0


def test_beat_task_runs_the_job(frozen, cast):
    from django.conf import settings

    from rectification.tasks import deadline_alerts_task

    assert settings.CELERY_BEAT_SCHEDULE["rectification-deadline-alerts"]["task"] == deadline_alerts_task.name
    _item(cast, deadline=TODAY + DAY)
    assert deadline_alerts_task.apply().get()["due_soon"] == 1


def test_inbox_unread_count_and_mark_read(frozen, client, cast):
    _item(cast, deadline=TODAY - 9 * DAY)
    run_deadline_alerts(today=TODAY)
    client.force_login(cast["person"])
    page = client.get(reverse("rectification:item_list"))
    assert page.context["unread_notifications"] == 1
    assert 'data-testid="unread-count"' in page.content.decode()
    inbox = client.get(reverse("notifications:inbox"))
    notification = inbox.context["page_obj"][0]
    client.post(reverse("notifications:mark_read", args=[notification.pk]))
    assert client.get(reverse("notifications:inbox")).context["unread_notifications"] == 0
    other = Notification.objects.get(recipient=cast["command"])
    assert client.post(reverse("notifications:mark_read", args=[other.pk])).status_code == 404
    client.force_login(cast["command"])
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(read_at=None, recipient=cast["command"]).exists()


def test_overdue_badge_follows_clock(client, cast):
    item = _item(cast, deadline=TODAY, status="in_progress")
    url = reverse("rectification:item_detail", args=[item.pk])
    with time_machine.travel(datetime.datetime(2026, 11, 23, 12, 0), tick=False):
        client.force_login(cast["person"])
        assert 'data-testid="overdue"' not in client.get(url).content.decode()
    with time_machine.travel(datetime.datetime(2026, 11, 26, 12, 0), tick=False):
        client.force_login(cast["person"])
        assert 'data-testid="overdue"' in client.get(url).content.decode()
        assert Item.objects.overdue(datetime.date(2026, 11, 26)).count() == 1
