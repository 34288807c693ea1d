"""Exit pages: the procedure page, scoping (404), the village view's counts, the export."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from households.exit_queries import default_milestones
from households.models import ExitMilestone, ExitProcedure, Household
from povertycase.core.models import ExportLog

from .exit_helpers import eligible_household, procedure_at, step_kwargs


@pytest.fixture
def household(users, county_layout):
    return eligible_household(county_layout["villages"]["v11"])


def login(client, user):
    client.force_login(user)
    return client


def test_household_page_offers_to_start_and_start_opens_the_procedure(client, users, household):
    login(client, users["village"])
    page = client.get(household.get_absolute_url()).content.decode()
    assert "发起" in page and reverse("households:exit_start", args=[household.pk]) in page
    response = client.post(reverse("households:exit_start", args=[household.pk]))
    procedure = ExitProcedure.objects.get(household=household)
    assert response.status_code == 302 and response.url == procedure.get_absolute_url()
    page = client.get(household.get_absolute_url()).content.decode()
    assert reverse("households:exit_start", args=[household.pk]) not in page
    assert procedure.get_absolute_url() in page


def test_helper_sees_no_start_button(client, users, county_layout):
    login(client, users["helper"])
    household = county_layout["households"]["v11"]
    page = client.get(household.get_absolute_url()).content.decode()
    assert reverse("households:exit_start", args=[household.pk]) not in page


def test_procedure_page_lists_the_eight_steps_and_the_next_form(client, users, household):
    procedure = procedure_at(household, users, to=2)
    page = login(client, users["village"]).get(procedure.get_absolute_url()).content.decode()
    for label in (
        "信息核实",
        "民主评议",
        "交叉检查",
        "审核审查",
        "公示公告",
        "核查批准",
        "资料备案",
        "系统标注",
    ):
        assert label in page
    assert "记录第3步" in page and "检查组" in page
    assert "第1步" in page  # the note of step 1


def test_posting_the_next_step_records_it(client, users, household):
    procedure = procedure_at(household, users, to=2)
    day = step_kwargs(3)["date"]
    response = login(client, users["village"]).post(
        procedure.get_absolute_url(), {"date": day.isoformat(), "passed": "1", "checkers": "邻村检查组"}
    )
    assert response.status_code == 302
    step = procedure.steps.get(number=3)
    assert step.details == {"checkers": "邻村检查组"} and step.user == users["village"]


def test_a_refusal_is_shown_in_chinese_and_nothing_saved(client, users, household):
    procedure = procedure_at(household, users, to=0)
    Household.objects.filter(pk=household.pk).update(water_safe=False)
    response = login(client, users["village"]).post(
        procedure.get_absolute_url(), {"date": step_kwargs(1)["date"].isoformat()}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "不符合退出标准" in page and "饮水不安全" in page
    assert not procedure.steps.exists()


def test_a_role_that_may_not_record_sees_no_form_and_cannot_post(client, users, household):
    procedure = procedure_at(household, users, to=5)
    login(client, users["village"])
    page = client.get(procedure.get_absolute_url()).content.decode()
    assert "此步骤由其他角色记录" in page and 'data-testid="step-form"' not in page
    response = client.post(procedure.get_absolute_url(), {"date": timezone.localdate().isoformat()})
    assert response.status_code == 403
    assert procedure.steps.count() == 5


def test_signature_is_recorded_from_the_page(client, users, household):
    procedure = procedure_at(household, users, to=1)
    login(client, users["village"]).post(
        reverse("households:exit_signature", args=[procedure.pk]), {"signed": "0", "signature_note": "不认可"}
    )
    procedure.refresh_from_db()
    assert procedure.household_signed is False and procedure.signature_note == "不认可"


@pytest.mark.parametrize("role", ["village", "township", "helper"])
def test_out_of_scope_procedure_is_404(client, users, county_layout, role):
    other = eligible_household(county_layout["villages"]["v21"])
    procedure = procedure_at(other, {**users, "village": _village_user(county_layout)}, to=1)
    login(client, users[role])
    assert client.get(procedure.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("households:exit_signature", args=[procedure.pk]), {"signed": "1"}).status_code
        == 404
    )
    assert client.post(reverse("households:exit_start", args=[other.pk])).status_code == 404


def _village_user(county_layout):
    from tests.factories import UserFactory

    return UserFactory(role="village", village=county_layout["villages"]["v21"])


def test_village_view_counts_per_step_and_scope(client, users, county_layout):
    v11, v12 = county_layout["villages"]["v11"], county_layout["villages"]["v12"]
    for to in (0, 1, 3, 3, 8):
        procedure_at(eligible_household(v11), users, to=to)
    township_users = {**users, "village": users["township"]}
    procedure_at(eligible_household(v12), township_users, to=4)
    procedure_at(
        eligible_household(county_layout["villages"]["v21"]),
        {**users, "village": _village_user(county_layout)},
        to=2,
    )

    response = login(client, users["village"]).get(reverse("households:exit_list"))
    counts = dict((n, c) for n, _label, c in response.context["counts"])
    assert counts == {0: 1, 1: 1, 2: 0, 3: 2, 4: 0, 5: 0, 6: 0, 7: 0, 8: 1}
    assert response.context["page_obj"].paginator.count == 5

    response = login(client, users["township"]).get(reverse("households:exit_list"))
    assert response.context["total"] == 6
    response = client.get(reverse("households:exit_list"), {"step": "3"})
    assert response.context["page_obj"].paginator.count == 2
    response = client.get(reverse("households:exit_list"), {"village": v12.pk})
    assert response.context["total"] == 1

    response = login(client, users["command"]).get(reverse("households:exit_list"))
    assert response.context["total"] == 7


def test_village_view_marks_overdue_procedures(client, users, county_layout):
    v11 = county_layout["villages"]["v11"]
    today = timezone.localdate()
    year = today.year
    for milestone in default_milestones(year):
        milestone.due_date = (
            today - datetime.timedelta(days=1)
            if milestone.last_step == 3
            else today + datetime.timedelta(days=30)
        )
        milestone.save()
    late = procedure_at(eligible_household(v11), users, to=1)
    on_time = procedure_at(eligible_household(v11), users, to=3)
    response = login(client, users["village"]).get(reverse("households:exit_list"))
    assert response.context["overdue_count"] == 1
    page = response.content.decode()
    assert page.count('data-testid="overdue-badge"') == 1
    response = client.get(reverse("households:exit_list"), {"overdue": "on"})
    assert [p.pk for p in response.context["page_obj"]] == [late.pk]
    assert on_time.pk not in [p.pk for p in response.context["page_obj"]]


def test_export_writes_the_filtered_rows_and_logs(client, users, county_layout):
    v11 = county_layout["villages"]["v11"]
    household = eligible_household(v11)
    procedure_at(household, users, to=3)
    procedure_at(
        eligible_household(county_layout["villages"]["v12"]), {**users, "village": users["township"]}, to=1
    )
    response = login(client, users["township"]).get(reverse("households:exit_export"), {"village": v11.pk})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [row for row in workbook.active.iter_rows(values_only=True) if row and row[2] == household.number]
    assert len(rows) == 1 and rows[0][4].startswith("3 交叉检查")
    log = ExportLog.objects.get(kind="exit_procedures")
    assert log.row_count == 1 and log.user == users["township"] and log.filters == {"village": str(v11.pk)}


def test_milestones_page_is_for_the_command_office(client, users):
    year = timezone.localdate().year
    url = reverse("households:exit_milestones") + f"?year={year}"
    assert login(client, users["township"]).get(url).status_code == 403
    login(client, users["command"])
    assert f"{year}-10-20" in client.get(url).content.decode()  # the §4.3 default before any is stored
    data = {
        "village": f"{year}-10-15",
        "township": f"{year}-10-31",
        "county": f"{year}-11-10",
        "system": f"{year}-11-20",
    }
    assert client.post(url, data).status_code == 302
    assert ExitMilestone.objects.get(year=year, level="village").due_date == datetime.date(year, 10, 15)
    bad = {**data, "county": f"{year}-10-01"}
    page = client.post(url, bad).content.decode()
    assert "不能早于前一层级" in page
    assert ExitMilestone.objects.get(year=year, level="county").due_date == datetime.date(year, 11, 10)


def test_nav_links_to_the_exit_view(client, users):
    page = login(client, users["village"]).get(reverse("home")).content.decode()
    assert reverse("households:exit_list") in page and "退出程序" in page


def test_admin_lists_procedures_read_only(client, users, household, django_user_model):
    procedure_at(household, users, to=2)
    admin = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(admin)
    page = client.get(reverse("admin:households_exitprocedure_changelist"))
    assert page.status_code == 200 and household.number in page.content.decode()
    assert client.get(reverse("admin:households_exitmilestone_changelist")).status_code == 200


def test_step_attachment_is_kept_and_served_in_scope_only(client, users, household, county_layout):
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    procedure = procedure_at(household, users, to=0)
    login(client, users["village"]).post(
        procedure.get_absolute_url(),
        {"date": step_kwargs(1)["date"].isoformat(), "attachment": SimpleUploadedFile("check.png", png)},
    )
    step = procedure.steps.get(number=1)
    url = reverse("households:exit_attachment", args=[step.pk])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == png
    from tests.factories import UserFactory

    stranger = UserFactory(role="village", village=county_layout["villages"]["v21"])
    assert login(client, stranger).get(url).status_code == 404


def test_village_view_query_count_does_not_grow(client, users, county_layout, django_assert_max_num_queries):
    v11 = county_layout["villages"]["v11"]
    procedure_at(eligible_household(v11), users, to=2)
    login(client, users["township"])
    url = reverse("households:exit_list")
    client.get(url)
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    for to in (0, 1, 3, 5, 8, 2, 4, 6):
        procedure_at(eligible_household(v11), users, to=to)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).context["total"] == 9


def test_list_filters_offer_all_not_dashes(client, users):
    page = login(client, users["township"]).get(reverse("households:exit_list")).content.decode()
    assert "---------" not in page and '<option value="" selected>全部</option>' in page


def test_procedure_page_names_who_started_it(client, users, household):
    village = users["village"]
    village.last_name, village.first_name = "刘", "晓东"
    village.save()
    login(client, village).post(reverse("households:exit_start", args=[household.pk]))
    procedure = ExitProcedure.objects.get(household=household)
    page = client.get(procedure.get_absolute_url()).content.decode()
    assert "由刘晓东于" in page
