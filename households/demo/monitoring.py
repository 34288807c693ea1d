"""防返贫 monitoring cases for the demo: about 3% of households, in every state of §5.4.

Dates follow the rules the services enforce (notice ≥ the parameter, review after the notice,
decision within the limit, assisted elimination ≥ the minimum months after identification),
and a case is shown eliminated only for a household that meets every elimination criterion
(`elimination_blockers` is empty). A random stream of its own, deterministic for a seed.
"""

import datetime
import random

from django.contrib.auth import get_user_model
from simple_history.utils import bulk_create_with_history

from households.models import Department, Household, Member, MonitoringCase, MonitoringStep
from households.models.monitoring import CaseState
from households.models.register import join_codes
from households.services.monitoring import (
    ASSISTED,
    NATURAL,
    _add_months,
    elimination_blockers,
    notice_days,
)
from households.services.monitoring import parameter as county_parameter

from .writer import CHANGE_REASON

SHARE = 0.03
MAX_ELIMINATION_TRIES = 200
S = CaseState
STATE_WEIGHTS = {
    S.CLUE: 8,
    S.VERIFYING: 7,
    S.IN_NOTICE: 7,
    S.TOWNSHIP_REVIEWED: 8,
    S.REJECTED: 4,
    S.NO_RISK: 5,
    S.RISK_OPEN: 35,
    S.ELIMINATION_NOTICE: 6,
    S.RISK_ELIMINATED: 14,
    S.ELIMINATED_NATURAL: 6,
}
HOME_STATES = (S.CLUE, S.IN_NOTICE, S.TOWNSHIP_REVIEWED, S.RISK_OPEN)  # work waiting for the demo cadres
PATH = [S.CLUE, S.VERIFYING, S.IN_NOTICE, S.TOWNSHIP_REVIEWED]
CLUES = {
    "R01": "家庭成员患大病住院，自付医疗费用较高",
    "R02": "家庭成员重度残疾，需长期照料",
    "R04": "暴雨导致房屋受损、农作物绝收",
    "R05": "户主务工时意外受伤，暂时无法劳动",
    "R06": "养殖项目失败，投入无法收回",
    "R07": "主要劳动力务工中断，收入明显下降",
}
# The remark CM-008 asks for: 因自然灾害's sub-item, 其他's description.
RISK_REMARKS = {"R04": "洪涝灾害", "R99": "家庭变故"}
HELP = {
    "R01": ("医保局", "落实大病保险和医疗救助，签约家庭医生"),
    "R02": ("残联", "落实残疾人两项补贴，安排康复服务"),
    "R04": ("住建局", "落实危房修缮补助和农业保险理赔"),
    "R05": ("民政局", "落实临时救助，协调工伤赔付"),
    "R06": ("农业农村局", "提供产业技术指导，落实产业奖补"),
    "R07": ("人社局", "推荐就近务工岗位，开展技能培训"),
}
REPORTERS = ("户主本人", "村文书", "驻村工作队", "帮扶责任人", "乡镇民政办", "医保局")


def build_monitoring(*, as_of: datetime.date, seed: int) -> int:
    """Create the cases and their steps; returns the number of cases."""
    rng = random.Random(f"monitoring-{seed}")
    accounts = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=("command", "township", "village"))
    }
    if "command" not in accounts:
        return 0
    households = list(Household.objects.select_related("village").order_by("number"))
    if not households:
        return 0
    chosen = _choose(rng, households, accounts)
    cases, steps = [], []
    for household, state in chosen:
        built = _build_case(rng, household, state, as_of, accounts)
        if built:
            cases.append(built[0])
            steps.append(built[1])
    if not any(case.state == S.RISK_ELIMINATED for case in cases):
        taken = {household.pk for household, _state in chosen}
        built = _one_eliminated(rng, [h for h in households if h.pk not in taken], as_of, accounts)
        if built:
            cases.append(built[0])
            steps.append(built[1])
    bulk_create_with_history(
        cases, MonitoringCase, default_user=accounts["command"], default_change_reason=CHANGE_REASON
    )
    rows = []
    for case, case_steps in zip(cases, steps, strict=True):
        for step in case_steps:
            step.case = case
            rows.append(step)
    MonitoringStep.objects.bulk_create(rows)
    return len(cases)


