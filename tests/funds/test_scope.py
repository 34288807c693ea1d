import pytest

from funds import queries
from tests.factories import UserFactory
from tests.funds.conftest import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(county_layout, users, allocation):
    """A department project in v11, a township-1 project in v12, a township-2 project in v21."""
    command = users["command"]
    t1, t2 = county_layout["townships"]
    v = county_layout["villages"]
    return {
        "dept": make_project(
            command, department=county_layout["department"], villages=[v["v11"]], number="D-1"
        ),
        "t1": make_project(command, township=t1, villages=[v["v12"]], number="T1-1"),
        "t2": make_project(command, township=t2, villages=[v["v21"]], number="T2-1"),
    }


def visible(user):
    return set(queries.projects_visible_to(user).values_list("number", flat=True))


def test_command_and_finance_see_all(projects, users, finance):
    assert visible(users["command"]) == visible(finance) == {"D-1", "T1-1", "T2-1"}


def test_department_sees_its_own(projects, users, allocation):
    assert visible(users["department"]) == {"D-1"}
    assert list(queries.allocations_visible_to(users["department"])) == [allocation]


def test_other_department_sees_nothing(projects, county_layout):
    from tests.factories import DepartmentFactory

    other = UserFactory(role="department", department=DepartmentFactory())
    assert visible(other) == set()
    assert not queries.allocations_visible_to(other).exists()


def test_township_sees_its_villages_and_its_own(projects, users):
    assert visible(users["township"]) == {"D-1", "T1-1"}
    assert not queries.allocations_visible_to(users["township"]).exists()


def test_village_reads_its_own(projects, users):
    assert visible(users["village"]) == {"D-1"}


def test_helper_sees_none(projects, users):
    assert visible(users["helper"]) == set()


def test_anonymous_sees_none(projects):
    from django.contrib.auth.models import AnonymousUser

    assert visible(AnonymousUser()) == set()
