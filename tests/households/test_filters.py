import datetime

import pytest
from django.test import RequestFactory

from households.filters import HouseholdFilter
from households.queries import households_visible_to
from tests.factories import HouseholdFactory, MemberFactory, unique_id_number

pytestmark = pytest.mark.django_db


def run(user, **params):
    request = RequestFactory().get("/", params)
    request.user = user
    return list(HouseholdFilter(request.GET, queryset=households_visible_to(user), request=request).qs)


@pytest.fixture
def command(users):
    return users["command"]


@pytest.fixture
def v11(county_layout):
    return county_layout["villages"]["v11"]


def test_township_and_village(command, county_layout):
    t1, t2 = county_layout["townships"]
    assert {h.village.township for h in run(command, township=t2.pk)} == {t2}
    assert {h.village for h in run(command, village=county_layout["villages"]["v12"].pk)} == {
        county_layout["villages"]["v12"]
    }


def test_village_choices_are_limited_to_the_scope(users, county_layout):
    request = RequestFactory().get("/")
    request.user = users["village"]
    form = HouseholdFilter(request.GET, queryset=households_visible_to(request.user), request=request).form
    assert list(form.fields["village"].queryset) == [county_layout["villages"]["v11"]]
    assert list(form.fields["township"].queryset) == [county_layout["townships"][0]]


def test_village_choices_follow_the_chosen_township(command, county_layout):
    t1, _ = county_layout["townships"]
    request = RequestFactory().get("/", {"township": t1.pk})
    request.user = command
    form = HouseholdFilter(request.GET, queryset=households_visible_to(command), request=request).form
    assert set(form.fields["village"].queryset) == {
        county_layout["villages"]["v11"],
        county_layout["villages"]["v12"],
    }


def test_attribute_and_exit_status(command, v11):
    dibao = HouseholdFactory(village=v11, attribute="2")
    exited = HouseholdFactory(village=v11, exit_status="1")
    assert run(command, attribute="2") == [dibao]
    assert run(command, exit_status="1") == [exited]


def test_cause_matches_main_or_other_causes(command, v11):
    main = HouseholdFactory(village=v11, main_cause="05")
    other = HouseholdFactory(village=v11, main_cause="07", other_causes=";01;05;")
    HouseholdFactory(village=v11, main_cause="07", other_causes=";10;")  # ';10;' must not match '01'
    assert set(run(command, cause="05")) == {main, other}
    assert {h.pk for h in run(command, cause="01")} >= {other.pk}
    assert all(h.main_cause == "01" or ";01;" in h.other_causes for h in run(command, cause="01"))


def test_free_text_over_head_member_id_and_number(command, v11):
    household = HouseholdFactory(village=v11, head_name="欧阳明", number="411529101299990001")
    number = unique_id_number(datetime.date(1990, 1, 1))
    MemberFactory(household=household, name="欧阳小雨", id_number=number)
    assert run(command, q="欧阳明") == [household]
    assert run(command, q="小雨") == [household]
    assert run(command, q=number) == [household]
    assert run(command, q="99990001") == [household]
    assert run(command, q="没有这个人") == []


def test_free_text_combines_with_the_other_filters(command, county_layout):
    t1, t2 = county_layout["townships"]
    inside = HouseholdFactory(village=county_layout["villages"]["v11"], attribute="2")
    MemberFactory(household=inside, name="王秀英")
    outside = HouseholdFactory(village=county_layout["villages"]["v21"], attribute="2")
    MemberFactory(household=outside, name="王秀英")
    assert run(command, q="王秀英", township=t1.pk, attribute="2") == [inside]
    assert run(command, q="王秀英", township=t2.pk) == [outside]
    assert set(run(command, q="王秀英")) == {inside, outside}


def test_free_text_never_reaches_outside_the_scope(users, county_layout):
    hidden = county_layout["households"]["v21"]
    MemberFactory(household=hidden, name="隐藏成员")
    assert run(users["township"], q="隐藏成员") == []
    assert run(users["command"], q="隐藏成员") == [hidden]


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("number", lambda h: h.number, False),
        ("-number", lambda h: h.number, True),
        ("head", lambda h: (h.head_name, h.number), False),
        ("identified", lambda h: (h.identified_month, h.number), False),
        ("-status", lambda h: (h.exit_status, h.number), True),
        ("attribute", lambda h: (h.attribute, h.number), False),
        ("village", lambda h: (h.village.township.code, h.village.code, h.number), False),
    ],
)
def test_sorting(command, v11, sort, key, reverse):
    HouseholdFactory(village=v11, head_name="甲", identified_month=datetime.date(2019, 1, 1), exit_status="1")
    HouseholdFactory(village=v11, head_name="乙", identified_month=datetime.date(2014, 1, 1), attribute="3")
    rows = run(command, sort=sort)
    assert rows == sorted(rows, key=key, reverse=reverse)


def test_default_order_is_by_number(command):
    rows = run(command)
    assert [h.number for h in rows] == sorted(h.number for h in rows)
