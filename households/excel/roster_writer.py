"""Write the register in the national roster layout (已脱贫人口名单, issue 12): one row per
person, the columns of layouts.ROSTER in its order, values the roster reader reads back."""

import datetime

from povertycase.core import codes
from povertycase.excel import Column, SheetWriter

from ..models import Household, IncomeRecord, Member, MonitoringCase
from .layouts import ROSTER

CHUNK_SIZE = 1000
ROSTER_SHEET = "已脱贫人口名单"
_CELL_KIND = {"int": "int", "money": "money"}
_YN = {None: "", True: "是", False: "否"}
HEAD = "01"
ELIMINATED = {"risk_eliminated", "eliminated_natural"}


def roster_columns() -> list[Column]:
    return [Column(c.header, max(c.width, 12), _CELL_KIND.get(c.kind, "text")) for c in ROSTER.columns]


def _label(list_name: str, code: str) -> str:
    return codes.register_label(list_name, code) if code else ""


def _month(value) -> str:
    return f"{value:%Y-%m}" if value else ""


def _case_cells(case) -> dict:
    if case is None:
        return {}
    return {
        "case_category": _label("monitor_category", case.category),
        "case_eliminated": _YN[case.state in ELIMINATED],
        "case_identified_month": f"{case.identified_on:%Y-%m-%d}" if case.identified_on else "",
        "case_eliminated_month": f"{case.eliminated_on:%Y-%m-%d}" if case.eliminated_on else "",
    }


def _household_cells(h: Household, income) -> dict:
    return {
        "county": h.village.township.county.name,
        "township": h.village.township.name,
        "village": h.village.name,
        "_ignored:自然村": h.group_name,
        "number": h.number,
        "member_count": h.member_count,
        "main_cause": _label("poverty_cause", h.main_cause),
        "is_dangerous_house": _YN[h.is_dangerous_house],
        "water_safe": _YN[h.water_safe],
        "_ignored:人均纯收入": income.per_capita_income if income else None,
        "phone": h.phone,
        "identified_month": _month(h.identified_month),
        "household_type": _label("household_type", h.household_type),
    }


def _member_cells(m: Member) -> dict:
    return {
        "person_number": m.person_number,
        "name": m.name,
        "id_number": m.disability_cert or m.id_number or "",
        "relation": _label("relation", m.relation),
        "ethnicity": _label("ethnicity", m.ethnicity),
        "education": _label("education", m.education),
        "student_status": _label("student_status", m.student_status),
        "health": _label("health", m.health),
        "labour": _label("labour", m.labour),
        "work_months": m.work_months,
        "serious_illness_insurance": _YN[m.serious_illness_insurance],
        "member_phone": m.phone,
    }


def write_roster(households, target, *, exported_at: datetime.datetime, title: str = "已脱贫人口名单") -> int:
    """Stream `households` to `target` in the roster layout; returns the number of rows."""
    writer = SheetWriter(
        target,
        sheet_name=ROSTER_SHEET,
        columns=roster_columns(),
        title_lines=[title, f"导出时间：{exported_at:%Y-%m-%d %H:%M:%S}"],
    )
    keys = [c.key for c in ROSTER.columns]
    date_text = f"{exported_at:%Y-%m-%d}"
    ids = list(households.order_by("pk").values_list("pk", flat=True))
    serial = 0
    for start in range(0, len(ids), CHUNK_SIZE):
        part = ids[start : start + CHUNK_SIZE]
        chunk = (
            Household.objects.filter(pk__in=part).select_related("village__township__county").order_by("pk")
        )
        members: dict[int, list[Member]] = {}
        for member in Member.objects.filter(household_id__in=part).order_by("household_id", "seq", "pk"):
            members.setdefault(member.household_id, []).append(member)
        incomes = {
            r.household_id: r
            for r in IncomeRecord.objects.filter(household_id__in=part, year=exported_at.year)
        }
        cases = {}  # the latest case of each household
        for case in MonitoringCase.objects.filter(household_id__in=part).order_by("identified_on", "pk"):
            cases[case.household_id] = case
        for household in chunk:
            shared = _household_cells(household, incomes.get(household.pk))
            shared.update(_case_cells(cases.get(household.pk)))
            rows = sorted(members.get(household.pk, []), key=lambda m: (m.relation != HEAD, m.seq, m.pk))
            for member in rows:
                serial += 1
                cells = {**shared, **_member_cells(member), "seq": serial, "data_date": date_text}
                writer.write_row([_blank(cells.get(k)) for k in keys])
    return writer.close()


def _blank(value):
    return "" if value is None else value
