"""A double click on a create form stores one record: visits and leaders' village trips."""

import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import VillageTrip, Visit
from tests.form_pages import form_values
from tests.households.test_leader_views import TRIPS, _trip, leaders

pytestmark = pytest.mark.django_db
__all__ = ["leaders"]


def test_a_double_submitted_visit_is_recorded_once(client, users, county_layout):
    household = county_layout["households"]["v11"]
    client.force_login(users["helper"])
    url = reverse("households:visit_create", args=[household.pk])
    data = {"date": timezone.localdate().isoformat(), "kind": "1", "done": "入户走访"}
    data["submission"] = form_values(client, url)["submission"]

    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302

    assert Visit.objects.filter(household=household).count() == 1


def test_a_double_submitted_trip_is_recorded_once_and_a_new_form_adds_another(client, leaders, county_layout):
    secretary, village = leaders["secretary"], county_layout["villages"]["v12"]
    client.force_login(secretary)
    data = {
        **_trip(secretary, village),
        "submission": form_values(client, TRIPS, having="purpose")["submission"],
    }

    assert client.post(TRIPS, data).status_code == 302
    assert client.post(TRIPS, data).status_code == 302
    assert VillageTrip.objects.count() == 1

    again = {
        **_trip(secretary, village, days_ago=1),
        "submission": form_values(client, TRIPS, having="purpose")["submission"],
    }
    assert client.post(TRIPS, again).status_code == 302
    assert VillageTrip.objects.count() == 2
