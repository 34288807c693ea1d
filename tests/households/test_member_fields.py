"""The member fields 未上学原因, 医疗救助, phone, planned work and 务工需求 on the household edit page:
saved through the page and the service, refused with a Chinese message per field (nothing saved),
kept in the history, and MB-013 refusing a save it would introduce."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from households.models import Household, Member
from households.services import register as register_service
from households.services.register import RegisterInvalid
from tests.factories import HouseholdFactory, MemberFactory, unique_id_number

pytestmark = pytest.mark.django_db

CHILD_BIRTH = datetime.date(2016, 1, 10)


@pytest.fixture
def village(county_layout):
    return county_layout["villages"]["v11"]


@pytest.fixture
def household(village):
    """Head, spouse and a son in primary school, entered as the edit page would have saved them."""
    household = HouseholdFactory(village=village, head_name="罗建国", member_count=3)
    for seq, (name, relation, sex, birth, extra) in enumerate(
        (
            ("罗建国", "01", "1", datetime.date(1986, 2, 1), {"work_status": "1"}),
            ("潘秀兰", "02", "2", datetime.date(1988, 3, 1), {"work_status": "0"}),
            ("罗小明", "03", "1", CHILD_BIRTH, {"student_status": "20", "labour": "5"}),
        ),
        start=1,
    ):
        MemberFactory(
            household=household,
            seq=seq,
            name=name,
            relation=relation,
            sex=sex,
            id_number=unique_id_number(birth, sex),
            pension_insurance=relation != "03",
            **extra,
        )
    return household


def edit_url(household):
    return reverse("households:household_update", args=[household.pk])


def edit_data(household, changes: dict[str, dict], **household_fields) -> dict:
    """The POST of the edit page for `household` as it stands, member fields overridden by name."""
    data = {
        "number": household.number,
        "village": household.village_id,
        "household_type": household.household_type,
        "attribute": household.attribute,
        "exit_status": household.exit_status,
        "members-INITIAL_FORMS": household.members.count(),
        "members-MIN_NUM_FORMS": 0,
        "members-MAX_NUM_FORMS": 1000,
        **household_fields,
    }
    members = list(household.members.order_by("seq"))
    data["members-TOTAL_FORMS"] = len(members)
    for i, member in enumerate(members):
        row = {name: _posted(getattr(member, name)) for name in register_service.MEMBER_FIELDS}
        row.update(changes.get(member.name, {}))
        row["id"] = member.pk
        data.update({f"members-{i}-{key}": value for key, value in row.items()})
    return data


def _posted(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def field_errors(response, index: int, name: str) -> str:
    form = response.context["formset"].forms[index]
    return " ".join(form.errors.get(name, []))


@pytest.fixture
def cadre(client, users):
    client.force_login(users["village"])
    return client


def test_the_edit_page_offers_the_new_fields_in_chinese(cadre, household):
    html = cadre.get(edit_url(household)).content.decode()
    for label in (
        "义务教育阶段未上学原因",
        "是否享受医疗救助",
        "成员联系电话",
        "是否计划外出务工",
        "务工需求（工种、地点、培训）",
    ):
        assert label in html
    assert 'name="members-0-phone"' in html and "送教上门" in html
    template = html[html.index('id="member-template"') :]
    assert 'name="members-__prefix__-work_need"' in template  # rows added by the button have them too


def test_new_fields_are_saved_and_kept_in_the_history(cadre, household, users):
    data = edit_data(
        household,
        {
            "罗建国": {"phone": " 13912345678 ", "medical_aid": "false"},
            "潘秀兰": {
                "plans_work_away": "true",
                "work_need": "电焊工，广东东莞，需培训",
                "phone": "0376-6123456",
            },
        },
        change_reason="入户核实务工意愿",
    )
    response = cadre.post(edit_url(household), data)

    assert response.status_code == 302, response.context and response.context["form"].errors
    head, spouse = Member.objects.get(name="罗建国"), Member.objects.get(name="潘秀兰")
    assert (head.phone, head.medical_aid) == ("13912345678", False)
    assert (spouse.plans_work_away, spouse.work_need, spouse.phone) == (
        True,
        "电焊工，广东东莞，需培训",
        "0376-6123456",
    )
    page = cadre.get(household.get_absolute_url()).content.decode()
    history = page[page.index('data-testid="history"') :]
    assert "成员联系电话" in history and "13912345678" in history
    assert "务工需求" in history and "电焊工，广东东莞，需培训" in history and "入户核实务工意愿" in history


@pytest.mark.parametrize("phone", ["12345678901", "1391234567", "139-1234-5678", "6123456", "0376-12345"])
def test_a_wrong_phone_is_refused_in_chinese_and_nothing_is_saved(cadre, household, phone):
    data = edit_data(household, {"罗建国": {"phone": phone}, "潘秀兰": {"medical_aid": "true"}})
    response = cadre.post(edit_url(household), data)

    assert response.status_code == 200
    assert "11 位手机号码" in field_errors(response, 0, "phone")
    assert not Member.objects.filter(phone=phone).exists()
    assert Member.objects.get(name="潘秀兰").medical_aid is None  # the other row was not saved either


def test_a_reason_beside_a_student_stage_is_refused(cadre, household):
    data = edit_data(household, {"罗小明": {"out_of_school_reason": "3"}})
    response = cadre.post(edit_url(household), data)

    assert response.status_code == 200
    message = field_errors(response, 2, "out_of_school_reason")
    assert "小学" in message and "不在校的成员" in message
    assert Member.objects.get(name="罗小明").out_of_school_reason == ""


def test_a_reason_with_no_stage_or_a_non_student_stage_is_saved(cadre, household):
    data = edit_data(
        household, {"罗小明": {"student_status": "00", "out_of_school_reason": "6", "health": "4"}}
    )
    data["members-2-disability_cert"] = Member.objects.get(name="罗小明").id_number + "42"
    response = cadre.post(edit_url(household), data)

    assert response.status_code == 302
    child = Member.objects.get(name="罗小明")
    assert (child.student_status, child.out_of_school_reason) == ("00", "6")


def test_a_work_need_over_100_characters_is_refused(cadre, household):
    data = edit_data(household, {"潘秀兰": {"plans_work_away": "true", "work_need": "务" * 101}})
    response = cadre.post(edit_url(household), data)

    assert response.status_code == 200
    assert "100" in field_errors(response, 1, "work_need")
    assert Member.objects.get(name="潘秀兰").plans_work_away is None


def test_the_service_checks_the_fields_itself(household, users):
    entries = [
        {"id": m.pk, **{name: getattr(m, name) for name in register_service.MEMBER_FIELDS}}
        for m in household.members.order_by("seq")
    ]
    entries[0]["phone"] = "010-123"
    entries[1]["work_need"] = "务" * 101
    entries[2]["out_of_school_reason"] = "1"
    with pytest.raises(RegisterInvalid) as caught:
        register_service.household_update(
            household=household, user=users["village"], data={}, members=entries
        )
    problems = caught.value.members
    assert set(problems) == {0, 1, 2}
    assert problems[0]["phone"] and problems[1]["work_need"] and problems[2]["out_of_school_reason"]
    assert not Member.objects.exclude(phone="").exists()


def test_mb013_refuses_the_save_until_the_health_agrees(cadre, household):
    reason = {"student_status": "", "out_of_school_reason": "1"}
    response = cadre.post(edit_url(household), edit_data(household, {"罗小明": reason}))

    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "MB-013" in errors and "未上学原因为“因病”，但健康状况为健康" in errors
    assert Member.objects.get(name="罗小明").out_of_school_reason == ""

    response = cadre.post(edit_url(household), edit_data(household, {"罗小明": {**reason, "health": "3"}}))
    assert response.status_code == 302
    child = Member.objects.get(name="罗小明")
    assert (child.out_of_school_reason, child.health) == ("1", "3")


def test_out_of_scope_household_is_404_and_a_reader_gets_403(client, users, county_layout, household):
    client.force_login(users["village"])
    other = county_layout["households"]["v12"]
    assert client.post(edit_url(other), edit_data(other, {})).status_code == 404
    client.force_login(users["inspector"])
    data = edit_data(household, {"罗建国": {"phone": "13912345678"}})
    assert client.post(edit_url(household), data).status_code == 403
    assert not Member.objects.filter(phone="13912345678").exists()


def test_the_details_row_shows_what_is_set(household):
    child = Member.objects.get(name="罗小明")
    assert render_to_string("households/_member_details_row.html", {"m": child}).strip() == ""
    child.out_of_school_reason, child.phone = "6", "13912345678"
    child.plans_work_away, child.work_need = True, "电焊工"
    html = render_to_string("households/_member_details_row.html", {"m": child, "columns": 14})
    assert 'colspan="14"' in html
    for text in ("义务教育阶段未上学原因", "送教上门", "13912345678", "是否计划外出务工", "电焊工"):
        assert text in html
    child.plans_work_away = False
    child.out_of_school_reason = child.phone = ""
    assert render_to_string("households/_member_details_row.html", {"m": child}).strip() == ""


def test_household_fixture_is_clean_before_the_edits(household):
    from households.checks.service import error_keys

    assert error_keys(Household.objects.get(pk=household.pk)) == {}


def test_the_household_page_shows_medical_aid_and_the_details_row(cadre, household):
    Member.objects.filter(name="罗建国").update(medical_aid=True, phone="13912345678")
    html = cadre.get(household.get_absolute_url()).content.decode()
    assert "<th>医疗救助</th>" in html
    assert 'class="member-details' in html and "13912345678" in html
