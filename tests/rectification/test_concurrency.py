"""Ledger: two cadres on one item's edit form, a double click on a progress update."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from povertycase.core import concurrency
from rectification import services
from rectification.models import ProgressUpdate
from tests.factories import UserFactory
from tests.form_pages import form_values, named, refused_naming_a

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def two_managers(users):
    a, b = Client(), Client()
    a.force_login(named(users["command"], "李", "文斌"))
    b.force_login(named(UserFactory(username="command2", role="command"), "王", "芳"))
    return a, b


def test_second_save_of_a_ledger_item_is_refused(two_managers, item):
    a, b = two_managers
    url = reverse("rectification:item_update", args=[item.pk])
    form_a, form_b = form_values(a, url), form_values(b, url)
    assert form_a["version"]

    assert a.post(url, {**form_a, "deadline": "2027-03-31"}).status_code == 302
    response = b.post(url, {**form_b, "deadline": "2027-06-30"})

    assert refused_naming_a(response, "整改时限")
    item.refresh_from_db()
    assert item.deadline == datetime.date(2027, 3, 31)


def test_the_service_refuses_a_stale_item_version(users, item):
    version = concurrency.record_version(item)
    services.item_update(user=users["command"], item=item, data={"deadline": datetime.date(2027, 3, 31)})
    with pytest.raises(concurrency.StaleVersion):
        services.item_update(
            user=users["command"],
            item=item,
            data={"deadline": datetime.date(2027, 6, 30)},
            expected_version=version,
        )


def test_a_double_submitted_progress_update_is_stored_once(client, item, users):
    client.force_login(users["township"])
    detail = reverse("rectification:item_detail", args=[item.pk])
    values = form_values(client, detail, action="/progress/")
    assert values["submission"]
    url = reverse("rectification:item_action", args=[item.pk, "progress"])
    data = {**values, "date": TODAY, "percent": 30, "text": "已鉴定"}

    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302

    assert ProgressUpdate.objects.filter(item=item).count() == 1


def test_two_progress_forms_loaded_apart_store_two(client, item, users):
    client.force_login(users["township"])
    detail = reverse("rectification:item_detail", args=[item.pk])
    url = reverse("rectification:item_action", args=[item.pk, "progress"])
    for percent in (30, 60):
        values = form_values(client, detail, action="/progress/")
        client.post(url, {**values, "date": TODAY, "percent": percent, "text": "进展"})
    assert ProgressUpdate.objects.filter(item=item).count() == 2
