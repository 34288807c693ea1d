"""大回访: the command office gathers past petitions, assigns them, revisits are recorded."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from petitions import campaigns, services
from petitions.models import State
from povertycase.errors import DomainError
from povertycase.excel import read_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def replied(petition, users):
    services.petition_reply(user=users["township"], petition=petition, reply="已答复")
    return petition


def start(users, **kwargs):
    today = timezone.localdate()
    return campaigns.campaign_create(
        user=users["command"],
        name="2026年大回访",
        period_from=kwargs.pop("period_from", today - datetime.timedelta(days=30)),
        period_to=kwargs.pop("period_to", today),
        **kwargs,
    )


def test_selects_replied_petitions_by_period_category_township(replied, users, county_layout):
    campaign = start(users, township=county_layout["townships"][0], category=replied.category.parent)
    assert list(campaign.petitions.all()) == [replied]
    with pytest.raises(DomainError):
        start(users, township=county_layout["townships"][1])
    with pytest.raises(DomainError):
        start(users, period_to=timezone.localdate() - datetime.timedelta(days=10))


def test_open_petitions_are_not_selected_and_only_command_starts(petition, users):
    with pytest.raises(DomainError):
        start(users)
    with pytest.raises(DomainError):
        campaigns.campaign_create(
            user=users["township"],
            name="x",
            period_from=petition.date,
            period_to=petition.date,
        )


def test_assign_revisit_progress_and_export(replied, users, client):
    campaign = start(users)
    entry = campaign.entries.get()
    assert entry.assignee == users["township"]  # the handling person by default
    campaigns.campaign_assign(
        user=users["command"], campaign=campaign, entry_ids=[entry.pk], assignee=users["village"]
    )
    with pytest.raises(DomainError):
        campaigns.campaign_revisit(
            user=users["township"],
            entry=entry,
            date=timezone.localdate(),
            result="x",
            satisfaction="satisfied",
        )
    campaigns.campaign_revisit(
        user=users["village"],
        entry=entry,
        date=timezone.localdate(),
        result="群众满意",
        satisfaction="satisfied",
    )
    replied.refresh_from_db()
    assert replied.state == State.REVISITED
    assert campaigns.progress(campaign) | {} == {
        "total": 1,
        "done": 1,
        "percent": 100,
        "satisfied": 1,
        "mostly": 0,
        "dissatisfied": 0,
    }
    client.force_login(users["village"])
    assert client.get(reverse("petitions:campaign_detail", args=[campaign.pk])).status_code == 200
    rows = repr(
        list(read_sheet(client.get(reverse("petitions:campaign_export", args=[campaign.pk])).content).rows)
    )
    assert replied.number in rows and "群众满意" in rows and "罗**" in rows


def test_dissatisfied_in_a_campaign_reopens_a_closed_petition(replied, users):
    services.petition_revisit(
        user=users["township"],
        petition=replied,
        date=timezone.localdate(),
        result="好",
        satisfaction="satisfied",
    )
    services.petition_close(user=users["township"], petition=replied)
    campaign = start(users)
    campaigns.campaign_revisit(
        user=users["command"],
        entry=campaign.entries.get(),
        date=timezone.localdate(),
        result="问题复发",
        satisfaction="dissatisfied",
    )
    replied.refresh_from_db()
    assert replied.state == State.HANDLING and replied.reopened_count == 1


def test_pages_scope(replied, users, client, other_dept_user):
    campaign = start(users)
    client.force_login(other_dept_user)
    assert client.get(reverse("petitions:campaign_detail", args=[campaign.pk])).status_code == 404
    client.force_login(users["command"])
    assert campaign.name in client.get(reverse("petitions:campaign_list")).content.decode()
    response = client.post(
        reverse("petitions:campaign_list"),
        {"name": "第二轮", "period_from": "2020-01-01", "period_to": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
