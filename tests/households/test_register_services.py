import datetime

import pytest

from households.models import Household, Member
from households.services.register import (
    RegisterInvalid,
    household_create,
    household_update,
)
from povertycase.errors import DomainError
from tests.factories import HouseholdFactory, MemberFactory, UserFactory, unique_id_number

pytestmark = pytest.mark.django_db


def household_data(village, **extra):
    return {"number": "411529101200099001", "village": village, "attribute": "1", "exit_status": "0", **extra}


def member(name, relation="01", *, sex="1", birth=datetime.date(1970, 5, 1), **extra):
    return {
        "name": name,
        "relation": relation,
        "id_type": "1",
        "id_number": unique_id_number(birth, sex),
        **extra,
    }


def family():
    return [
        member("罗建国"),
        member("王秀英", "02", sex="2", birth=datetime.date(1972, 3, 9)),
        member("罗小明", "03", birth=datetime.date(2005, 9, 1)),
    ]


@pytest.fixture
def cadre(users):
    return users["township"]


@pytest.fixture
def village(county_layout):
    return county_layout["villages"]["v11"]


def test_create_saves_household_members_and_history(cadre, village):
    household = household_create(
        user=cadre, data=household_data(village, change_reason="入户核实"), members=family()
    )

    assert household.head_name == "罗建国"
    assert household.member_count == 3
    members = list(household.members.order_by("seq"))
    assert [m.name for m in members] == ["罗建国", "王秀英", "罗小明"]
    assert members[1].sex == "2" and members[1].birth_date == datetime.date(1972, 3, 9)
    record = household.history.get()
    assert record.history_user == cadre and record.history_change_reason == "入户核实"
    assert all(m.history.get().history_user == cadre for m in members)


def test_invalid_member_saves_nothing(cadre, village):
    members = family()
    members[2]["id_number"] = members[2]["id_number"][:17] + (
        "0" if members[2]["id_number"][17] != "0" else "1"
    )

    with pytest.raises(RegisterInvalid) as exc:
        household_create(user=cadre, data=household_data(village), members=members)

    assert "校验" in exc.value.members[2]["id_number"][0]
    assert not Household.objects.filter(number="411529101200099001").exists()
    assert not Member.objects.filter(name="罗小明").exists()


@pytest.mark.parametrize(
    ("id_number", "message"),
    [("41152919700501001", "18"), ("411529197002300011", "出生日期"), ("411529203001010011", "出生日期")],
)
def test_malformed_and_impossible_id_numbers(cadre, village, id_number, message):
    members = [member("罗建国", id_number=id_number)]
    with pytest.raises(RegisterInvalid) as exc:
        household_create(user=cadre, data=household_data(village), members=members)
    assert message in exc.value.members[0]["id_number"][0]


def test_sex_and_birth_date_must_match_the_id(cadre, village):
    members = [member("罗建国", sex="1", birth=datetime.date(1970, 5, 1))]
    members[0].update(sex="2", birth_date=datetime.date(1971, 1, 1))
    with pytest.raises(RegisterInvalid) as exc:
        household_create(user=cadre, data=household_data(village), members=members)
    errors = exc.value.members[0]
    assert "女" in errors["sex"][0] and "男" in errors["sex"][0]
    assert "1971" in errors["birth_date"][0] and "1970" in errors["birth_date"][0]


def test_exactly_one_head(cadre, village):
    members = family()
    members[1]["relation"] = "01"
    with pytest.raises(RegisterInvalid) as exc:
        household_create(user=cadre, data=household_data(village), members=members)
    assert "户主" in exc.value.members[1]["relation"][0]

    with pytest.raises(RegisterInvalid) as exc:
        household_create(user=cadre, data=household_data(village), members=family()[1:])
    assert "户主" in exc.value.household[None][0]


def test_relation_sex_mismatch_is_left_to_the_logic_checks(cadre, village):
    members = family()
    members[2]["relation"] = "04"  # 之女, but the ID says male: MB-002 judges it, not the service
    household = household_create(user=cadre, data=household_data(village), members=members)
    assert household.members.count() == 3


def test_duplicate_id_names_the_visible_household(cadre, village):
    other = MemberFactory(household=HouseholdFactory(village=village, head_name="张大山"), name="张大山")
    members = family()
    members[1]["id_number"] = other.id_number
    members[1]["sex"] = "1"
    with pytest.raises(RegisterInvalid) as exc:
        household_create(user=cadre, data=household_data(village), members=members)
    message = exc.value.members[1]["id_number"][0]
    assert other.household.number in message and "张大山" in message


def test_duplicate_id_in_a_hidden_household_is_not_described(cadre, village, county_layout):
    hidden = HouseholdFactory(village=county_layout["villages"]["v21"], head_name="李秘密")
    other = MemberFactory(household=hidden, name="李秘密")
    members = [member("罗建国", id_number=other.id_number)]
    with pytest.raises(RegisterInvalid) as exc:
        household_create(user=cadre, data=household_data(village), members=members)
    message = exc.value.members[0]["id_number"][0]
    assert "另一户" in message and hidden.number not in message and "李秘密" not in message


