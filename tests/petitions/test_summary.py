"""`manage.py petitions_summary`: counts by channel, category, state, overdue, satisfaction."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from petitions import services

from .conftest import petition_data

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("petitions_summary", *args, stdout=out)
    return out.getvalue()


def test_json_counts_and_period(users):
    today = timezone.localdate()
    old = services.petition_register(
        user=users["command"], data=petition_data(date=today - datetime.timedelta(days=40), channel="03")
    )
    services.petition_reply(user=users["command"], petition=old, reply="已答复")
    services.petition_revisit(
        user=users["command"], petition=old, date=today, result="好", satisfaction="mostly"
    )
    services.petition_register(
        user=users["command"], data=petition_data(date=today - datetime.timedelta(days=20))
    )
    data = json.loads(run("--json"))
    assert data["total"] == 2 and data["overdue"] == 1
    assert data["by_channel"] == {"12317 热线": 1, "来访": 1}
    assert data["by_category"] == {"0701 疑似危房": 2}
    assert data["by_state"] == {"已回访": 1, "登记": 1}
    assert data["by_satisfaction"] == {"基本满意": 1}
    recent = json.loads(run("--json", "--from", (today - datetime.timedelta(days=30)).isoformat()))
    assert recent["total"] == 1 and recent["by_satisfaction"] == {}


def test_text_output_and_bad_dates(users):
    services.petition_register(user=users["command"], data=petition_data())
    assert "共 1 件" in run("--to", timezone.localdate().isoformat())
    with pytest.raises(CommandError):
        run("--from", "2026-13-01")
    with pytest.raises(CommandError):
        run("--from", "2026-02-01", "--to", "2026-01-01")