def _one_eliminated(rng, candidates, as_of, accounts):
    """The demo shows at least one eliminated risk: try households until one meets the criteria."""
    for household in rng.sample(candidates, min(MAX_ELIMINATION_TRIES, len(candidates))):
        built = _build_case(rng, household, S.RISK_ELIMINATED, as_of, accounts)
        if built and built[0].state == S.RISK_ELIMINATED:
            return built
    return None


def _choose(rng, households, accounts) -> list[tuple[Household, str]]:
    total = max(1, round(len(households) * SHARE))
    village = getattr(getattr(accounts.get("village"), "profile", None), "village_id", None)
    home = [h for h in households if h.village_id == village]
    picked = rng.sample(home, min(len(HOME_STATES), len(home)))
    chosen = list(zip(picked, HOME_STATES, strict=False))
    taken = {h.pk for h in picked}
    rest = [h for h in households if h.pk not in taken]
    states, weights = zip(*STATE_WEIGHTS.items(), strict=True)
    for household in rng.sample(rest, min(max(total - len(chosen), 0), len(rest))):
        chosen.append((household, rng.choices(states, weights=weights)[0]))
    return chosen


def _actor(household, accounts, level):
    """The cadre who would take a village- or township-level step for this household."""
    village, township = accounts.get("village"), accounts.get("township")
    if level == "village" and village and village.profile.village_id == household.village_id:
        return village
    if (
        level in ("village", "township")
        and township
        and township.profile.township_id == household.village.township_id
    ):
        return township
    return accounts["command"]


def _risks(rng, household) -> list[str]:
    members = Member.objects.filter(household=household, status="1")
    risks = []
    if members.filter(health="3").exists():
        risks.append("R01")
    if members.filter(health="4").exists():
        risks.append("R02")
    if not risks or rng.random() < 0.4:
        risks.append(rng.choice(("R04", "R05", "R06", "R07")))
    return risks


