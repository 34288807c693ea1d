import datetime
from decimal import Decimal

import pytest
import time_machine

from funds import services
from funds.tasks import daily_alerts_task
from povertycase.core.models import Parameter
from povertycase.notifications.models import Notification
from tests.funds.conftest import YEAR, make_project, pdf

pytestmark = pytest.mark.django_db
D = datetime.date


def run(day: datetime.date) -> dict:
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 7, 10), tick=False):
        return daily_alerts_task()


@pytest.fixture
def behind(started):
    """The department's road project: planned completion 30 September, still in progress."""
    return started


def test_behind_schedule_once(behind, users):
    assert run(D(YEAR, 9, 30))["behind"] == 0
    assert run(D(YEAR, 10, 1))["behind"] == 1
    note = Notification.objects.get(kind="funds_behind")
    assert note.recipient == users["department"] and behind.number in note.title
    assert run(D(YEAR, 10, 1))["behind"] == 0
    assert run(D(YEAR, 10, 2))["behind"] == 0
    assert Notification.objects.filter(kind="funds_behind").count() == 1


def test_payment_due_for_accepted_project(started, users, finance, media):
    services.completion_report(
        user=users["department"], project=started, percent=100, reported_on=D(YEAR, 6, 1), evidence=pdf()
    )
    p = services.project_transition(
        user=users["department"], project=started, action="complete", on=D(YEAR, 6, 2)
    )
    services.project_transition(user=finance, project=p, action="accept", on=D(YEAR, 6, 10))
    assert run(D(YEAR, 6, 11))["payment_due"] == 2  # the department and the finance bureau
    assert run(D(YEAR, 6, 11))["payment_due"] == 0
    assert {n.recipient for n in Notification.objects.filter(kind="funds_payment_due")} == {
        users["department"],
        finance,
    }


@pytest.fixture
def household_project(users, county_layout, allocation):
    command = users["command"]
    p = make_project(
        command,
        township=county_layout["townships"][0],
        villages=[county_layout["villages"]["v11"]],
        project_type="31",
        number="H-1",
    )
    services.budget_line_set(user=command, project=p, allocation=allocation, amount=Decimal("5000"))
    return services.project_transition(
        user=command, project=p, action="approve", on=D(YEAR, 3, 1), document="x"
    )


@pytest.mark.parametrize("day,expected", [(15, 2), (20, 2), (24, 2), (14, 0), (23, 0), (25, 0)])
def test_reimbursement_countdown(household_project, users, day, expected):
    """township 1's cadre and the command office, 10, 5 and 1 day(s) before 25 December."""
    assert run(D(YEAR, 12, day))["reimbursement"] == expected
    assert run(D(YEAR, 12, day))["reimbursement"] == 0


def test_reimbursed_project_not_reminded(household_project, users, finance, media):
    p = services.project_transition(
        user=users["command"], project=household_project, action="start", on=D(YEAR, 3, 2)
    )
    services.completion_report(
        user=users["command"], project=p, percent=100, reported_on=D(YEAR, 5, 1), evidence=pdf()
    )
    for action in ("complete", "accept", "reimburse"):
        p = services.project_transition(user=users["command"], project=p, action=action, on=D(YEAR, 5, 2))
    assert run(D(YEAR, 12, 15))["reimbursement"] == 0


def test_below_target_at_month_end_only(project, users):
    assert run(D(YEAR, 10, 31))["below_target"] == 0  # no target set: nothing
    Parameter.objects.create(name="funds_spending_target", year=YEAR, value=60, unit="%")
    assert run(D(YEAR, 10, 30))["below_target"] == 0  # not the month's end
    assert run(D(YEAR, 10, 31))["below_target"] == 2  # the department (0% of 100 000) and the command office
    assert run(D(YEAR, 10, 31))["below_target"] == 0
    titles = set(Notification.objects.filter(kind="funds_below_target").values_list("title", flat=True))
    assert len(titles) == 2
