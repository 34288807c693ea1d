"""Saving a household: errors the save introduces refuse it, warnings are shown after saving."""

import datetime

import pytest
from django.urls import reverse

from households.models import Household
from tests.households.test_register_views import NUMBER, form_data, person


@pytest.fixture
def cadre(client, users):
    client.force_login(users["township"])
    return client


@pytest.fixture
def village(county_layout):
    return county_layout["villages"]["v11"]


def test_error_introduced_by_the_save_refuses_it(cadre, village):
    members = [person("罗建国", "01"), person("罗小红", "03", sex="2", birth=datetime.date(2000, 1, 1))]
    response = cadre.post(reverse("households:household_create"), form_data(village, members))
    assert response.status_code == 200
    page = response.content.decode()
    assert "逻辑校验发现错误" in page and "MB-002" in page
    assert not Household.objects.filter(number=NUMBER).exists()


def test_warning_does_not_refuse_the_save_and_is_shown(cadre, village):
    old = datetime.date(1950, 1, 1)
    members = [person("罗建国", "01", birth=old, labour="2", ethnicity="01", health="1")]
    response = cadre.post(reverse("households:household_create"), form_data(village, members), follow=True)
    assert Household.objects.filter(number=NUMBER).exists()
    page = response.content.decode()
    assert "MB-006" in page and "60岁及以上登记为普通/技能劳动力" in page


def test_missing_data_does_not_refuse_the_save(cadre, village):
    members = [person("罗建国", "01", ethnicity="01"), person("王秀英", "02", sex="2")]
    cadre.post(reverse("households:household_create"), form_data(village, members))
    assert Household.objects.filter(number=NUMBER).exists()


def test_a_village_rule_never_refuses_a_households_save(village):
    from households.checks.runner import find_hits
    from households.checks.service import error_keys
    from households.models import VillageIndicators
    from tests.factories import HouseholdFactory, MemberFactory

    village.exit_year = 2019
    village.save()
    VillageIndicators.objects.create(village=village, total_population=10)
    household = HouseholdFactory(village=village, number="0000000000000001", household_type="1")
    MemberFactory(household=household)
    tripped = {key[0] for key in find_hits(households=[household]).hits}
    assert "VL-004" in tripped  # the village's incidence is 1 in 10
    assert not any(rule_id.startswith("VL-") for rule_id, _member in error_keys(household))
