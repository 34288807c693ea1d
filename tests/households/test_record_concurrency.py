"""Living conditions and village indicators: two cadres on one record's form."""

import pytest
from django.urls import reverse

from households.forms_conditions import LivingConditionsForm
from households.models import LivingConditions, VillageIndicators
from households.services import conditions as conditions_service
from households.services import villages as villages_service
from povertycase.core.concurrency import StaleVersion
from tests import form_pages
from tests.form_pages import form_values, refused_naming_a
from tests.households import test_conditions_views as conditions_tests
from tests.households import test_village_views as village_tests

pytestmark = pytest.mark.django_db
__all__ = ["household"]
household = conditions_tests.household


def test_second_save_of_the_living_conditions_is_refused(users, household):
    a, b = form_pages.two_cadres(users)
    url = reverse("households:household_conditions", args=[household.pk])
    form_a, form_b = form_values(a, url), form_values(b, url)

    assert a.post(url, {**form_a, **conditions_tests.VALID, "road_type": "3"}).status_code == 302
    response = b.post(url, {**form_b, **conditions_tests.VALID, "road_type": "1"})

    assert refused_naming_a(response, "新增了")
    assert LivingConditions.objects.get(household=household).road_type == "3"

    form_b = form_values(b, url)
    assert a.post(url, {**form_values(a, url), "road_type": "2"}).status_code == 302
    response = b.post(url, {**form_b, "road_type": "1"})
    assert refused_naming_a(response, "入户路类型")
    assert LivingConditions.objects.get(household=household).road_type == "2"


def test_the_conditions_service_refuses_a_stale_version(users, household):
    form = LivingConditionsForm(
        conditions_tests.VALID, instance=LivingConditions(household=household), user=users["command"]
    )
    assert form.is_valid(), form.errors
    data = form.data_for_save()
    version = conditions_service.conditions_version(household)
    conditions_service.household_conditions_save(household=household, user=users["township"], data=data)
    with pytest.raises(StaleVersion):
        conditions_service.household_conditions_save(
            household=household, user=users["command"], data=data, expected_version=version
        )


def test_second_save_of_the_village_indicators_is_refused(users, county_layout):
    village = county_layout["villages"]["v11"]
    a, b = form_pages.two_cadres(users, "township", "village")
    url = reverse("households:village_indicators", args=[village.pk])
    VillageIndicators.objects.create(village=village, total_households=100)
    form_a, form_b = form_values(a, url), form_values(b, url)

    assert a.post(url, {**form_a, **village_tests.VALID, "bus_service": "true"}).status_code == 302
    response = b.post(url, {**form_b, **village_tests.VALID, "bus_service": "false"})

    assert refused_naming_a(response, "通客运班车")
    assert VillageIndicators.objects.get(village=village).bus_service is True


def test_the_indicators_service_refuses_a_stale_version(users, county_layout):
    village = county_layout["villages"]["v11"]
    version = villages_service.indicators_version(village)
    villages_service.village_indicators_save(village=village, user=users["township"], data={})
    with pytest.raises(StaleVersion):
        villages_service.village_indicators_save(
            village=village, user=users["township"], data={}, expected_version=version
        )
