"""The household's plan pages: measures and yearly income entered in the browser.

Each refusal leaves nothing saved; saves keep history; only register editors write (403), and
only on households in their scope (404)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import AssistanceMeasure, IncomeRecord
from households.views_plan import plan_panel
from tests.factories import DepartmentFactory, IncomeRecordFactory, MemberFactory, unique_id_number

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def home(county_layout):
    """The v11 household (the village cadre's scope): two members on the register, one measure."""
    household = county_layout["households"]["v11"]
    head = MemberFactory(household=household, name="罗建国", relation="01", sex="1")
    daughter = MemberFactory(  # in 中职 (vocational school): 雨露计划 is for her (MB-031)
        household=household,
        name="罗小花",
        relation="03",
        sex="2",
        seq=2,
        id_number=unique_id_number(birth=datetime.date(2009, 5, 1), sex="2"),
        student_status="51",
    )
    measure = AssistanceMeasure.objects.create(household=household, category="A01", item="01", year=2020)
    return {"household": household, "head": head, "daughter": daughter, "measure": measure}


def _measure_data(home, **changes):
    data = {
        "category": "A05",
        "item": "13",
        "year": "2024",
        "status": "2",
        "description": "中职学生资助",
        "start_date": "2024-09-01",
        "end_date": "2025-06-30",
        "amount": "1500",
        "department": "",
        "member": str(home["daughter"].pk),
        "reason": "入户核实",
    }
    data.update(changes)
    return data


def _income_data(**changes):
    data = {
        "year": "2024",
        "wage_income": "12000",
        "business_income": "3000.50",
        "transfer_income": "1500",
        "property_income": "0",
        "business_expense": "1000",
        "member_count_used": "3",
        "reason": "年度收入核算",
    }
    data.update(changes)
    return data


def _url(name, household, *args):
    return reverse(f"households:{name}", args=[household.pk, *args])


def _errors(response) -> str:
    form = response.context["form"]
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


# ------------------------------------------------------------------ measures


def test_village_cadre_adds_a_measure_for_a_member_and_the_history_keeps_who(client, users, home):
    household = home["household"]
    department = DepartmentFactory(name="教育局")
    client.force_login(users["village"])
    response = client.post(_url("measure_create", household), _measure_data(home, department=department.pk))
    assert response.status_code == 302 and response.url.endswith("#plan")
    measure = AssistanceMeasure.objects.get(household=household, item="13")
    assert (measure.category, measure.member, measure.department) == ("A05", home["daughter"], department)
    assert measure.amount == Decimal("1500") and measure.end_date == datetime.date(2025, 6, 30)
    row = measure.history.get()
    assert row.history_user == users["village"] and row.history_change_reason == "入户核实"

    page = client.get(household.get_absolute_url())
    html = page.content.decode()
    assert "雨露计划" in html and "罗小花" in html and "帮扶措施已保存。" in html


def test_editing_a_measure_changes_it_and_adds_a_history_row(client, users, home):
    measure = home["measure"]
    client.force_login(users["township"])
    edit = _url("measure_update", home["household"], measure.pk)
    assert client.get(edit).context["form"].initial["category"] == "A01"
    data = _measure_data(home, category="A01", item="12", member="", amount="800", reason="")
    assert client.post(edit, data).status_code == 302
    measure.refresh_from_db()
    assert (measure.item, measure.amount, measure.member) == ("12", Decimal("800"), None)
    latest = measure.history.order_by("-history_id").first()
    assert latest.history_user == users["township"] and latest.history_change_reason == "修改帮扶措施"
    assert measure.history.count() == 2


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"category": "A01", "item": "04"}, "item", "帮扶措施“教育帮扶”不属于帮扶类别“产业帮扶”。"),
        ({"start_date": "2025-01-01", "end_date": "2024-12-31"}, "end_date", "结束日期不能早于开始日期。"),
        ({"amount": "-5"}, "amount", "金额不能为负数。"),
        ({"category": ""}, "category", "这个字段是必填项。"),
        ({"year": "2009"}, "year", f"年度须在 2014 至 {THIS_YEAR + 1} 之间。"),
        ({"start_date": "2024/13/01"}, "start_date", "请按 YYYY-MM-DD 填写日期。"),
    ],
)
def test_bad_measure_input_is_refused_in_chinese_and_nothing_saved(
    client, users, home, changes, field, message
):
    client.force_login(users["village"])
    response = client.post(_url("measure_create", home["household"]), _measure_data(home, **changes))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert AssistanceMeasure.objects.filter(household=home["household"]).count() == 1


