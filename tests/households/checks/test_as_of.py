"""Scans as of a chosen date: run_checks --as-of, the stored date, the page, the dry-run helper."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from households.checks.base import years_before
from households.checks.service import scan_preview
from households.models import Household, Violation

from .conftest import person


@pytest.fixture
def turned_sixteen(family):
    """A son who turned 16 ten days ago, recorded with labour: MB-005 only while he was 15."""
    today = timezone.localdate()
    son = person(
        family.household,
        relation="03",
        sex="1",
        birth=years_before(today, 16) - datetime.timedelta(days=10),
        name="罗大明",
        education="40",
        labour="2",
        work_status="0",
        pension_insurance=False,
    )
    Household.objects.filter(pk=family.household.pk).update(member_count=4)
    return son


def run(*args) -> dict:
    out = StringIO()
    call_command("run_checks", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def mb005(payload, son) -> bool:
    return any(v["rule"] == "MB-005" and v["id_number"] == son.id_number for v in payload["violations"])


def test_as_of_reckons_ages_at_that_date(turned_sixteen):
    today = timezone.localdate()
    month_ago = today - datetime.timedelta(days=30)
    earlier = run("--as-of", month_ago.isoformat())
    assert earlier["as_of"] == month_ago.isoformat()
    assert mb005(earlier, turned_sixteen)
    assert Violation.objects.get(rule_id="MB-005").as_of == month_ago
    now = run()
    assert now["as_of"] == today.isoformat()
    assert not mb005(now, turned_sixteen)


def test_a_violation_found_again_takes_the_later_date(turned_sixteen):
    first, second = datetime.date(2026, 1, 5), datetime.date(2026, 2, 5)
    born = turned_sixteen.birth_date
    if years_before(second, 16) >= born:  # keep him 15 at both dates, whatever today is
        first, second = born + datetime.timedelta(days=400), born + datetime.timedelta(days=800)
    run("--as-of", first.isoformat())
    run("--as-of", second.isoformat())
    assert Violation.objects.get(rule_id="MB-005").as_of == second


def test_plain_output_names_the_date(family):
    out = StringIO()
    call_command("run_checks", "--as-of", "2026-06-30", stdout=out)
    assert out.getvalue().startswith("As of 2026-06-30: 0 open violations")


def test_a_bad_date_is_refused(family):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_checks", "--as-of", "2026-13-01", stdout=StringIO())


def test_preview_for_the_import_dry_run_stores_nothing(turned_sixteen):
    month_ago = timezone.localdate() - datetime.timedelta(days=30)
    preview = scan_preview(households=[turned_sixteen.household], today=month_ago)
    assert preview["as_of"] == month_ago.isoformat()
    assert preview["rules"]["MB-005"] == {"severity": "E", "count": 1} and preview["errors"] >= 1
    assert not Violation.objects.exists()
    assert "MB-005" not in scan_preview(households=[turned_sixteen.household])["rules"]


def test_the_violations_page_says_which_date_its_figures_are_for(client, users, turned_sixteen):
    call_command("run_checks", "--as-of", "2026-06-30", stdout=StringIO())
    client.force_login(users["command"])
    page = client.get(reverse("households:violation_list")).content.decode()
    assert "数据截至 2026-06-30" in page
