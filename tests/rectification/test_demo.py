"""seed_demo also builds the ledger: 39 categories, every state, due and overdue items, updates."""

import datetime

import pytest
from django.core.management import call_command

from rectification.alerts import run_deadline_alerts
from rectification.models import Evidence, Item, ProgressUpdate, Status

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 11, 23)


def test_seed_demo_builds_a_living_ledger(media, capsys):
    call_command("seed_demo", "--households", "80", "--seed", "3", "--as-of", AS_OF.isoformat())
    assert "Ledger: 360 rectification items in 39 categories" in capsys.readouterr().out
    items = Item.objects.all()
    assert items.values("category").distinct().count() == 39
    assert {s for s in items.values_list("status", flat=True)} == set(Status.values)
    monday = AS_OF - datetime.timedelta(days=AS_OF.weekday())
    assert items.due_between(AS_OF, monday + datetime.timedelta(days=6)).exists()
    assert items.overdue(AS_OF).filter(deadline__lt=AS_OF - datetime.timedelta(days=7)).exists()
    assert items.filter(kind="long_term", status="in_progress").exists()
    assert items.filter(responsible_department__isnull=False).exists()
    assert items.filter(responsible_person__username="township").exists()
    assert ProgressUpdate.objects.count() > 200 and Evidence.objects.count() > 50
    assert all(i.progress_percent == 100 for i in items.filter(status="closed"))
    result = run_deadline_alerts(today=AS_OF)
    assert result["due_soon"] and result["overdue"] and result["escalated"] and result["stale_long_term"]
    assert result["notifications_created"] > 0
    first = list(items.order_by("number").values_list("number", "status", "deadline")[:20])
    call_command("seed_demo", "--households", "80", "--seed", "3", "--as-of", AS_OF.isoformat(), "--reset")
    assert list(Item.objects.order_by("number").values_list("number", "status", "deadline")[:20]) == first