def test_every_problem_shows_at_once_even_when_a_field_does_not_parse(client, users, home):
    client.force_login(users["village"])
    data = _measure_data(home, start_date="2025-13-01", amount="-2", category="A01", item="04")
    errors = client.post(_url("measure_create", home["household"]), data).context["form"].errors
    assert errors["start_date"] == ["请按 YYYY-MM-DD 填写日期。"]
    assert errors["amount"] == ["金额不能为负数。"]
    assert errors["item"] == ["帮扶措施“教育帮扶”不属于帮扶类别“产业帮扶”。"]
    assert errors["__all__"] == ["未保存：请更正标出的字段。"]


def test_member_of_another_household_is_refused(client, users, home, county_layout):
    stranger = MemberFactory(household=county_layout["households"]["v12"], name="外人")
    client.force_login(users["village"])
    response = client.post(_url("measure_create", home["household"]), _measure_data(home, member=stranger.pk))
    assert "请选择本户在册成员。" in response.context["form"].errors["member"]
    assert not AssistanceMeasure.objects.filter(member=stranger).exists()


def test_the_service_refuses_a_member_of_another_household_too(users, home, county_layout):
    from households.services.plan import PlanInvalid, measure_save

    stranger = MemberFactory(household=county_layout["households"]["v12"], name="外人")
    data = {"category": "A05", "item": "13", "status": "2", "member": stranger}
    with pytest.raises(PlanInvalid) as refused:
        measure_save(household=home["household"], user=users["village"], data=data)
    assert refused.value.errors["member"] == ["外人 不是本户成员。"]


def test_a_member_no_longer_on_the_register_is_not_offered(client, users, home):
    home["daughter"].status = "2"
    home["daughter"].save()
    client.force_login(users["village"])
    form = client.get(_url("measure_create", home["household"])).context["form"]
    assert list(form.fields["member"].queryset) == [home["head"]]


def test_item_select_carries_the_category_of_each_item_for_the_script(client, users, home):
    client.force_login(users["village"])
    html = client.get(_url("measure_create", home["household"])).content.decode()
    assert "data-categories=" in html and "&quot;13&quot;: &quot;A05&quot;" in html
    assert "js/plan_measure.js" in html


def test_deleting_a_measure_asks_then_deletes_with_history(client, users, home):
    extra = AssistanceMeasure.objects.create(household=home["household"], category="A07", item="05")
    client.force_login(users["village"])
    url = _url("measure_delete", home["household"], extra.pk)
    assert "删除帮扶措施" in client.get(url).content.decode()
    assert AssistanceMeasure.objects.filter(pk=extra.pk).exists()  # GET deletes nothing
    assert client.post(url, {"reason": "重复录入"}).status_code == 302
    assert not AssistanceMeasure.objects.filter(pk=extra.pk).exists()
    gone = AssistanceMeasure.history.filter(id=extra.pk).order_by("-history_id").first()
    assert gone.history_type == "-" and gone.history_user == users["village"]
    assert gone.history_change_reason == "重复录入"


def test_deleting_the_last_measure_is_refused_by_hh013_and_nothing_is_deleted(client, users, home):
    client.force_login(users["village"])
    response = client.post(_url("measure_delete", home["household"], home["measure"].pk))
    assert response.status_code == 200
    assert AssistanceMeasure.objects.filter(pk=home["measure"].pk).exists()
    refusal = " ".join(response.context["errors"])
    assert "HH-013" in refusal and "未删除" in refusal
    assert "HH-013" in response.content.decode()


def test_stopping_a_measure_marks_it_stopped_and_ends_it_today(client, users, home):
    measure = home["measure"]
    client.force_login(users["village"])
    assert client.get(_url("measure_stop", home["household"], measure.pk)).status_code == 405
    assert client.post(_url("measure_stop", home["household"], measure.pk)).status_code == 302
    measure.refresh_from_db()
    assert measure.status == "3" and measure.end_date == timezone.localdate()
    assert measure.history.order_by("-history_id").first().history_change_reason == "停止帮扶措施"


