import pytest
from django.urls import reverse

from households.queries import helper_assignments
from households.services.helpers import household_assign_helper
from povertycase.errors import DomainError
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_command_assigns_and_reassigns_history_keeps_both(users, county_layout):
    household = county_layout["households"]["v21"]
    dept = DepartmentFactory(name="住建局")
    first = UserFactory(username="h_a", role="helper", last_name="王", first_name="芳", department=dept)
    second = UserFactory(username="h_b", role="helper", last_name="赵", first_name="强")
    household_assign_helper(household=household, helper=first, user=users["command"], reason="初次结对")
    household_assign_helper(household=household, helper=second, user=users["command"], reason="人员调整")
    household.refresh_from_db()
    assert household.helper == second and household.helper_name == "赵强"
    history = helper_assignments(household)
    assert [a["helper"] for a in history] == [second, first]
    assert [a["reason"] for a in history] == ["人员调整", "初次结对"]
    assert history[0]["by"] == users["command"]


def test_only_helper_role_users_can_be_assigned(users, county_layout):
    with pytest.raises(DomainError) as refused:
        household_assign_helper(
            household=county_layout["households"]["v11"],
            helper=users["village"],
            user=users["command"],
            reason="",
        )
    assert refused.value.field == "helper"


@pytest.mark.parametrize("role", ["helper", "department", "inspector"])
def test_non_cadres_may_not_assign(users, county_layout, role):
    with pytest.raises(DomainError):
        household_assign_helper(
            household=county_layout["households"]["v11"],
            helper=UserFactory(role="helper"),
            user=users[role],
            reason="",
        )


def test_township_cadre_out_of_scope_gets_404(client, users, county_layout):
    client.force_login(users["township"])
    other = county_layout["households"]["v21"]
    assert client.get(reverse("households:household_helper", args=[other.pk])).status_code == 404
    own = county_layout["households"]["v12"]
    assert client.get(reverse("households:household_helper", args=[own.pk])).status_code == 200


def test_assign_page_posts_and_detail_shows_history(client, users, county_layout):
    household = county_layout["households"]["v12"]
    helper = UserFactory(username="h_c", role="helper", last_name="孙", first_name="丽")
    client.force_login(users["township"])
    url = reverse("households:household_helper", args=[household.pk])
    page = client.get(url).content.decode()
    assert "孙丽（未设部门）" in page
    assert users["village"].username not in page  # only helper-role users are offered
    response = client.post(url, {"helper": helper.pk, "reason": "乡镇调整"})
    assert response.status_code == 302
    detail = client.get(household.get_absolute_url()).content.decode()
    assert 'data-testid="helper-history"' in detail and "乡镇调整" in detail
