"""Exit procedure: two cadres on the next-step form, a double click, the signature form."""

import pytest

from households.models import ExitStep
from households.services import exit as exit_service
from povertycase.core import concurrency
from tests import form_pages
from tests.form_pages import form_values, refused_naming_a

from .exit_helpers import eligible_household, procedure_at, step_kwargs

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure(users, county_layout):
    return procedure_at(eligible_household(county_layout["villages"]["v11"]), users, to=2)


def step_three(values, checkers):
    return {**values, "date": step_kwargs(3)["date"].isoformat(), "passed": "1", "checkers": checkers}


def test_a_step_from_a_page_loaded_before_someone_recorded_it_is_refused(users, procedure):
    a, b = form_pages.two_cadres(users, "village", "township")
    url = procedure.get_absolute_url()
    form_a, form_b = form_values(a, url, having="checkers"), form_values(b, url, having="checkers")

    assert a.post(url, step_three(form_a, "甲检查组")).status_code == 302
    response = b.post(url, step_three(form_b, "乙检查组"), follow=True)

    assert refused_naming_a(response)
    assert list(
        ExitStep.objects.filter(procedure=procedure).order_by("number").values_list("number", flat=True)
    ) == [
        1,
        2,
        3,
    ]
    assert procedure.steps.get(number=3).details == {"checkers": "甲检查组"}


def test_a_double_click_records_the_step_once(users, procedure):
    a, _b = form_pages.two_cadres(users, "village", "township")
    url = procedure.get_absolute_url()
    data = step_three(form_values(a, url, having="checkers"), "甲检查组")

    assert a.post(url, data).status_code == 302
    assert a.post(url, data).status_code == 302

    assert procedure.steps.count() == 3


def test_the_service_refuses_a_stale_procedure_version(users, procedure):
    version = exit_service.procedure_version(procedure)
    exit_service.exit_record_step(procedure=procedure, number=3, user=users["village"], **step_kwargs(3))
    with pytest.raises(concurrency.StaleVersion):
        exit_service.exit_record_signature(
            procedure=procedure, user=users["village"], signed=True, expected_version=version
        )
