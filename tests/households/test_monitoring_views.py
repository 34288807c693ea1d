import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from households.models import MonitoringCase
from households.services import monitoring as svc
from povertycase.core.models import ExportLog
from tests.factories import HouseholdFactory, MemberFactory, MonitoringCaseFactory

from .monitoring_helpers import day, decide_risk, make_eligible, register, to_risk_open, to_township_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(users, county_layout):
    """v11 (township 1) monitored as M1 with R01; v21 (township 2) monitored as M3 with R05; v12 a clue."""
    households = county_layout["households"]
    for key in ("v11", "v12", "v21"):
        make_eligible(households[key])
    v11 = to_risk_open(households["v11"], users)
    v21 = register(households["v21"], users["command"], channel="3")
    to_township_review(v21, village_user=users["command"], township_user=users["command"])
    decide_risk(v21, users["command"], category="M3", risks=["R05"])
    v12 = register(households["v12"], users["township"], channel="1")
    return {"v11": v11, "v21": v21, "v12": v12}


def login(client, user):
    client.force_login(user)
    return client


def listed(client, **params):
    response = client.get(reverse("households:monitoring_list"), params)
    assert response.status_code == 200
    return {case.household.number for case in response.context["page_obj"]}, response


def test_list_is_scoped(client, users, cases):
    numbers, _ = listed(login(client, users["township"]))
    assert numbers == {cases["v11"].household.number, cases["v12"].household.number}
    numbers, _ = listed(login(client, users["village"]))
    assert numbers == {cases["v11"].household.number}
    numbers, _ = listed(login(client, users["helper"]))
    assert numbers == {cases["v11"].household.number}  # the helper's own household


def test_list_filters(client, users, cases, county_layout):
    client = login(client, users["command"])
    t1, t2 = county_layout["townships"]
    v11, v21, v12 = (cases[k].household.number for k in ("v11", "v21", "v12"))
    assert listed(client, township=t2.pk)[0] == {v21}
    assert listed(client, village=county_layout["villages"]["v12"].pk)[0] == {v12}
    assert listed(client, category="M3")[0] == {v21}
    assert listed(client, state="clue")[0] == {v12}
    assert listed(client, state="monitored")[0] == {v11, v21}
    assert listed(client, state="assessing")[0] == {v12}
    assert listed(client, channel="3")[0] == {v21}
    assert listed(client, risk="R01")[0] == {v11}


def test_counts_by_category_and_township(client, users, cases, county_layout):
    _, response = listed(login(client, users["command"]))
    counts = {code: n for code, _label, n in response.context["categories"]}
    assert counts == {"M1": 1, "M2": 0, "M3": 1}
    assert response.context["assessing"] == 1
    t1, t2 = county_layout["townships"]
    townships = {row["household__village__township_id"]: row for row in response.context["townships"]}
    assert (townships[t1.pk]["monitored"], townships[t1.pk]["n"]) == (1, 2)
    assert (townships[t2.pk]["monitored"], townships[t2.pk]["n"]) == (1, 1)
    page = response.content.decode()
    assert "脱贫不稳定户" in page and "突发严重困难户" in page and "防返贫监测" in page


def test_counts_follow_the_filter(client, users, cases, county_layout):
    _, response = listed(login(client, users["command"]), township=county_layout["townships"][0].pk)
    assert {code: n for code, _label, n in response.context["categories"]} == {"M1": 1, "M2": 0, "M3": 0}


def test_list_is_paginated(client, users, county_layout):
    village = county_layout["villages"]["v11"]
    for _ in range(svc_page_size() + 3):
        MonitoringCaseFactory(household=HouseholdFactory(village=village))
    client = login(client, users["village"])
    assert len(listed(client)[0]) == svc_page_size()
    assert len(listed(client, page=2)[0]) == 3


def svc_page_size():
    from households.views_monitoring import PAGE_SIZE

    return PAGE_SIZE


