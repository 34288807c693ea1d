"""A petition opens a ledger item pre-filled from it; the two pages link to each other."""

import pytest
from django.urls import reverse

from petitions import services
from petitions.ledger import petition_open_item
from povertycase.errors import DomainError
from rectification.models import Item

pytestmark = pytest.mark.django_db


def test_command_opens_a_prefilled_item_linked_both_ways(petition, users, county_layout, client):
    item = petition_open_item(user=users["command"], petition=petition)
    petition.refresh_from_db()
    assert petition.rectification_item == item
    assert item.number == f"ZG-{petition.number}" and item.source == "07"
    assert item.description == petition.content and item.category == petition.category
    assert item.deadline == petition.deadline
    assert item.responsible_township == county_layout["townships"][0]
    assert item.level == "household" and item.target_household == county_layout["households"]["v11"]
    assert petition.steps.last().action == "to_ledger"
    client.force_login(users["command"])
    assert item.number in client.get(petition.get_absolute_url()).content.decode()
    page = client.get(reverse("rectification:item_detail", args=[item.pk])).content.decode()
    assert 'data-testid="item-petitions"' in page and petition.number in page


def test_only_command_and_only_once(petition, users):
    with pytest.raises(DomainError):
        petition_open_item(user=users["township"], petition=petition)
    petition_open_item(user=users["command"], petition=petition)
    with pytest.raises(DomainError):
        petition_open_item(user=users["command"], petition=petition)
    assert Item.objects.count() == 1


def test_department_handled_petition_goes_to_the_department(petition, users, county_layout):
    services.petition_transfer(
        user=users["township"], petition=petition, department=county_layout["department"]
    )
    item = petition_open_item(user=users["command"], petition=petition)
    assert item.responsible_department == county_layout["department"] and item.responsible_township is None


def test_through_the_page(client, petition, users):
    client.force_login(users["command"])
    response = client.post(reverse("petitions:action", args=[petition.pk, "to_ledger"]))
    item = Item.objects.get()
    assert response.status_code == 302 and response.url == item.get_absolute_url()
