"""Ranking pages: readers, escalation flags for the command office only, bulletin, xlsx, settings."""

import io

import openpyxl
import pytest
from django.urls import reverse

from inspections import ranking
from inspections.models import RankingEntry, RankingSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(county_layout):
    snap = ranking.compute_week("2026-W47").snapshot
    # Mark the last township as escalated so the flag has something to show.
    RankingEntry.objects.filter(snapshot=snap, kind="township", rank=2).update(bottom_streak=2, escalation=2)
    return snap


@pytest.mark.parametrize("role", ["command", "inspector", "township", "department"])
def test_readers_see_the_ranking_with_unit_names(client, users, snapshot, county_layout, role):
    client.force_login(users[role])
    response = client.get(reverse("inspections:ranking"))
    assert response.status_code == 200
    body = response.content.decode()
    for township in county_layout["townships"]:
        assert township.name in body
    assert ("诫勉谈话" in body) == (role == "command")


@pytest.mark.parametrize("role", ["village", "helper"])
def test_village_and_helper_users_are_refused(client, users, snapshot, role):
    client.force_login(users[role])
    assert client.get(reverse("inspections:ranking")).status_code == 403


def test_bulletin_names_units_and_exports_xlsx(client, users, snapshot, county_layout):
    client.force_login(users["township"])
    body = client.get(reverse("inspections:ranking_week", args=["2026-W47"])).content.decode()
    assert "个别" not in body
    for township in county_layout["townships"]:
        assert township.name in body
    response = client.get(reverse("inspections:ranking_export", args=["2026-W47"]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = {cell for row in sheet.iter_rows(values_only=True) for cell in row if cell}
    assert {t.name for t in county_layout["townships"]} <= values
    assert client.get(reverse("inspections:ranking_week", args=["2026-W01"])).status_code == 404


def test_week_picker_and_empty_state(client, users, county_layout):
    client.force_login(users["inspector"])
    assert client.get(reverse("inspections:ranking")).status_code == 200
    ranking.compute_week("2026-W46")
    ranking.compute_week("2026-W47")
    body = client.get(reverse("inspections:ranking") + "?week=2026-W46").content.decode()
    assert "2026-W46" in body and "2026-W47" in body


def test_only_the_command_office_edits_the_weights(client, users):
    client.force_login(users["inspector"])
    url = reverse("inspections:ranking_settings")
    assert client.get(url).status_code == 403
    client.force_login(users["command"])
    assert client.get(url).status_code == 200
    data = {
        "w_closing_rate": "40",
        "w_overdue": "10",
        "w_violations_per_100": "10",
        "w_visit_coverage": "20",
        "w_findings_per_100": "10",
        "w_spot_check": "10",
        "w_fund_disbursement": "10",
        "w_projects_on_schedule": "10",
        "top_n": "3",
        "bottom_n": "3",
        "escalation_places": "3",
    }
    assert client.post(url, data).status_code == 302
    assert RankingSettings.current().weights()["closing_rate"] == 40.0


def test_admin_shows_a_stored_week_read_only(admin_client, snapshot):
    url = reverse("admin:inspections_rankingsnapshot_change", args=[snapshot.pk])
    assert admin_client.get(url).status_code == 200
    assert admin_client.get(reverse("admin:inspections_rankingsnapshot_add")).status_code == 403
