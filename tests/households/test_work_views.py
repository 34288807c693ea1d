"""Work record and public-welfare post pages: scope (404), who may edit (403), every validation
message in Chinese with nothing saved, logic-check refusals, history rows, delete with a
confirmation page, and the household page's panel."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from households.models import PublicPost, WorkRecord
from households.views_work import work_panel
from tests.factories import MemberFactory, unique_id_number

TODAY = timezone.localdate()
NEXT_MONTH = (TODAY.replace(day=1) + datetime.timedelta(days=32)).strftime("%Y-%m")


def born(years_ago: int, days: int = 0) -> datetime.date:
    return datetime.date(TODAY.year - years_ago, TODAY.month, 1) - datetime.timedelta(days=days)


@pytest.fixture
def home(county_layout):
    """The v11 household: a working head (40), a non-working wife, a son of 12 and a grandfather of 75."""
    household = county_layout["households"]["v11"]

    def member(name, relation, sex, age, **fields):
        birth = born(age)
        return MemberFactory(
            household=household,
            name=name,
            relation=relation,
            sex=sex,
            id_number=unique_id_number(birth=birth, sex=sex),
            **fields,
        )

    return {
        "household": household,
        "head": member("罗建国", "01", "1", 40, work_status="3"),
        "wife": member("潘秀兰", "02", "2", 38, work_status="0"),
        "son": member("罗小明", "03", "1", 12, labour="5", student_status="31", pension_insurance=False),
        "grandpa": member("罗老汉", "13", "1", 75, labour="3"),
    }


def work_data(who, **fields):
    data = {
        "member": str(who.pk),
        "start_date": str(TODAY - datetime.timedelta(days=400)),
        "end_date": "",
        "county": "浙江省宁波市鄞州区",
        "company": "宁波某电子厂",
        "industry": "电子制造",
        "channel": "2",
        "monthly_wage": "4500",
    }
    data.update(fields)
    return data


def post_data(who, **fields):
    data = {
        "member": str(who.pk),
        "post_type": "2",
        "hired_on": (TODAY.replace(day=1) - datetime.timedelta(days=200)).strftime("%Y-%m"),
        "months": "12",
        "monthly_pay": "500",
    }
    data.update(fields)
    return data


def new_work(household):
    return reverse("households:work_record_create", args=[household.pk])


def new_post(household):
    return reverse("households:public_post_create", args=[household.pk])


def record_for(member, **fields) -> WorkRecord:
    values = {
        "start_date": datetime.date(2015, 3, 1),
        "end_date": datetime.date(2018, 6, 1),
        "county": "青山县",
        "company": "青山县食品厂",
        "industry": "食品加工",
        "channel": "4",
        "monthly_wage": Decimal("2600"),
    }
    values.update(fields)
    return WorkRecord.objects.create(member=member, **values)


def post_for(member, **fields) -> PublicPost:
    values = {"post_type": "1", "hired_on": datetime.date(2024, 1, 1), "months": 12, "monthly_pay": 600}
    values.update(fields)
    return PublicPost.objects.create(member=member, **values)


def errors(response) -> str:
    form = response.context["form"]
    return " ".join(str(e) for texts in form.errors.values() for e in texts)


# ------------------------------------------------------------------ access


@pytest.mark.parametrize("role", ["command", "township", "village"])
def test_cadres_in_scope_open_the_forms(client, users, home, role):
    client.force_login(users[role])
    household = home["household"]
    assert client.get(new_work(household)).status_code == 200
    assert client.get(new_post(household)).status_code == 200


@pytest.mark.parametrize("role", ["helper", "department", "inspector"])
def test_roles_that_may_not_edit_get_403(client, users, home, role):
    record, post = record_for(home["head"]), post_for(home["wife"])
    client.force_login(users[role])
    household = home["household"]
    assert client.get(new_work(household)).status_code == 403
    assert client.post(new_post(household), post_data(home["wife"])).status_code == 403
    for name, pk in (("work_record", record.pk), ("public_post", post.pk)):
        assert client.get(reverse(f"households:{name}_update", args=[pk])).status_code == 403
        assert client.post(reverse(f"households:{name}_delete", args=[pk])).status_code == 403
    assert WorkRecord.objects.count() == 1 and PublicPost.objects.count() == 1


def test_records_outside_the_scope_are_404(client, users, county_layout, home):
    other = county_layout["households"]["v21"]  # another township
    stranger = MemberFactory(household=other, work_status="1")
    record, post = record_for(stranger), post_for(stranger)
    client.force_login(users["township"])
    assert client.get(new_work(other)).status_code == 404
    assert client.post(new_post(other), post_data(stranger)).status_code == 404
    for name, pk in (("work_record", record.pk), ("public_post", post.pk)):
        assert client.get(reverse(f"households:{name}_update", args=[pk])).status_code == 404
        assert client.post(reverse(f"households:{name}_delete", args=[pk])).status_code == 404
    client.force_login(users["village"])  # v12 is in the township but not the village
    assert client.get(new_work(county_layout["households"]["v12"])).status_code == 404
    assert WorkRecord.objects.count() == 1 and PublicPost.objects.count() == 1


def test_a_member_of_another_household_cannot_be_chosen(client, users, county_layout, home):
    neighbour = MemberFactory(household=county_layout["households"]["v12"], work_status="1")
    client.force_login(users["township"])
    response = client.post(new_work(home["household"]), work_data(neighbour))
    assert response.status_code == 200 and "有效" in errors(response)
    assert not WorkRecord.objects.exists()


# ------------------------------------------------------------------ work records


def test_township_cadre_adds_a_work_record_with_history(client, users, home):
    client.force_login(users["township"])
    household = home["household"]
    response = client.post(new_work(household), work_data(home["head"]))
    assert response.status_code == 302 and response.url == household.get_absolute_url()
    record = WorkRecord.objects.get()
    assert record.member == home["head"] and record.monthly_wage == Decimal("4500")
    assert record.created_by == users["township"]
    trail = record.history.get()
    assert trail.history_type == "+" and trail.history_user == users["township"]
    assert trail.history_change_reason == "新增务工记录"
    page = client.get(household.get_absolute_url())
    assert "宁波某电子厂" in page.content.decode() and "有组织劳务输出" in page.content.decode()
    assert "罗建国的务工记录已保存。" in page.content.decode()


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"member": ""}, "member", "请选择家庭成员。"),
        ({"start_date": ""}, "start_date", "请填写务工开始日期。"),
        ({"start_date": str(TODAY + datetime.timedelta(days=1))}, "start_date", "开始日期不能晚于今天。"),
        ({"start_date": "2001-01-01"}, "start_date", "未满16周岁"),
        (
            {"start_date": "2024-03-01", "end_date": "2024-02-01"},
            "end_date",
            "结束日期不能早于开始日期。",
        ),
        ({"county": "  "}, "county", "请填写务工所在县。"),
        ({"monthly_wage": "50"}, "monthly_wage", "月工资应在100至30000元之间。"),
        ({"monthly_wage": "30001"}, "monthly_wage", "月工资应在100至30000元之间。"),
        ({"monthly_wage": "abc"}, "monthly_wage", "数"),
        ({"start_date": "2024-13-01"}, "start_date", "日期"),
    ],
)
def test_bad_work_records_are_refused_with_a_message_on_the_field(
    client, users, home, fields, field, message
):
    client.force_login(users["village"])
    response = client.post(new_work(home["household"]), work_data(home["head"], **fields))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not WorkRecord.objects.exists()


def test_a_second_open_record_and_overlapping_periods_are_refused(client, users, home):
    record_for(home["head"], start_date=datetime.date(2019, 1, 1), end_date=None)
    client.force_login(users["village"])
    url = new_work(home["household"])
    response = client.post(url, work_data(home["head"], start_date="2022-01-01"))
    assert "罗建国已有一条未结束的务工记录" in " ".join(response.context["form"].errors["end_date"])
    response = client.post(url, work_data(home["head"], start_date="2020-01-01", end_date="2020-06-30"))
    assert "该时段与罗建国的务工记录（2019-01-01 – 至今）重叠。" in errors(response)
    assert WorkRecord.objects.count() == 1
    response = client.post(url, work_data(home["head"], start_date="2017-01-01", end_date="2019-01-01"))
    assert response.status_code == 302  # ends the day the next one starts
    assert WorkRecord.objects.count() == 2


def test_an_open_record_for_a_member_marked_not_working_is_refused_by_the_logic_checks(client, users, home):
    client.force_login(users["village"])
    response = client.post(new_work(home["household"]), work_data(home["wife"]))
    assert response.status_code == 200
    text = errors(response)
    assert "逻辑校验发现错误" in text and "MB-029" in text and "潘秀兰" in text
    assert not WorkRecord.objects.exists()
    past = work_data(home["wife"], start_date="2016-01-01", end_date="2018-01-01")
    assert client.post(new_work(home["household"]), past).status_code == 302


def test_editing_a_work_record_keeps_the_trail(client, users, home):
    record = record_for(home["head"])
    client.force_login(users["command"])
    url = reverse("households:work_record_update", args=[record.pk])
    assert client.get(url).context["form"].initial["county"] == "青山县"
    data = work_data(home["head"], start_date="2015-03-01", end_date="2018-06-01", monthly_wage="2800")
    assert client.post(url, data).status_code == 302
    record.refresh_from_db()
    assert record.monthly_wage == Decimal("2800") and record.county == "浙江省宁波市鄞州区"
    latest = record.history.first()
    assert latest.history_type == "~" and latest.history_user == users["command"]
    assert latest.history_change_reason == "修改务工记录"


def test_deleting_a_work_record_asks_first_and_keeps_the_trail(client, users, home):
    record = record_for(home["head"])
    client.force_login(users["village"])
    url = reverse("households:work_record_delete", args=[record.pk])
    page = client.get(url)
    assert "删除这条务工记录？" in page.content.decode() and WorkRecord.objects.exists()
    response = client.post(url)
    assert response.status_code == 302 and not WorkRecord.objects.exists()
    gone = WorkRecord.history.filter(id=record.pk).first()
    assert gone.history_type == "-" and gone.history_user == users["village"]
    assert gone.history_change_reason == "删除务工记录"


# ------------------------------------------------------------------ public-welfare posts


def test_village_cadre_adds_a_post_with_history(client, users, home):
    client.force_login(users["village"])
    response = client.post(new_post(home["household"]), post_data(home["wife"]))
    assert response.status_code == 302
    post = PublicPost.objects.get()
    assert post.member == home["wife"] and post.hired_on.day == 1 and post.months == 12
    trail = post.history.get()
    assert trail.history_user == users["village"] and trail.history_change_reason == "新增公益性岗位"
    page = client.get(home["household"].get_absolute_url()).content.decode()
    assert "保洁员" in page and "潘秀兰的公益性岗位已保存。" in page


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"post_type": ""}, "post_type", "请选择岗位类别。"),
        ({"hired_on": ""}, "hired_on", "请填写聘用时间（年月）。"),
        (
            {"hired_on": (TODAY + datetime.timedelta(days=40)).strftime("%Y-%m")},
            "hired_on",
            "聘用时间不能晚于本月。",
        ),
        ({"hired_on": "2024/05"}, "hired_on", "YYYY-MM"),
        ({"months": ""}, "months", "聘用月数应在1至12之间。"),
        ({"months": "0"}, "months", "聘用月数应在1至12之间。"),
        ({"months": "13"}, "months", "聘用月数应在1至12之间。"),
        ({"monthly_pay": "-5"}, "monthly_pay", "月补贴不能为负数。"),
    ],
)
def test_bad_posts_are_refused_with_a_message_on_the_field(client, users, home, fields, field, message):
    client.force_login(users["township"])
    response = client.post(new_post(home["household"]), post_data(home["wife"], **fields))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not PublicPost.objects.exists()


def test_a_post_for_a_child_is_refused(client, users, home):
    client.force_login(users["township"])
    response = client.post(new_post(home["household"]), post_data(home["son"]))
    assert "罗小明现年12周岁，公益性岗位须年满16周岁。" in " ".join(response.context["form"].errors["member"])
    assert not PublicPost.objects.exists()


def test_a_third_post_is_refused_but_changing_one_of_two_is_fine(client, users, home):
    first, _second = post_for(home["wife"]), post_for(home["wife"], post_type="3")
    client.force_login(users["township"])
    response = client.post(new_post(home["household"]), post_data(home["wife"]))
    assert "潘秀兰已有2个公益性岗位，已达每人上限。" in errors(response)
    assert PublicPost.objects.count() == 2
    url = reverse("households:public_post_update", args=[first.pk])
    assert client.post(url, post_data(home["wife"], months="6")).status_code == 302
    first.refresh_from_db()
    assert first.months == 6 and first.history.first().history_change_reason == "修改公益性岗位"


def test_a_post_at_75_is_saved_with_the_warning_shown(client, users, home):
    client.force_login(users["township"])
    response = client.post(new_post(home["household"]), post_data(home["grandpa"]), follow=True)
    assert PublicPost.objects.filter(member=home["grandpa"]).exists()
    page = response.content.decode()
    assert "MB-024" in page and "70周岁及以上仍有公益性岗位" in page


def test_deleting_a_post_asks_first_and_keeps_the_trail(client, users, home):
    post = post_for(home["wife"])
    client.force_login(users["township"])
    url = reverse("households:public_post_delete", args=[post.pk])
    assert "删除这个公益性岗位？" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert not PublicPost.objects.exists() and "潘秀兰的公益性岗位已删除。" in response.content.decode()
    gone = PublicPost.history.filter(id=post.pk).first()
    assert gone.history_type == "-" and gone.history_user == users["township"]


# ------------------------------------------------------------------ the household page's panel


def test_panel_lists_members_with_records_in_two_queries(users, home, django_assert_num_queries):
    record_for(home["head"])
    record_for(home["head"], start_date=datetime.date(2019, 1, 1), end_date=None)
    post_for(home["wife"])
    post_for(home["grandpa"])
    with django_assert_num_queries(2):
        panel = work_panel(home["household"], users["township"])
        rows = panel["work_rows"]
        assert [row.member.name for row in rows] == ["罗建国", "潘秀兰", "罗老汉"]
        assert [len(row.records) for row in rows] == [2, 0, 0]
        assert [len(row.posts) for row in rows] == [0, 1, 1]
    assert panel["can_edit_work"] is True
    assert work_panel(home["household"], users["inspector"])["can_edit_work"] is False


def test_readers_see_the_panel_without_edit_buttons(client, users, home):
    record = record_for(home["head"])
    client.force_login(users["inspector"])
    page = client.get(home["household"].get_absolute_url()).content.decode()
    assert "务工与公益性岗位" in page and "青山县食品厂" in page
    assert reverse("households:work_record_update", args=[record.pk]) not in page
    assert new_work(home["household"]) not in page
    client.force_login(users["village"])
    page = client.get(home["household"].get_absolute_url()).content.decode()
    assert reverse("households:work_record_update", args=[record.pk]) in page


def test_empty_panel_says_so(client, users, home):
    client.force_login(users["village"])
    page = client.get(home["household"].get_absolute_url()).content.decode()
    assert "尚无务工记录或公益性岗位。" in page
