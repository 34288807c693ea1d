"""Plan measures and income: two cadres on one record, a double click on a create form."""

import pytest

from households.models import AssistanceMeasure, IncomeRecord
from households.services import plan as plan_service
from povertycase.core import concurrency
from tests import form_pages
from tests.factories import IncomeRecordFactory
from tests.form_pages import form_values, refused_naming_a
from tests.households.test_plan_views import _income_data, _measure_data, _url, home

pytestmark = pytest.mark.django_db
__all__ = ["home"]


def test_second_save_of_a_measure_is_refused(users, home):
    a, b = form_pages.two_cadres(users, "township", "village")
    url = _url("measure_update", home["household"], home["measure"].pk)
    form_a, form_b = form_values(a, url), form_values(b, url)

    data = _measure_data(home, category="A01", item="12", member="")
    assert a.post(url, {**data, "version": form_a["version"], "amount": "800"}).status_code == 302
    response = b.post(url, {**data, "version": form_b["version"], "amount": "900"})

    assert refused_naming_a(response, "金额")
    home["measure"].refresh_from_db()
    assert home["measure"].amount == 800


def test_second_save_of_an_income_record_is_refused(users, home):
    record = IncomeRecordFactory(household=home["household"], year=2023, member_count_used=2)
    a, b = form_pages.two_cadres(users, "township", "village")
    url = _url("income_update", home["household"], record.pk)
    form_a, form_b = form_values(a, url), form_values(b, url)

    data = _income_data(year="2023", member_count_used="2")
    assert a.post(url, {**data, "version": form_a["version"], "wage_income": "20000"}).status_code == 302
    response = b.post(url, {**data, "version": form_b["version"], "wage_income": "30000"})

    assert refused_naming_a(response, "工资性收入")
    record.refresh_from_db()
    assert record.wage_income == 20000


def test_the_service_refuses_a_stale_measure_version(users, home):
    measure = home["measure"]
    version = concurrency.record_version(measure)
    measure.amount = 5
    measure.save()
    with pytest.raises(concurrency.StaleVersion):
        plan_service.measure_save(
            household=home["household"],
            user=users["township"],
            data={},
            measure=measure,
            expected_version=version,
        )


def test_double_submission_stores_one_measure_and_one_income_record(users, home):
    a, _b = form_pages.two_cadres(users, "township", "village")
    household = home["household"]
    url = _url("measure_create", household)
    data = {**_measure_data(home), "submission": form_values(a, url)["submission"]}
    assert a.post(url, data).status_code == 302
    assert a.post(url, data).status_code == 302
    assert AssistanceMeasure.objects.filter(household=household, item="13").count() == 1

    url = _url("income_create", household)
    data = {**_income_data(), "submission": form_values(a, url)["submission"]}
    assert a.post(url, data).status_code == 302
    assert a.post(url, data).status_code == 302
    assert IncomeRecord.objects.filter(household=household, year=2024).count() == 1
