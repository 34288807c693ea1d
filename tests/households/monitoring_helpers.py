"""A household that meets every elimination criterion, and a case moved along by the services."""

import datetime

from django.utils import timezone

from households.models import AssistanceMeasure, IncomeRecord, MonitoringCase
from households.services import monitoring as svc
from tests.factories import MemberFactory

# The case's clue is this many days ago: room for a 6-month wait before elimination.
CLUE_DAYS_AGO = 300


def day(offset: int) -> datetime.date:
    """The clue date plus `offset` days."""
    return timezone.localdate() - datetime.timedelta(days=CLUE_DAYS_AGO) + datetime.timedelta(days=offset)


def make_eligible(household, *, per_capita=9000):
    """An adult with labour, income above the range, a measure: nothing blocks an elimination."""
    MemberFactory(household=household, labour="2", health="1")
    IncomeRecord.objects.create(
        household=household,
        year=timezone.localdate().year - 1,
        wage_income=per_capita,
        member_count_used=1,
    )
    AssistanceMeasure.objects.create(household=household, category="A02", item="02", year=2024)
    return household


def register(household, user, **overrides) -> MonitoringCase:
    data = {"channel": "2", "clue_date": day(0), "reporter": "刘晓东", "text": "家庭成员患大病，医疗支出大"}
    data.update(overrides)
    return svc.case_register_clue(household=household, user=user, **data)


def to_township_review(case, *, village_user, township_user) -> MonitoringCase:
    svc.case_start_verification(case=case, user=village_user, date=day(1), note="入户核实，签订授权承诺书")
    svc.case_start_notice(case=case, user=village_user, notice_start=day(2), notice_end=day(6))
    return svc.case_township_review(case=case, user=township_user, date=day(8), note="乡镇初审同意")


def decide_risk(case, user, *, date=None, category="M1", risks=("R01",)) -> MonitoringCase:
    return svc.case_county_decision(
        case=case, user=user, date=date or day(10), outcome="risk_open", category=category, risks=risks
    )


def elimination_data(**overrides) -> dict:
    data = {
        "date": day(10 + 200),
        "post_income_per_capita": 9000,
        "post_guarantees_secure": True,
        "contact_name": "刘晓东",
        "contact_phone": "13900001111",
    }
    data.update(overrides)
    return data


def to_risk_open(household, users) -> MonitoringCase:
    case = register(household, users["village"])
    to_township_review(case, village_user=users["village"], township_user=users["township"])
    return decide_risk(case, users["command"])