def test_export_writes_the_filtered_list_and_a_log(client, users, cases):
    client = login(client, users["command"])
    response = client.get(reverse("households:monitoring_export"), {"state": "monitored"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    data = [r for r in rows if r[2] in {cases["v11"].household.number, cases["v21"].household.number}]
    assert len(data) == 2
    v21 = next(r for r in data if r[2] == cases["v21"].household.number)
    assert v21[4] == "突发严重困难户" and v21[5] == "风险未消除" and v21[6] == "部门筛查预警"
    assert v21[8] == "因意外事故"
    assert cases["v12"].household.number not in {r[2] for r in rows}
    log = ExportLog.objects.get()
    assert (log.kind, log.row_count, log.filters, log.user) == (
        "monitoring",
        2,
        {"state": "monitored"},
        users["command"],
    )


def test_export_is_scoped(client, users, cases):
    response = login(client, users["township"]).get(reverse("households:monitoring_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    numbers = {row[2].value for row in sheet.iter_rows()}
    assert cases["v21"].household.number not in numbers and cases["v11"].household.number in numbers


def test_case_outside_the_area_is_404(client, users, cases):
    client = login(client, users["township"])
    assert client.get(reverse("households:monitoring_detail", args=[cases["v21"].pk])).status_code == 404
    url = reverse("households:monitoring_action", args=[cases["v21"].pk, "record_help"])
    assert client.post(url, {}).status_code == 404
    assert client.get(reverse("households:monitoring_detail", args=[cases["v11"].pk])).status_code == 200


def test_case_page_shows_the_timeline_and_only_the_users_forms(client, users, cases):
    url = reverse("households:monitoring_detail", args=[cases["v11"].pk])
    response = login(client, users["village"]).get(url)
    actions = [item["action"] for item in response.context["action_forms"]]
    assert actions == ["record_help", "start_elimination"]
    page = response.content.decode()
    assert "乡镇初审" in page and "风险未消除" in page and "因病" in page
    assert 'data-testid="action-eliminate_natural"' not in page
    response = login(client, users["command"]).get(url)
    assert "eliminate_natural" in [item["action"] for item in response.context["action_forms"]]
    response = login(client, users["inspector"]).get(url)
    assert response.context["action_forms"] == []


def test_township_cadre_moves_a_clue_on(client, users, cases):
    case = cases["v12"]
    client = login(client, users["township"])
    url = reverse("households:monitoring_action", args=[case.pk, "start_verification"])
    response = client.post(
        url, {"start_verification-date": day(1).isoformat(), "start_verification-note": "已核实"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "verifying" and case.steps.last().note == "已核实"


def test_refusal_is_shown_in_chinese_and_nothing_saved(client, users, cases):
    case = cases["v12"]
    svc.case_start_verification(case=case, user=users["township"], date=day(1))
    client = login(client, users["township"])
    url = reverse("households:monitoring_action", args=[case.pk, "start_notice"])
    response = client.post(
        url, {"start_notice-notice_start": day(2).isoformat(), "start_notice-notice_end": day(3).isoformat()}
    )
    assert response.status_code == 200
    assert "村级公示须至少公示5天" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "verifying" and case.notice_start is None


def test_elimination_refusal_lists_the_criteria(client, users, cases):
    case = cases["v11"]
    case.household.members.update(labour="5")
    url = reverse("households:monitoring_action", args=[case.pk, "start_elimination"])
    response = login(client, users["village"]).post(
        url,
        {
            "start_elimination-date": day(100).isoformat(),
            "start_elimination-post_income_per_capita": "9000",
            "start_elimination-post_guarantees_secure": "1",
            "start_elimination-contact_name": "刘晓东",
            "start_elimination-contact_phone": "13900001111",
        },
    )
    page = response.content.decode()
    assert "暂不能标注风险消除" in page and "不足6个月" in page and "全户无劳动能力" in page
    case.refresh_from_db()
    assert case.state == "risk_open"


def test_a_step_the_role_may_not_take_is_forbidden(client, users, cases):
    case = cases["v12"]
    svc.case_start_verification(case=case, user=users["township"], date=day(1))
    url = reverse("households:monitoring_action", args=[cases["v11"].pk, "eliminate_natural"])
    response = login(client, users["village"]).post(url, {"eliminate_natural-date": day(30).isoformat()})
    assert response.status_code == 403
    assert MonitoringCase.objects.get(pk=cases["v11"].pk).state == "risk_open"


def test_command_decides_through_the_page(client, users, county_layout):
    household = make_eligible(county_layout["households"]["v22"])
    case = register(household, users["command"])
    to_township_review(case, village_user=users["command"], township_user=users["command"])
    url = reverse("households:monitoring_action", args=[case.pk, "county_decision"])
    response = login(client, users["command"]).post(
        url,
        {
            "county_decision-date": day(10).isoformat(),
            "county_decision-outcome": "risk_open",
            "county_decision-category": "M2",
            "county_decision-risks": ["R01", "R07"],
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.state, case.category, case.risk_codes) == ("risk_open", "M2", ["R01", "R07"])


def test_register_a_clue_through_the_page(client, users, county_layout):
    household = county_layout["households"]["v11"]
    client = login(client, users["village"])
    url = reverse("households:monitoring_clue_create", args=[household.pk])
    assert client.get(url).status_code == 200
    data = {"channel": "1", "clue_date": day(0).isoformat(), "reporter": "户主", "text": "申请纳入监测"}
    response = client.post(url, data)
    case = MonitoringCase.objects.get(household=household)
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    response = client.post(url, data)
    assert "已有未办结的监测案件" in response.content.decode()
    assert MonitoringCase.objects.filter(household=household).count() == 1


@pytest.mark.parametrize("role", ["helper", "inspector"])
def test_readers_cannot_register_clues(client, users, county_layout, role):
    url = reverse("households:monitoring_clue_create", args=[county_layout["households"]["v11"].pk])
    assert login(client, users[role]).get(url).status_code == 403


def test_clue_for_a_household_outside_the_area_is_404(client, users, county_layout):
    url = reverse("households:monitoring_clue_create", args=[county_layout["households"]["v21"].pk])
    assert login(client, users["village"]).get(url).status_code == 404


def test_risk_groups_count_per_township_and_link_to_the_list(client, users, county_layout):
    households = county_layout["households"]
    MemberFactory(household=households["v11"], health="3")
    MemberFactory(household=households["v21"], health="3")
    t1, t2 = county_layout["townships"]
    client = login(client, users["command"])
    response = client.get(reverse("households:monitoring_risks"))
    rows = {row["township_id"]: {f.key: n for f, n in row["counts"]} for row in response.context["rows"]}
    assert rows[t1.pk]["serious_illness"] == 1 and rows[t2.pk]["serious_illness"] == 1
    link = reverse("households:monitoring_risk_households", args=["serious_illness"]) + f"?township={t2.pk}"
    assert link in response.content.decode()
    response = client.get(link)
    assert [h.number for h in response.context["page_obj"]] == [households["v21"].number]


def test_risk_groups_are_scoped(client, users, county_layout):
    MemberFactory(household=county_layout["households"]["v21"], health="3")
    t1, t2 = county_layout["townships"]
    client = login(client, users["township"])
    response = client.get(reverse("households:monitoring_risks"))
    assert [row["township_id"] for row in response.context["rows"]] == [t1.pk]
    url = reverse("households:monitoring_risk_households", args=["serious_illness"])
    assert client.get(url, {"township": t2.pk}).status_code == 404
    assert client.get(url).context["page_obj"].paginator.count == 0
    assert client.get(reverse("households:monitoring_risk_households", args=["nope"])).status_code == 404


def test_household_page_shows_flags_and_the_case(client, users, cases):
    household = cases["v11"].household
    MemberFactory(household=household, relation="03", health="3")
    page = login(client, users["village"]).get(household.get_absolute_url()).content.decode()
    assert 'data-testid="monitoring-panel"' in page and "患有大病" in page
    assert cases["v11"].get_absolute_url() in page and "风险未消除" in page
    assert reverse("households:monitoring_clue_create", args=[household.pk]) not in page  # open case


def test_nav_link_for_cadres_only(client, users):
    link = reverse("households:monitoring_list")
    assert link in login(client, users["village"]).get(reverse("home")).content.decode()
    assert link not in login(client, users["helper"]).get(reverse("home")).content.decode()


def test_admin_lists_cases_read_only_and_scoped(client, users, cases):
    cadre = users["township"]
    cadre.is_staff = True
    cadre.save()
    cadre.user_permissions.add(Permission.objects.get(codename="view_monitoringcase"))
    client = login(client, cadre)
    page = client.get(reverse("admin:households_monitoringcase_changelist")).content.decode()
    assert cases["v11"].household.number in page and cases["v21"].household.number not in page
    hidden = reverse("admin:households_monitoringcase_change", args=[cases["v21"].pk])
    assert client.get(hidden).status_code in {302, 404}
    shown = client.get(reverse("admin:households_monitoringcase_change", args=[cases["v11"].pk]))
    assert shown.status_code == 200 and "乡镇初审" in shown.content.decode()


def test_step_evidence_is_served_in_scope_only(client, users, cases, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from households.models import MonitoringStep

    settings.MEDIA_ROOT = tmp_path
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
    step = MonitoringStep.objects.filter(case=cases["v11"]).first()
    step.attachment = SimpleUploadedFile("scan.png", png)
    step.save()
    url = reverse("households:monitoring_step_attachment", args=[step.pk])
    response = login(client, users["township"]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == png
    assert response["Content-Type"] == "image/png"
    other = MonitoringStep.objects.filter(case=cases["v21"]).first()
    assert client.get(reverse("households:monitoring_step_attachment", args=[other.pk])).status_code == 404
    no_file = MonitoringStep.objects.filter(case=cases["v11"]).exclude(pk=step.pk).first()
    assert client.get(reverse("households:monitoring_step_attachment", args=[no_file.pk])).status_code == 404


def test_list_query_count_does_not_grow_with_cases(
    client, users, county_layout, django_assert_max_num_queries
):
    village = county_layout["villages"]["v11"]
    MonitoringCaseFactory(household=HouseholdFactory(village=village))
    client = login(client, users["command"])
    client.get(reverse("households:monitoring_list"))
    with django_assert_max_num_queries(30) as few:
        listed(client)
    for _ in range(8):
        MonitoringCaseFactory(household=HouseholdFactory(village=county_layout["villages"]["v21"]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        listed(client)
