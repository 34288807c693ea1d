"""Monitoring: two cadres on one case's step forms, a double click on the clue form."""

import pytest
from django.urls import reverse

from households.models import MonitoringCase, MonitoringStep
from households.services import monitoring as svc
from povertycase.core import concurrency
from tests import form_pages
from tests.form_pages import form_values, refused_naming_a
from tests.households.monitoring_helpers import day, register

pytestmark = pytest.mark.django_db


def test_a_step_from_a_page_loaded_before_someone_moved_the_case_is_refused(users, county_layout):
    case = register(county_layout["households"]["v12"], users["township"], channel="1")
    a, b = form_pages.two_cadres(users)
    detail = case.get_absolute_url()
    form_a = form_values(a, detail, action="/start_verification/")
    form_b = form_values(b, detail, action="/start_verification/")
    url = reverse("households:monitoring_action", args=[case.pk, "start_verification"])
    date = day(1).isoformat()

    assert (
        a.post(url, {**form_a, "start_verification-date": date, "start_verification-note": "甲"}).status_code
        == 302
    )
    data = {**form_b, "start_verification-date": date, "start_verification-note": "乙"}
    response = b.post(url, data, follow=True)

    assert refused_naming_a(response, "状态")
    notes = set(MonitoringStep.objects.filter(case=case).values_list("note", flat=True))
    assert "甲" in notes and "乙" not in notes


def test_the_service_refuses_a_stale_case_version(users, county_layout):
    case = register(county_layout["households"]["v12"], users["township"], channel="1")
    version = concurrency.record_version(case)
    case.contact_name = "刘晓东"
    case.save()
    with pytest.raises(concurrency.StaleVersion):
        svc.case_start_verification(case=case, user=users["township"], date=day(1), expected_version=version)
    case.refresh_from_db()
    assert case.state == "clue"


def test_a_double_submitted_clue_registers_one_case(users, county_layout):
    household = county_layout["households"]["v11"]
    a, _b = form_pages.two_cadres(users)
    url = reverse("households:monitoring_clue_create", args=[household.pk])
    data = {"channel": "1", "clue_date": day(0).isoformat(), "reporter": "户主", "text": "申请纳入监测"}
    data["submission"] = form_values(a, url)["submission"]

    first, second = a.post(url, data), a.post(url, data)

    case = MonitoringCase.objects.get(household=household)
    assert first.status_code == second.status_code == 302 and second.url == case.get_absolute_url()
