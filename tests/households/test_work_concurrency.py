"""Work records and posts: two cadres on one record, a double click on a create form."""

import pytest
from django.urls import reverse

from households.models import PublicPost, WorkRecord
from households.services import work as work_service
from povertycase.core import concurrency
from tests import form_pages
from tests.form_pages import form_values, refused_naming_a
from tests.households.test_work_views import (
    home,
    new_post,
    new_work,
    post_data,
    post_for,
    record_for,
    work_data,
)

pytestmark = pytest.mark.django_db
__all__ = ["home"]


@pytest.fixture
def two_cadres(users):
    return form_pages.two_cadres(users)


def test_second_save_of_a_work_record_is_refused(two_cadres, home):
    a, b = two_cadres
    record = record_for(home["head"])
    url = reverse("households:work_record_update", args=[record.pk])
    form_a, form_b = form_values(a, url), form_values(b, url)

    assert a.post(url, {**form_a, "company": "甲厂"}).status_code == 302
    response = b.post(url, {**form_b, "company": "乙厂", "industry": "乙业"})

    assert refused_naming_a(response, "单位")
    record.refresh_from_db()
    assert (record.company, record.industry) == ("甲厂", "食品加工")


def test_second_save_of_a_post_is_refused(two_cadres, home):
    a, b = two_cadres
    post = post_for(home["wife"])
    url = reverse("households:public_post_update", args=[post.pk])
    form_a, form_b = form_values(a, url), form_values(b, url)

    assert a.post(url, {**form_a, "monthly_pay": "700"}).status_code == 302
    response = b.post(url, {**form_b, "monthly_pay": "800"})

    assert refused_naming_a(response)
    post.refresh_from_db()
    assert post.monthly_pay == 700


def test_the_service_refuses_a_stale_version(users, home):
    record = record_for(home["head"])
    version = concurrency.record_version(record)
    record.company = "别的厂"
    record.save()
    with pytest.raises(concurrency.StaleVersion):
        work_service.work_record_save(
            household=home["household"],
            user=users["command"],
            data=work_data(home["head"]),
            record=record,
            expected_version=version,
        )


def test_double_submission_stores_one_work_record_and_one_post(two_cadres, home):
    a, _b = two_cadres
    household = home["household"]
    token = form_values(a, new_work(household))["submission"]
    data = {**work_data(home["head"]), "submission": token}
    assert a.post(new_work(household), data).status_code == 302
    assert a.post(new_work(household), data).status_code == 302
    assert WorkRecord.objects.filter(member=home["head"]).count() == 1

    token = form_values(a, new_post(household))["submission"]
    data = {**post_data(home["wife"]), "submission": token}
    assert a.post(new_post(household), data).status_code == 302
    assert a.post(new_post(household), data).status_code == 302
    assert PublicPost.objects.filter(member=home["wife"]).count() == 1
