import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from households.models import MonitoringCase, MonitoringStep
from households.models.monitoring import CaseState
from households.services import monitoring as svc
from povertycase.core.models import Parameter
from povertycase.errors import DomainError
from tests.factories import DepartmentFactory, MemberFactory

from .monitoring_helpers import (
    day,
    decide_risk,
    elimination_data,
    make_eligible,
    register,
    to_risk_open,
    to_township_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(county_layout):
    return make_eligible(county_layout["households"]["v11"])


def states(case):
    return list(case.steps.order_by("date", "pk").values_list("from_state", "to_state"))


def test_full_lifecycle_is_dated_and_kept(users, household):
    village, township, command = users["village"], users["township"], users["command"]
    case = register(household, village)
    assert case.state == CaseState.CLUE and case.created_by == village
    to_township_review(case, village_user=village, township_user=township)
    decide_risk(case, command, category="M3", risks=["R01", "R05"])
    case.refresh_from_db()
    assert (case.state, case.category, case.risk_codes, case.identified_on) == (
        "risk_open",
        "M3",
        ["R01", "R05"],
        day(10),
    )
    svc.case_record_help(
        case=case,
        user=township,
        date=day(20),
        help_given="落实医疗救助 3000 元",
        responsible_department=DepartmentFactory(name="医保局"),
        responsible_person="王医生",
    )
    svc.case_start_elimination(case=case, user=village, **elimination_data())
    svc.case_approve_elimination(case=case, user=command, date=day(215), note="县级审定公告")
    case.refresh_from_db()
    assert case.state == "risk_eliminated" and case.eliminated_on == day(215)
    assert case.elimination_method == "1" and case.contact_phone == "13900001111"
    svc.case_reopen(case=case, user=command, date=day(250), risks=["R07"], note="务工中断")
    case.refresh_from_db()
    assert case.state == "risk_open" and case.risk_codes == ["R07"] and case.eliminated_on is None
    assert case.identified_on == day(250)
    assert states(case) == [
        ("", "clue"),
        ("clue", "verifying"),
        ("verifying", "in_notice"),
        ("in_notice", "township_reviewed"),
        ("township_reviewed", "risk_open"),
        ("risk_open", "risk_open"),
        ("risk_open", "elimination_notice"),
        ("elimination_notice", "risk_eliminated"),
        ("risk_eliminated", "risk_open"),
    ]
    actors = list(case.steps.order_by("date", "pk").values_list("actor__username", flat=True))
    assert actors == [
        "village1",
        "village1",
        "village1",
        "township1",
        "command1",
        "township1",
        "village1",
        "command1",
        "command1",
    ]
    assert case.history.count() >= 9


@pytest.mark.parametrize("outcome", ["rejected", "no_risk"])
def test_county_may_find_no_risk_with_a_reason(users, household, outcome):
    case = register(household, users["village"])
    to_township_review(case, village_user=users["village"], township_user=users["township"])
    with pytest.raises(DomainError, match="原因"):
        svc.case_county_decision(case=case, user=users["command"], date=day(10), outcome=outcome)
    svc.case_county_decision(case=case, user=users["command"], date=day(10), outcome=outcome, note="收入稳定")
    case.refresh_from_db()
    assert case.state == outcome and not case.is_open and case.identified_on is None
    register(household, users["village"], clue_date=day(40))  # closed: a new clue is possible


def test_risk_open_requires_category_and_a_risk(users, household):
    case = register(household, users["village"])
    to_township_review(case, village_user=users["village"], township_user=users["township"])
    with pytest.raises(DomainError, match="监测对象类别"):
        decide_risk(case, users["command"], category="")
    with pytest.raises(DomainError, match="至少选择一项风险"):
        decide_risk(case, users["command"], risks=[])
    with pytest.raises(DomainError, match="其他"):
        decide_risk(case, users["command"], risks=["R99"])
    case.refresh_from_db()
    assert case.state == "township_reviewed" and case.steps.count() == 4


def test_late_decision_is_allowed_with_a_warning(users, household):
    case = register(household, users["village"])
    to_township_review(case, village_user=users["village"], township_user=users["township"])
    decide_risk(case, users["command"], date=day(20))
    note = case.steps.get(to_state="risk_open").note
    assert "20" in note and "15" in note and "超过" in note


def test_timely_decision_has_no_warning(users, household):
    case = to_risk_open(household, users)
    assert "超过" not in case.steps.get(to_state="risk_open").note


ILLEGAL = [
    ("clue", "start_notice"),
    ("clue", "township_review"),
    ("clue", "county_decision"),
    ("verifying", "township_review"),
    ("in_notice", "county_decision"),
    ("township_reviewed", "start_elimination"),
    ("risk_open", "approve_elimination"),
    ("risk_open", "reopen"),
    ("risk_eliminated", "start_elimination"),
]


def _call(action, case, users):
    command = users["command"]
    calls = {
        "start_notice": lambda: svc.case_start_notice(
            case=case, user=command, notice_start=day(2), notice_end=day(6)
        ),
        "township_review": lambda: svc.case_township_review(case=case, user=command, date=day(8)),
        "county_decision": lambda: decide_risk(case, command),
        "start_elimination": lambda: svc.case_start_elimination(
            case=case, user=command, **elimination_data()
        ),
        "approve_elimination": lambda: svc.case_approve_elimination(case=case, user=command, date=day(215)),
        "reopen": lambda: svc.case_reopen(case=case, user=command, date=day(250), risks=["R01"]),
    }
    return calls[action]()


def _case_in(state, household, users):
    case = register(household, users["village"])
    if state == "clue":
        return case
    svc.case_start_verification(case=case, user=users["village"], date=day(1))
    if state == "verifying":
        return case
    svc.case_start_notice(case=case, user=users["village"], notice_start=day(2), notice_end=day(6))
    if state == "in_notice":
        return case
    svc.case_township_review(case=case, user=users["township"], date=day(8))
    if state == "township_reviewed":
        return case
    decide_risk(case, users["command"])
    if state == "risk_open":
        return case
    svc.case_start_elimination(case=case, user=users["village"], **elimination_data())
    svc.case_approve_elimination(case=case, user=users["command"], date=day(215))
    return case


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_illegal_transition_is_refused(users, household, state, action):
    case = _case_in(state, household, users)
    steps = case.steps.count()
    with pytest.raises(DomainError, match="当前不能进行此步骤"):
        _call(action, case, users)
    case.refresh_from_db()
    assert case.state == state and case.steps.count() == steps


def test_natural_elimination_needs_a_reason(users, household):
    case = to_risk_open(household, users)
    with pytest.raises(DomainError, match="死亡"):
        svc.case_eliminate_natural(case=case, user=users["command"], date=day(30), reason="")
    svc.case_eliminate_natural(case=case, user=users["command"], date=day(30), reason="death")
    case.refresh_from_db()
    assert case.state == "eliminated_natural" and case.elimination_method == "2"
    assert "全户死亡" in case.steps.last().note


@pytest.mark.parametrize(
    ("role", "action"),
    [
        ("village", "county_decision"),
        ("township", "county_decision"),
        ("village", "township_review"),
        ("village", "approve_elimination"),
        ("township", "reopen"),
    ],
)
def test_roles_that_may_not_take_a_step(users, household, role, action):
    start = {
        "county_decision": "township_reviewed",
        "township_review": "in_notice",
        "approve_elimination": "elimination_notice",
        "reopen": "risk_eliminated",
    }[action]
    case = _case_in("risk_open" if start == "elimination_notice" else start, household, users)
    if start == "elimination_notice":
        svc.case_start_elimination(case=case, user=users["village"], **elimination_data())
    user = users[role]
    calls = {
        "county_decision": lambda: decide_risk(case, user),
        "township_review": lambda: svc.case_township_review(case=case, user=user, date=day(8)),
        "approve_elimination": lambda: svc.case_approve_elimination(case=case, user=user, date=day(215)),
        "reopen": lambda: svc.case_reopen(case=case, user=user, date=day(250), risks=["R01"]),
    }
    with pytest.raises(DomainError, match="县指挥部|无权"):
        calls[action]()
    case.refresh_from_db()
    assert case.state == start


@pytest.mark.parametrize("role", ["helper", "inspector"])
def test_readers_may_not_register_a_clue(users, household, role):
    with pytest.raises(DomainError, match="无权登记"):
        register(household, users[role])
    assert not MonitoringCase.objects.exists()


def test_department_may_register_a_warning(users, household):
    case = register(household, users["department"], channel="3")
    assert case.channel == "3"


def test_clue_outside_the_area_is_refused(users, county_layout):
    with pytest.raises(DomainError, match="不在您的管辖范围"):
        register(county_layout["households"]["v21"], users["township"])


def test_one_open_case_per_household(users, household):
    first = register(household, users["village"])
    with pytest.raises(DomainError, match="已有未办结的监测案件"):
        register(household, users["township"], clue_date=day(3))
    assert list(MonitoringCase.objects.values_list("pk", flat=True)) == [first.pk]


def test_clue_date_in_the_future_is_refused(users, household):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(DomainError, match="线索日期不能晚于今天"):
        register(household, users["village"], clue_date=tomorrow)
    assert not MonitoringCase.objects.exists()


def test_clue_needs_a_text_and_a_known_channel(users, household):
    with pytest.raises(DomainError, match="发现方式"):
        register(household, users["village"], channel="9")
    with pytest.raises(DomainError, match="线索内容"):
        register(household, users["village"], text="  ")
    assert not MonitoringCase.objects.exists()


def test_notice_shorter_than_the_parameter_is_refused(users, household):
    case = register(household, users["village"])
    svc.case_start_verification(case=case, user=users["village"], date=day(1))
    with pytest.raises(DomainError, match="至少公示5天"):
        svc.case_start_notice(case=case, user=users["village"], notice_start=day(2), notice_end=day(5))
    Parameter.objects.filter(name="monitoring_notice_days").update(value=7)
    with pytest.raises(DomainError, match="至少公示7天"):
        svc.case_start_notice(case=case, user=users["village"], notice_start=day(2), notice_end=day(6))
    svc.case_start_notice(case=case, user=users["village"], notice_start=day(2), notice_end=day(8))
    case.refresh_from_db()
    assert case.state == "in_notice" and (case.notice_start, case.notice_end) == (day(2), day(8))


def test_township_review_only_after_the_notice_ended(users, household):
    case = register(household, users["village"])
    svc.case_start_verification(case=case, user=users["village"], date=day(1))
    svc.case_start_notice(case=case, user=users["village"], notice_start=day(2), notice_end=day(6))
    with pytest.raises(DomainError, match="公示期结束后"):
        svc.case_township_review(case=case, user=users["township"], date=day(6))
    svc.case_township_review(case=case, user=users["township"], date=day(7))


def test_step_dates_cannot_go_back_or_into_the_future(users, household):
    case = register(household, users["village"], clue_date=day(5))
    with pytest.raises(DomainError, match="上一步"):
        svc.case_start_verification(case=case, user=users["village"], date=day(4))
    with pytest.raises(DomainError, match="不能晚于今天"):
        svc.case_start_verification(
            case=case, user=users["village"], date=timezone.localdate() + datetime.timedelta(days=1)
        )


def test_a_forged_attachment_is_refused(users, household):
    case = register(household, users["village"])
    fake = SimpleUploadedFile("scan.png", b"not an image", content_type="image/png")
    with pytest.raises(DomainError, match="不符"):
        svc.case_start_verification(case=case, user=users["village"], date=day(1), attachment=fake)
    assert case.steps.count() == 1


def test_reopen_refused_while_the_household_has_another_open_case(users, household):
    case = _case_in("risk_eliminated", household, users)
    register(household, users["village"], clue_date=day(240))
    with pytest.raises(DomainError, match="已有未办结的监测案件"):
        svc.case_reopen(case=case, user=users["command"], date=day(250), risks=["R01"])
    case.refresh_from_db()
    assert case.state == "risk_eliminated"


# ------------------------------------------------------------------ elimination criteria


@pytest.fixture
def open_case(users, household):
    return to_risk_open(household, users)


def _blockers(case, on=None):
    case.refresh_from_db()
    return svc.elimination_blockers(case, on or day(210))


def _ready(case):
    case.post_income_per_capita, case.post_guarantees_secure = 9000, True
    case.contact_name, case.contact_phone = "刘晓东", "13900001111"
    return case


def test_a_ready_case_has_no_blocker(open_case):
    assert svc.elimination_blockers(_ready(open_case), day(210)) == []


def test_blocker_less_than_six_months(open_case):
    open_case.refresh_from_db()
    blockers = svc.elimination_blockers(_ready(open_case), day(100))
    assert any("不足6个月" in b for b in blockers)


def test_blocker_month_of_identification_or_next(open_case):
    Parameter.objects.filter(name="monitoring_min_months").update(value=0)
    _ready(open_case)
    assert any("当月或次月" in b for b in svc.elimination_blockers(open_case, day(12)))
    later = svc.elimination_blockers(open_case, day(10 + 70))
    assert not any("当月或次月" in b for b in later)


def test_blocker_income_below_the_range(open_case):
    open_case.household.incomes.update(wage_income=5000)
    for record in open_case.household.incomes.all():
        record.save()  # recompute per-capita
    blockers = svc.elimination_blockers(_ready(open_case), day(210))
    assert any("低于监测范围" in b and "7500" in b for b in blockers)


def test_blocker_nobody_with_labour(open_case):
    open_case.household.members.update(labour="5")
    blockers = svc.elimination_blockers(_ready(open_case), day(210))
    assert any("无劳动能力" in b for b in blockers)


def test_weak_labour_is_labour_for_elimination_as_in_mn_020(open_case):
    # DOMAIN §5.4: only a household whose members are all 丧失/无劳动力 is never eliminated.
    open_case.household.members.update(labour="3")
    blockers = svc.elimination_blockers(_ready(open_case), day(210))
    assert not any("无劳动能力" in b for b in blockers)


def test_blocker_child_out_of_school(open_case):
    on = day(210)
    MemberFactory(
        household=open_case.household,
        relation="03",
        id_number=None,
        birth_date=on.replace(year=on.year - 10),
        student_status="00",
        labour="5",
    )
    assert any("失学辍学" in b for b in svc.elimination_blockers(_ready(open_case), on))


def test_blocker_unsafe_water_and_dangerous_house(open_case):
    household = open_case.household
    household.water_safe, household.housing_grade = False, "D"
    household.save()
    open_case.household = household
    blockers = svc.elimination_blockers(_ready(open_case), day(210))
    assert any("饮水" in b for b in blockers) and any("危房" in b for b in blockers)


def test_blocker_no_measure(open_case):
    open_case.household.measures.all().delete()
    assert any("帮扶措施" in b for b in svc.elimination_blockers(_ready(open_case), day(210)))


def test_blocker_post_indicators_and_contact(open_case):
    blockers = svc.elimination_blockers(open_case, day(210))
    assert any("消除后" in b for b in blockers) and any("联系人" in b for b in blockers)


def test_start_elimination_lists_every_failed_criterion_and_saves_nothing(users, open_case):
    open_case.household.members.update(labour="4")
    open_case.household.measures.all().delete()
    with pytest.raises(DomainError) as refused:
        svc.case_start_elimination(
            case=open_case, user=users["village"], **elimination_data(date=day(100), contact_phone="")
        )
    message = refused.value.message
    for part in ("不足6个月", "无劳动能力", "帮扶措施", "联系人"):
        assert part in message
    open_case.refresh_from_db()
    assert open_case.state == "risk_open" and open_case.contact_name == "" and open_case.steps.count() == 5


def test_approval_rechecks_the_criteria(users, open_case):
    svc.case_start_elimination(case=open_case, user=users["village"], **elimination_data())
    open_case.household.members.update(labour="5")
    with pytest.raises(DomainError, match="无劳动能力"):
        svc.case_approve_elimination(case=open_case, user=users["command"], date=day(215))
    open_case.refresh_from_db()
    assert open_case.state == "elimination_notice"


def test_allowed_actions_follow_role_and_state(users, open_case):
    assert svc.allowed_actions(users["command"], open_case) == [
        "record_help",
        "start_elimination",
        "eliminate_natural",
    ]
    assert svc.allowed_actions(users["village"], open_case) == ["record_help", "start_elimination"]
    assert svc.allowed_actions(users["inspector"], open_case) == []
    assert MonitoringStep.objects.filter(case=open_case).count() == 5


# ------------------------------------------------------------------ demo data


def _demo_cases():
    return list(
        MonitoringCase.objects.order_by("household__number").values_list(
            "household__number", "state", "clue_date", "category", "risks"
        )
    )


def test_demo_cases_follow_the_rules(db):
    from households import demo

    as_of = datetime.date(2026, 6, 30)
    result = demo.build_demo(households=400, seed=3, as_of=as_of)
    assert result.monitoring == MonitoringCase.objects.count()
    assert 0.02 <= result.monitoring / result.households <= 0.035
    states = {state for _n, state, *_rest in _demo_cases()}
    assert len(states) >= 4 and "risk_eliminated" in states
    for case in MonitoringCase.objects.prefetch_related("steps"):
        steps = list(case.steps.order_by("date", "pk"))
        assert steps[0].to_state == "clue" and steps[-1].to_state == case.state
        assert [s.date for s in steps] == sorted(s.date for s in steps) and steps[-1].date <= as_of
        if case.notice_start:
            assert (case.notice_end - case.notice_start).days + 1 >= 5
        if case.state == "risk_eliminated":
            assert svc.elimination_blockers(case, case.eliminated_on) == []
        if case.state in ("risk_open", "elimination_notice", "risk_eliminated"):
            assert case.category and case.risk_codes and case.identified_on
    first = _demo_cases()
    demo.reset_demo()
    demo.build_demo(households=400, seed=3, as_of=as_of)
    assert _demo_cases() == first
