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