# ------------------------------------------------------------------ income


def test_income_is_saved_with_computed_net_and_per_capita_shown_on_the_page(client, users, home):
    household = home["household"]
    client.force_login(users["village"])
    form = client.get(_url("income_create", household)).context["form"]
    assert form.initial["member_count_used"] == 2 and form.initial["year"] == THIS_YEAR
    response = client.post(
        _url("income_create", household), _income_data(net_income="1", per_capita_income="1")
    )
    assert response.status_code == 302
    record = IncomeRecord.objects.get(household=household, year=2024)
    assert record.net_income == Decimal("15500.50") and record.per_capita_income == Decimal("5166.83")
    assert record.history.get().history_user == users["village"]
    html = client.get(household.get_absolute_url()).content.decode()
    assert "5,166.83" in html and "收入记录已保存。" in html


def test_blank_components_count_as_zero(client, users, home):
    client.force_login(users["village"])
    data = _income_data(business_income="", property_income="", business_expense="", member_count_used="2")
    assert client.post(_url("income_create", home["household"]), data).status_code == 302
    record = IncomeRecord.objects.get(household=home["household"])
    assert record.net_income == Decimal("13500") and record.per_capita_income == Decimal("6750")


def test_editing_income_recomputes_and_keeps_history(client, users, home):
    record = IncomeRecordFactory(household=home["household"], year=2023, member_count_used=2)
    client.force_login(users["township"])
    url = _url("income_update", home["household"], record.pk)
    page = client.get(url)
    assert page.context["preview"] == (record.net_income, record.per_capita_income)
    assert (
        client.post(url, _income_data(year="2023", wage_income="20000", member_count_used="2")).status_code
        == 302
    )
    record.refresh_from_db()
    assert record.net_income == Decimal("23500.50") and record.per_capita_income == Decimal("11750.25")
    assert record.history.count() == 2


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"wage_income": "-1"}, "wage_income", "工资性收入不能为负数。"),
        ({"business_expense": "-20"}, "business_expense", "生产经营性支出不能为负数。"),
        ({"member_count_used": "0"}, "member_count_used", "计算人口数至少为 1。"),
        ({"year": "2013"}, "year", f"年度须在 2014 至 {THIS_YEAR} 之间。"),
        ({"year": str(THIS_YEAR + 1)}, "year", f"年度须在 2014 至 {THIS_YEAR} 之间。"),
        ({"transfer_income": "12abc"}, "transfer_income", "请填写金额（元），如 1200.50。"),
    ],
)
def test_bad_income_input_is_refused_in_chinese_and_nothing_saved(
    client, users, home, changes, field, message
):
    client.force_login(users["village"])
    response = client.post(_url("income_create", home["household"]), _income_data(**changes))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not IncomeRecord.objects.exists()


def test_a_second_record_for_the_same_year_is_refused(client, users, home):
    IncomeRecordFactory(household=home["household"], year=2024, member_count_used=2)
    client.force_login(users["village"])
    response = client.post(_url("income_create", home["household"]), _income_data())
    assert "2024 年的收入已有记录，请修改该记录。" in response.context["form"].errors["year"]
    assert IncomeRecord.objects.filter(household=home["household"]).count() == 1


def test_moving_a_record_onto_another_recorded_year_is_refused(client, users, home):
    IncomeRecordFactory(household=home["household"], year=2022, member_count_used=2)
    record = IncomeRecordFactory(household=home["household"], year=2023, member_count_used=2)
    client.force_login(users["village"])
    url = _url("income_update", home["household"], record.pk)
    response = client.post(url, _income_data(year="2022", member_count_used="2"))
    assert "2022 年的收入已有记录，请修改该记录。" in response.context["form"].errors["year"]
    record.refresh_from_db()
    assert record.year == 2023 and record.history.count() == 1
    assert (
        client.post(url, _income_data(year="2023", member_count_used="2")).status_code == 302
    )  # its own year


