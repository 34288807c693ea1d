"""A double click on the finding or inspection form stores one record."""

import pytest
from django.urls import reverse

from inspections import services
from inspections.models import Finding, Inspection
from tests.form_pages import form_values
from tests.inspections.test_views import _finding_post

pytestmark = pytest.mark.django_db


def test_a_double_submitted_finding_is_recorded_once(client, users, inspection, county_layout):
    client.force_login(users["inspector"])
    url = reverse("inspections:inspection_detail", args=[inspection.pk])
    data = {**_finding_post(county_layout), "submission": form_values(client, url)["submission"]}

    first, second = client.post(url, data), client.post(url, data)

    finding = Finding.objects.get()
    assert first.url == second.url == finding.get_absolute_url()


def test_a_double_submitted_inspection_is_created_once(client, users, inspection):
    client.force_login(users["inspector"])
    url = reverse("inspections:inspection_create")
    data = {k: v for k, v in form_values(client, url).items() if v != ""}
    data.update(title="第二轮暗访", kind="unannounced", start_date="2026-11-09", end_date="2026-11-13")
    data["townships"] = [t.pk for t in inspection.townships.all()]

    first, second = client.post(url, data), client.post(url, data)

    assert first.status_code == 302, first.content.decode()[-3000:]
    assert second.status_code == 302 and Inspection.objects.filter(title="第二轮暗访").count() == 1


def test_a_double_click_on_make_finding_records_one(client, users, county_layout, inspection):
    sample = services.sample_draw(user=users["inspector"], title="已关联", seed=1, inspection=inspection)
    entry = sample.entries.select_related("household").first()
    services.sample_result_record(
        user=users["inspector"],
        entry=entry,
        identification_accurate=True,
        exit_accurate=None,
        satisfied=True,
        knows_policies=True,
        problems="饮水间歇供水",
    )
    client.force_login(users["inspector"])
    url = reverse("inspections:finding_from_entry", args=[sample.pk, entry.pk])
    data = form_values(client, sample.get_absolute_url(), action=url)

    first, second = client.post(url, data), client.post(url, data)

    finding = Finding.objects.get()
    assert first.url == second.url == finding.get_absolute_url()
