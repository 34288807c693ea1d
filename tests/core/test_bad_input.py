"""The bad inputs found by trying the deployed app: each gave a 500 (or a 404) before."""

import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import Violation
from tests.factories import HouseholdFactory

# The six exports, each with its filters; PostgreSQL refuses a NUL byte in any text parameter.
EXPORTS = (
    "households:household_export",
    "households:violation_export",
    "households:monitoring_export",
    "households:exit_export",
    "households:leader_export",
    "rectification:item_export",
)


@pytest.mark.parametrize("name", EXPORTS)
@pytest.mark.parametrize("param", ["q", "township", "village", "status", "year"])
def test_a_nul_byte_in_an_export_filter_is_a_400(client, users, name, param):
    client.force_login(users["command"])
    response = client.get(reverse(name), {param: "\x00"})
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/inspections/ranking/?week=%00", "/households/?q=a%00", "/households/%01/"])
def test_a_nul_byte_anywhere_in_the_address_is_a_400(client, users, url):
    client.force_login(users["command"])
    assert client.get(url).status_code == 400


def test_tabs_pasted_into_a_search_are_not_refused(client, users):
    client.force_login(users["command"])
    assert client.get("/households/", {"q": "罗建国\t"}).status_code == 200


@pytest.mark.parametrize("year", ["-1", "0", "99999", "²", "abc"])
def test_milestones_of_an_impossible_year_show_this_year_with_a_message(client, users, year):
    client.force_login(users["command"])
    response = client.get(reverse("households:exit_milestones"), {"year": year})
    assert response.status_code == 200
    assert response.context["year"] == timezone.localdate().year
    assert "不是2014至2100年之间的年份" in response.content.decode()


@pytest.mark.parametrize(("page", "shown"), [("99999", "last"), ("-1", "last"), ("0", "last"), ("abc", 1)])
def test_a_page_number_out_of_range_shows_the_last_page(client, users, county_layout, page, shown):
    HouseholdFactory.create_batch(26, village=county_layout["villages"]["v11"])
    client.force_login(users["command"])
    response = client.get(reverse("households:household_list"), {"page": page, "per_page": "25"})
    assert response.status_code == 200
    page_obj = response.context["page_obj"]
    assert page_obj.paginator.num_pages == 2
    assert page_obj.number == (2 if shown == "last" else 1)


@pytest.mark.parametrize(
    "name", ["households:village_list", "rectification:item_list", "households:import_list"]
)
def test_every_list_view_pages_past_the_end(client, users, name):
    client.force_login(users["command"])
    response = client.get(reverse(name), {"page": "99999"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("given", "kept"),
    [("/households/checks/?severity=E", True), ("violation_list", False), ("https://evil.example/", False)],
)
def test_acknowledging_goes_back_only_to_a_page_of_this_site(client, users, county_layout, given, kept):
    now = timezone.now()
    violation = Violation.objects.create(
        rule_id="HH-003",
        household=county_layout["households"]["v11"],
        severity="E",
        message="家庭人口数不符",
        first_seen=now,
        last_seen=now,
    )
    client.force_login(users["command"])
    url = reverse("households:violation_acknowledge", args=[violation.pk])
    assert client.get(url, {"next": given}).status_code == 200
    response = client.post(url, {"reason": "人口数待核实", "next": given})
    assert response.status_code == 302
    assert response.url == (given if kept else reverse("households:violation_list"))
