"""No silent overwrite on the household page: two cadres on one record, a double click, a stale caller."""

import pytest
from django.urls import reverse

from households.models import Household, Member
from households.services import register as register_service
from povertycase.core.concurrency import StaleVersion
from povertycase.core.models import SubmissionToken
from tests import form_pages
from tests.factories import HouseholdFactory, MemberFactory
from tests.form_pages import form_values
from tests.households.test_register_views import form_data, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cadres(users):
    return form_pages.two_cadres(users)


@pytest.fixture
def household(county_layout):
    household = HouseholdFactory(village=county_layout["villages"]["v11"], phone="13800000000")
    MemberFactory(household=household, relation="01", name="罗建国")
    return household


def test_second_save_of_the_household_is_refused_and_names_who_changed_what(two_cadres, household):
    a, b = two_cadres
    url = reverse("households:household_update", args=[household.pk])
    form_a, form_b = form_values(a, url), form_values(b, url)
    assert form_a["version"] and form_a["version"] == form_b["version"]

    assert a.post(url, {**form_a, "phone": "13911111111"}).status_code == 302
    response = b.post(url, {**form_b, "phone": "13722222222", "members-0-name": "罗建军"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "李文斌" in html and "联系电话" in html and "未保存" in html
    household.refresh_from_db()
    assert household.phone == "13911111111"
    assert Member.objects.get(household=household).name == "罗建国"


def test_a_member_added_by_someone_else_makes_the_form_stale(two_cadres, household):
    a, b = two_cadres
    url = reverse("households:household_update", args=[household.pk])
    form_b = form_values(b, url)
    MemberFactory(household=household, relation="02", name="王秀英")
    new_member = Member.history.filter(name="王秀英").get().history_id
    assert new_member

    response = b.post(url, {**form_b, "phone": "13722222222"})

    assert response.status_code == 200 and "未保存" in response.content.decode()
    household.refresh_from_db()
    assert household.phone == "13800000000"


def test_resaving_after_reloading_works(two_cadres, household):
    a, b = two_cadres
    url = reverse("households:household_update", args=[household.pk])
    assert a.post(url, {**form_values(a, url), "phone": "13911111111"}).status_code == 302
    assert b.post(url, {**form_values(b, url), "phone": "13722222222"}).status_code == 302
    household.refresh_from_db()
    assert household.phone == "13722222222"


def test_calling_the_service_with_a_stale_version_is_refused(users, household):
    version = register_service.household_version(household)
    household.phone = "13911111111"
    household.save()
    with pytest.raises(StaleVersion):
        register_service.household_update(
            household=household, user=users["command"], data={}, members=[], expected_version=version
        )
    assert register_service.household_version(household) != version


def test_double_submission_of_the_new_household_form_stores_one(two_cadres, county_layout):
    a, _b = two_cadres
    url = reverse("households:household_create")
    values = form_values(a, url)
    assert values["submission"]
    values = {
        **form_data(county_layout["villages"]["v11"], [person("罗建国", "01")]),
        "submission": values["submission"],
    }
    first = a.post(url, values)
    second = a.post(url, values)
    assert first.status_code == 302, first.content.decode()[:3000]
    assert second.status_code == 302 and second.url == first.url
    assert Household.objects.filter(number="411529101200077001").count() == 1
    assert SubmissionToken.objects.count() == 1


def test_base_page_loads_the_submit_once_script(two_cadres):
    a, _b = two_cadres
    html = a.get(reverse("households:household_list")).content.decode()
    assert "js/submit_once.js" in html and "defer" in html


def test_a_users_old_tokens_are_dropped_when_the_next_form_is_stored(two_cadres, users, household):
    import datetime

    from django.utils import timezone

    old = SubmissionToken.objects.create(token="old", user=users["township"])
    SubmissionToken.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    a, _b = two_cadres
    url = reverse("households:household_update", args=[household.pk])
    assert a.post(url, {**form_values(a, url), "phone": "13911111111"}).status_code == 302
    assert list(SubmissionToken.objects.values_list("user", flat=True)) == [users["township"].pk]
    assert not SubmissionToken.objects.filter(token="old").exists()