def test_same_id_twice_in_one_household(cadre, village):
    members = family()
    members[2]["id_number"] = members[0]["id_number"]
    with pytest.raises(RegisterInvalid) as exc:
        household_create(user=cadre, data=household_data(village), members=members)
    assert "罗建国" in exc.value.members[2]["id_number"][0]


def test_update_changes_adds_and_removes_members(cadre, village):
    household = household_create(user=cadre, data=household_data(village), members=family())
    head, spouse, son = household.members.order_by("seq")
    entries = [
        {"id": head.pk, "name": "罗建国", "relation": "01", "id_number": head.id_number, "education": "40"},
        {"id": spouse.pk, "DELETE": True},
        {"id": son.pk, "name": "罗小明", "relation": "03", "id_number": son.id_number},
        member("罗小红", "04", sex="2", birth=datetime.date(2010, 1, 1)),
    ]
    household_update(household=household, user=cadre, data={"attribute": "2"}, members=entries)

    household.refresh_from_db()
    assert household.attribute == "2"
    assert sorted(household.members.values_list("name", flat=True)) == ["罗小明", "罗小红", "罗建国"]
    head.refresh_from_db()
    assert head.education == "40"
    assert head.history.count() == 2 and head.history.first().history_user == cadre
    assert son.history.count() == 1  # unchanged rows are not saved again
    assert Member.history.filter(id=spouse.pk, history_type="-").get().history_user == cadre


def test_update_renaming_the_head_renames_the_household(cadre, village):
    household = household_create(user=cadre, data=household_data(village), members=family()[:1])
    head = household.members.get()
    entry = {"id": head.pk, "name": "罗建民", "relation": "01", "id_number": head.id_number}
    household_update(household=household, user=cadre, data={}, members=[entry])
    household.refresh_from_db()
    assert household.head_name == "罗建民"


def test_read_only_roles_and_other_villages_are_refused(users, village, county_layout):
    with pytest.raises(DomainError):
        household_create(user=users["inspector"], data=household_data(village), members=family())
    with pytest.raises(RegisterInvalid) as exc:
        household_create(
            user=users["village"], data=household_data(county_layout["villages"]["v12"]), members=family()
        )
    assert exc.value.household["village"]
    with pytest.raises(DomainError):
        household_update(
            household=county_layout["households"]["v21"], user=users["township"], data={}, members=[]
        )


def test_member_of_another_household_cannot_be_edited_through_this_one(cadre, village):
    household = household_create(user=cadre, data=household_data(village), members=family()[:1])
    stranger = MemberFactory(household=HouseholdFactory(village=village))
    entries = [{"id": household.members.get().pk}, {"id": stranger.pk, "name": "改名"}]
    with pytest.raises(RegisterInvalid):
        household_update(household=household, user=cadre, data={}, members=entries)
    stranger.refresh_from_db()
    assert stranger.name != "改名"


def test_unused_user_role(village):
    nobody = UserFactory()
    with pytest.raises(DomainError):
        household_create(user=nobody, data=household_data(village), members=family())


def test_members_left_out_of_an_update_are_kept_untouched(cadre, village):
    household = household_create(user=cadre, data=household_data(village), members=family())
    head = household.members.get(relation="01")
    household_update(household=household, user=cadre, data={"phone": "13800001111"}, members=[])
    assert household.members.count() == 3
    assert head.history.count() == 1
    assert household.history.first().phone == "13800001111"


@pytest.mark.parametrize(
    "status, chosen, stored",
    [("1", "1", "2"), ("1", "", "2"), ("0", "2", "1"), ("0", "", "1"), ("0", "3", "3"), ("9", "2", "2")],
)
def test_household_type_follows_the_exit_status(cadre, village, status, chosen, stored):
    """户类型 cannot contradict 贫困户状态 (EX-010): the status decides 贫困户 / 脱贫户."""
    exit_month = datetime.date(2019, 12, 1) if status == "1" else None
    data = household_data(village, exit_status=status, household_type=chosen, exit_month=exit_month)
    household = household_create(user=cadre, data=data, members=family())
    assert Household.objects.get(pk=household.pk).household_type == stored


def test_changing_the_status_changes_the_type(cadre, village):
    household = household_create(user=cadre, data=household_data(village), members=family())
    assert household.household_type == "1"
    data = {"exit_status": "1", "household_type": "1", "exit_month": datetime.date(2020, 6, 1)}
    members = [{"id": m.pk} for m in household.members.order_by("seq")]
    household = household_update(household=household, user=cadre, data=data, members=members)
    assert Household.objects.get(pk=household.pk).household_type == "2"
