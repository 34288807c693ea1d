"""Every transition of a petition, and each refusal leaves nothing saved."""

import datetime

import pytest
from django.utils import timezone

from petitions import services
from petitions.models import Petition, Revisit, State, Step
from povertycase.errors import DomainError

from .conftest import petition_data

pytestmark = pytest.mark.django_db


def test_register_sets_area_unit_deadline_and_step(petition, county_layout, users):
    t1, _ = county_layout["townships"]
    assert petition.state == State.REGISTERED
    assert petition.township == t1 and petition.handling_township == t1
    assert petition.deadline == petition.date + datetime.timedelta(days=15)
    assert petition.number.startswith(f"XF{petition.date.year}-")
    assert list(petition.households.all()) == [county_layout["households"]["v11"]]
    assert petition.steps.get().action == "register"
    assert petition.history.exists()


def test_deadline_follows_the_channel_parameter(users):
    hotline = services.petition_register(user=users["command"], data=petition_data(channel="03"))
    assert hotline.deadline - hotline.date == datetime.timedelta(days=7)
    assert hotline.handling_unit is None  # the command office handles it


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"channel": "99"}, "channel"),
        ({"complainant_name": ""}, "complainant_name"),
        ({"content": "  "}, "content"),
        ({"date": timezone.localdate() + datetime.timedelta(days=1)}, "date"),
    ],
)
def test_register_refusals_save_nothing(users, overrides, field):
    with pytest.raises(DomainError) as error:
        services.petition_register(user=users["township"], data=petition_data(**overrides))
    assert error.value.field == field
    assert not Petition.objects.exists() and not Step.objects.exists()


def test_anonymous_needs_no_name_and_keeps_none(users):
    p = services.petition_register(
        user=users["village"], data=petition_data(anonymous=True, complainant_name="")
    )
    assert p.anonymous and p.complainant_name == "" and p.complainant_phone == ""


def test_register_refuses_household_outside_scope_and_roles(users, county_layout):
    with pytest.raises(DomainError):
        services.petition_register(
            user=users["township"], data=petition_data(), households=[county_layout["households"]["v21"]]
        )
    for role in ("department", "helper", "inspector"):
        with pytest.raises(DomainError):
            services.petition_register(user=users[role], data=petition_data())
    assert not Petition.objects.exists()


def test_accept_transfer_reply_revisit_close(petition, users, county_layout):
    dept = county_layout["department"]
    services.petition_accept(user=users["township"], petition=petition)
    assert petition.state == State.HANDLING and petition.handling_person == users["township"]
    services.petition_transfer(user=users["township"], petition=petition, department=dept)
    assert petition.state == State.REGISTERED and petition.handling_department == dept
    assert petition.handling_township is None
    services.petition_reply(user=users["department"], petition=petition, reply="已纳入2024年危改计划。")
    assert petition.state == State.REPLIED and petition.replied_on == timezone.localdate()
    services.petition_revisit(
        user=users["township"],
        petition=petition,
        date=timezone.localdate(),
        result="群众认可",
        satisfaction="satisfied",
    )
    assert petition.state == State.REVISITED and petition.satisfaction == "satisfied"
    services.petition_close(user=users["township"], petition=petition)
    assert petition.state == State.CLOSED and petition.closed_on == timezone.localdate()
    actions = list(petition.steps.values_list("action", flat=True))
    assert actions == ["register", "accept", "transfer", "reply", "revisit", "close"]


def test_return_goes_back_to_the_transferring_unit(petition, users, county_layout):
    services.petition_transfer(
        user=users["township"], petition=petition, department=county_layout["department"]
    )
    with pytest.raises(DomainError) as error:
        services.petition_return(user=users["department"], petition=petition, reason=" ")
    assert error.value.field == "reason"
    services.petition_return(user=users["department"], petition=petition, reason="不属本部门职责")
    petition.refresh_from_db()
    assert petition.handling_township == county_layout["townships"][0]
    assert petition.handling_department is None and petition.state == State.REGISTERED


def test_return_refused_when_never_transferred(petition, users):
    with pytest.raises(DomainError):
        services.petition_return(user=users["township"], petition=petition, reason="x")
    assert petition.steps.count() == 1


def test_dissatisfied_reopens_or_escalates(petition, users):
    services.petition_reply(user=users["township"], petition=petition, reply="已答复")
    services.petition_revisit(
        user=users["command"],
        petition=petition,
        date=timezone.localdate(),
        result="仍漏雨",
        satisfaction="dissatisfied",
    )
    assert petition.state == State.HANDLING and petition.reopened_count == 1
    assert petition.handling_township is not None
    services.petition_reply(user=users["township"], petition=petition, reply="再次维修")
    services.petition_revisit(
        user=users["township"],
        petition=petition,
        date=timezone.localdate(),
        result="仍不满意",
        satisfaction="dissatisfied",
        escalate=True,
    )
    assert petition.escalated and petition.handling_unit is None and petition.state == State.HANDLING
    with pytest.raises(DomainError):  # no longer the township's to reply
        services.petition_reply(user=users["township"], petition=petition, reply="x")
    services.petition_reply(user=users["command"], petition=petition, reply="指挥部督办")
    assert petition.state == State.REPLIED


def test_refusals_of_wrong_user_or_state(petition, users, other_dept_user):
    with pytest.raises(DomainError):
        services.petition_reply(user=other_dept_user, petition=petition, reply="x")
    with pytest.raises(DomainError):
        services.petition_reply(user=users["township"], petition=petition, reply=" ")
    with pytest.raises(DomainError):
        services.petition_revisit(
            user=users["township"],
            petition=petition,
            date=timezone.localdate(),
            result="x",
            satisfaction="satisfied",
        )
    with pytest.raises(DomainError):
        services.petition_close(user=users["township"], petition=petition)
    with pytest.raises(DomainError):
        services.petition_transfer(user=users["township"], petition=petition)
    services.petition_reply(user=users["township"], petition=petition, reply="答复")
    with pytest.raises(DomainError):
        services.petition_revisit(
            user=users["township"], petition=petition, date=timezone.localdate(), result="x", satisfaction="?"
        )
    with pytest.raises(DomainError):
        services.petition_accept(user=users["township"], petition=petition)
    assert not Revisit.objects.exists()
    assert petition.steps.count() == 2