def test_income_under_the_floor_of_an_exited_household_is_refused_with_the_rules_message(client, users, home):
    household = home["household"]
    household.exit_status, household.household_type, household.exit_month = (
        "1",
        "2",
        datetime.date(2019, 12, 1),
    )
    household.save()
    client.force_login(users["village"])
    data = _income_data(
        year="2019", wage_income="3000", business_income="0", transfer_income="0", member_count_used="2"
    )
    response = client.post(_url("income_create", household), data)
    assert response.status_code == 200
    errors = _errors(response)
    assert "未保存：逻辑校验发现错误，请更正后再保存。" in errors
    assert "IN-002 2019年脱贫，人均纯收入 1000.00 元，低于标准 3218 元" in errors
    assert "IN-008 2019年人均纯收入 1000.00 元，低于 4000 元" in errors
    assert not IncomeRecord.objects.exists()


# ------------------------------------------------------------------ panel, roles and scope


def test_panel_reads_measures_with_their_member_and_every_year_of_income_in_two_queries(
    users, home, django_assert_num_queries
):
    household = home["household"]
    for year, wage in ((2022, 9000), (2023, 10000), (2024, 11000)):
        IncomeRecordFactory(household=household, year=year, wage_income=wage, member_count_used=2)
    AssistanceMeasure.objects.create(household=household, category="A05", item="13", member=home["daughter"])
    with django_assert_num_queries(2):
        context = plan_panel(household, users["village"])
        names = [m.member.name if m.member else "" for m in context["measures"]]
    assert names == ["", "罗小花"] and context["can_edit_plan"]
    assert context["income"].year == 2024
    assert [row.year for row in context["earlier_incomes"]] == [2023, 2022]


def test_readers_see_the_panel_without_buttons(client, users, home):
    client.force_login(users["inspector"])
    page = client.get(home["household"].get_absolute_url())
    assert page.context["can_edit_plan"] is False
    assert _url("measure_create", home["household"]) not in page.content.decode()
    client.force_login(users["village"])
    assert (
        _url("measure_create", home["household"])
        in client.get(home["household"].get_absolute_url()).content.decode()
    )


@pytest.mark.parametrize("role", ["helper", "inspector", "department"])
def test_roles_that_may_not_edit_get_403(client, users, home, role):
    household, measure = home["household"], home["measure"]
    record = IncomeRecordFactory(household=household, year=2023)
    client.force_login(users[role])
    for name, args in (
        ("measure_create", ()),
        ("measure_update", (measure.pk,)),
        ("measure_delete", (measure.pk,)),
        ("income_create", ()),
        ("income_update", (record.pk,)),
    ):
        assert client.get(_url(name, household, *args)).status_code == 403
    assert client.post(_url("measure_delete", household, measure.pk)).status_code == 403
    assert client.post(_url("measure_stop", household, measure.pk)).status_code == 403
    assert client.post(_url("income_create", household), _income_data()).status_code == 403
    assert AssistanceMeasure.objects.filter(pk=measure.pk, status="2").exists()
    assert IncomeRecord.objects.count() == 1


def test_households_outside_the_scope_are_404(client, users, county_layout):
    other = county_layout["households"]["v12"]
    measure = AssistanceMeasure.objects.create(household=other, category="A01", item="01")
    record = IncomeRecordFactory(household=other, year=2023)
    client.force_login(users["village"])
    assert client.get(_url("measure_create", other)).status_code == 404
    assert client.post(_url("measure_delete", other, measure.pk)).status_code == 404
    assert client.post(_url("measure_stop", other, measure.pk)).status_code == 404
    assert client.post(_url("income_update", other, record.pk), _income_data()).status_code == 404
    client.force_login(users["township"])  # v12 is in the township, v21 is not
    assert client.get(_url("measure_create", other)).status_code == 200
    assert client.get(_url("measure_create", county_layout["households"]["v21"])).status_code == 404
    assert AssistanceMeasure.objects.filter(pk=measure.pk).exists()


def test_a_measure_of_another_household_is_404_under_this_one(client, users, home, county_layout):
    foreign = AssistanceMeasure.objects.create(household=county_layout["households"]["v12"], category="A01")
    client.force_login(users["command"])
    assert client.get(_url("measure_update", home["household"], foreign.pk)).status_code == 404
    assert client.post(_url("measure_delete", home["household"], foreign.pk)).status_code == 404
    assert AssistanceMeasure.objects.filter(pk=foreign.pk).exists()
