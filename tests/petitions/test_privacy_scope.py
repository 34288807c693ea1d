"""Who sees which petitions (404 outside) and whose eyes see the complainant unmasked."""

import pytest

from petitions import privacy, services
from petitions.queries import petitions_visible_to

from .conftest import petition_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_department(petition, users, county_layout):
    services.petition_transfer(
        user=users["township"], petition=petition, department=county_layout["department"]
    )
    return petition


def test_masks():
    assert privacy.mask_name("罗大明") == "罗**"
    assert privacy.mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize(
    "role, visible, unmasked",
    [
        ("command", True, True),
        ("township", True, False),  # its area's, but the department handles it now
        ("department", True, True),  # the handling unit
        ("village", True, False),
        ("helper", True, False),
        ("inspector", True, False),
    ],
)
def test_each_role_sees_complainant_as_allowed(at_department, users, role, visible, unmasked):
    user = users[role]
    assert petitions_visible_to(user).filter(pk=at_department.pk).exists() == visible
    shown = privacy.complainant(user, at_department)
    assert (shown["name"] == "罗大明") == unmasked
    assert (shown["phone"] == "13812345678") == unmasked


def test_other_department_and_township_do_not_see_it(at_department, other_dept_user, county_layout):
    from tests.factories import UserFactory

    other_township = UserFactory(username="t2", role="township", township=county_layout["townships"][1])
    for user in (other_dept_user, other_township):
        assert not petitions_visible_to(user).filter(pk=at_department.pk).exists()


def test_handling_township_sees_unmasked(petition, users):
    assert privacy.complainant(users["township"], petition)["name"] == "罗大明"


def test_anonymous_shows_anonymous(users):
    p = services.petition_register(user=users["command"], data=petition_data(anonymous=True))
    assert privacy.complainant(users["command"], p)["phone"] == ""