def _build_case(rng, household, state, as_of, accounts):
    notice_len = notice_days() + rng.randint(0, 1)
    decided = state not in PATH
    eliminating = state in (S.ELIMINATION_NOTICE, S.RISK_ELIMINATED)
    min_months = int(county_parameter("monitoring_min_months", 6))
    path_days = 1 + 1 + notice_len + 1 + (rng.randint(1, 3) if decided else 0)
    if eliminating:
        back = rng.randint(path_days + min_months * 31 + 40, path_days + 520)
    elif decided:
        back = rng.randint(path_days + 5, path_days + 330)
    else:
        back = path_days + rng.randint(0, 8) if state != S.CLUE else rng.randint(0, 20)
    clue_date = as_of - datetime.timedelta(days=back)
    risks = _risks(rng, household)
    exited = household.exit_status in ("1", "2")
    category = "M3" if rng.random() < 0.2 else ("M1" if exited else "M2")
    case = MonitoringCase(
        household=household,
        state=state,
        channel=rng.choice("1222334"),
        clue_date=clue_date,
        reporter=rng.choice(REPORTERS),
        clue_text=CLUES.get(risks[0], CLUES["R07"]),
        created_by=_actor(household, accounts, "village"),
    )
    steps = [_step("", S.CLUE, clue_date, case.created_by, case.clue_text)]
    day = clue_date

    def advance(to, days, actor, note=""):
        nonlocal day
        previous = steps[-1].to_state
        day = day + datetime.timedelta(days=days)
        steps.append(_step(previous, to, day, actor, note))

    village_actor = _actor(household, accounts, "village")
    township_actor = _actor(household, accounts, "township")
    command = accounts["command"]
    target_index = PATH.index(state) if state in PATH else len(PATH)
    if target_index >= 1:
        advance(S.VERIFYING, 1, village_actor, "入户核实，户主签订授权承诺书")
    if target_index >= 2:
        advance(S.IN_NOTICE, 1, village_actor, "村民代表评议通过，在村务公开栏公示")
        case.notice_start = day
        case.notice_end = day + datetime.timedelta(days=notice_len - 1)
    if target_index >= 3:
        day = case.notice_end
        advance(S.TOWNSHIP_REVIEWED, 1, township_actor, "乡镇初审同意，报县指挥部")
    if not decided:
        return case, steps
    decision_day = day + datetime.timedelta(days=rng.randint(1, 3))
    if state in (S.REJECTED, S.NO_RISK):
        steps.append(
            _step(S.TOWNSHIP_REVIEWED, state, decision_day, command, "家庭收入稳定，经研判不纳入监测")
        )
        return case, steps
    case.category, case.risks, case.identified_on = category, join_codes(risks), decision_day
    case.risk_note = RISK_REMARKS.get(next((r for r in risks if r in RISK_REMARKS), ""), "")  # CM-008
    day = decision_day
    steps.append(_step(S.TOWNSHIP_REVIEWED, S.RISK_OPEN, day, command, "县指挥部研判认定，纳入监测"))
    unit, text = HELP.get(risks[-1], HELP["R07"])
    department = Department.objects.filter(name=unit).first()
    help_day = day + datetime.timedelta(days=rng.randint(3, 20))
    if help_day <= as_of:
        case.help_given = f"{help_day:%Y-%m-%d} {text}"
        case.responsible_department = department
        case.responsible_person = household.helper_name or "村支书"
        steps.append(_step(S.RISK_OPEN, S.RISK_OPEN, help_day, township_actor, text))
        day = help_day
    if state == S.RISK_OPEN:
        return case, steps
    if state == S.ELIMINATED_NATURAL:
        natural_day = min(as_of, day + datetime.timedelta(days=rng.randint(20, 120)))
        case.elimination_method, case.eliminated_on = NATURAL, natural_day
        steps.append(_step(S.RISK_OPEN, state, natural_day, command, "全户迁出，风险自然消除"))
        return case, steps
    return _eliminate(rng, case, steps, state, as_of, household, village_actor, command)


def _eliminate(rng, case, steps, state, as_of, household, village_actor, command):
    min_months = int(county_parameter("monitoring_min_months", 6))
    start = _add_months(case.identified_on, min_months) + datetime.timedelta(days=rng.randint(5, 30))
    approve = start + datetime.timedelta(days=notice_days() + 2)
    income = household.incomes.order_by("-year").first()
    case.post_income_per_capita = income.per_capita_income if income else None
    case.post_guarantees_secure = True
    case.contact_name = household.head_name or "户主"
    case.contact_phone = household.phone or "13800000000"
    last = approve if state == S.RISK_ELIMINATED else start
    if last > as_of or elimination_blockers(case, last):
        # Not eligible: the household stays monitored, which is what the rules demand.
        case.state = S.RISK_OPEN
        case.post_income_per_capita = case.post_guarantees_secure = None
        case.contact_name = case.contact_phone = ""
        return case, steps
    case.elimination_method = ASSISTED
    steps.append(
        _step(S.RISK_OPEN, S.ELIMINATION_NOTICE, start, village_actor, "收入稳定超过监测范围，村级评议公示")
    )
    if state == S.RISK_ELIMINATED:
        case.eliminated_on = approve
        steps.append(
            _step(S.ELIMINATION_NOTICE, S.RISK_ELIMINATED, approve, command, "县级审定，标注风险消除")
        )
    return case, steps


def _step(from_state, to_state, date, actor, note) -> MonitoringStep:
    return MonitoringStep(from_state=from_state, to_state=to_state, date=date, actor=actor, note=note)
