"""Write the register in the canonical layout (REGISTER_XLSX.md §1, §3): one row per person."""

import datetime

from django.db.models import Prefetch

from povertycase.core import codes
from povertycase.excel import Column, SheetWriter

from ..models import AssistanceMeasure, Household, IncomeRecord, Member
from ..models.register import split_codes
from .columns import COLUMNS, HEADERS, SHEET_NAME

CHUNK_SIZE = 1000
HEAD = "01"
_KIND_TO_CELL = {"int": "int", "dec1": "decimal", "money": "money"}
MONTH_FORMAT = "%Y-%m"


def excel_columns() -> list[Column]:
    return [Column(c.header, c.width, _KIND_TO_CELL.get(c.kind, "text")) for c in COLUMNS]


def title_lines(title_county: str, exported_at: datetime.datetime) -> list[str]:
    return [f"{title_county}建档立卡贫困人口信息表", f"导出时间：{exported_at:%Y-%m-%d %H:%M:%S}"]


def write_template(target, *, title_county: str, exported_at: datetime.datetime) -> None:
    SheetWriter(
        target,
        sheet_name=SHEET_NAME,
        columns=excel_columns(),
        title_lines=title_lines(title_county, exported_at),
    ).close()


def write_register(households, target, *, title_county: str, exported_at: datetime.datetime) -> int:
    """Stream `households` (a queryset, any order) to `target`; returns the number of rows.

    Households are read in primary-key chunks with their members, the income of the
    export year and the measures prefetched, so the query count does not grow with the
    number of rows; memory stays bounded by the chunk size and constant_memory mode.
    """
    if exported_at.tzinfo is not None:
        from django.utils import timezone

        exported_at = timezone.localtime(exported_at)
    writer = SheetWriter(
        target,
        sheet_name=SHEET_NAME,
        columns=excel_columns(),
        title_lines=title_lines(title_county, exported_at),
    )
    labels = _LabelCache()
    serial = 0
    for chunk in _chunks(households, exported_at.year):
        for household in chunk:
            income = household.export_incomes[0] if household.export_incomes else None
            measures = _latest_measures(household)
            members = sorted(household.members.all(), key=lambda m: (m.relation != HEAD, m.seq, m.pk))
            for member in members:
                serial += 1
                writer.write_row(_row(serial, household, member, income, measures, labels))
    return writer.close()


def _chunks(households, year: int):
    ordered = list(
        households.order_by("village__township__code", "village__code", "number").values_list("pk", flat=True)
    )
    queryset = Household.objects.select_related("village__township__county").prefetch_related(
        Prefetch("members", queryset=Member.objects.filter(status="1").order_by("seq", "pk")),
        Prefetch(
            "incomes",
            queryset=IncomeRecord.objects.filter(year__lte=year).order_by("-year"),
            to_attr="export_incomes",
        ),
        Prefetch(
            "measures",
            queryset=AssistanceMeasure.objects.exclude(item="").order_by("-year", "item", "pk"),
            to_attr="export_measures",
        ),
    )
    for start in range(0, len(ordered), CHUNK_SIZE):
        part = ordered[start : start + CHUNK_SIZE]
        by_pk = {h.pk: h for h in queryset.filter(pk__in=part)}
        yield [by_pk[pk] for pk in part if pk in by_pk]


def _latest_measures(household) -> list[str]:
    """The register's measures of the household's most recent year with any."""
    if not household.export_measures:
        return []
    year = household.export_measures[0].year
    return list(dict.fromkeys(m.item for m in household.export_measures if m.year == year))


class _LabelCache:
    def __init__(self):
        self._cache = {}

    def __call__(self, list_name: str, code: str | None) -> str:
        if not code:
            return ""
        key = (list_name, code)
        if key not in self._cache:
            self._cache[key] = codes.register_label(list_name, code)
        return self._cache[key]

    def many(self, list_name: str, values) -> str:
        return ";".join(self(list_name, c) for c in values)


def _yn(value) -> str:
    return "" if value is None else ("是" if value else "否")


def _month(value) -> str:
    return value.strftime(MONTH_FORMAT) if value else ""


def _row(serial, h: Household, m: Member, income, measures, label) -> list:
    village = h.village
    township = village.township
    return [
        serial,
        township.county.name,
        township.name,
        village.name,
        h.number,
        m.person_number,
        m.name,
        m.id_number or "",
        label("relation", m.relation),
        label("sex", m.sex),
        label("ethnicity", m.ethnicity),
        label("education", m.education),
        label("student_status", m.student_status),
        label("health", m.health),
        label("labour", m.labour),
        label("work_status", m.work_status),
        m.work_months,
        _yn(m.medical_insurance),
        _yn(m.serious_illness_insurance),
        _yn(m.pension_insurance),
        _yn(m.dibao),
        _yn(m.tekun),
        label("attribute", h.attribute),
        label("poverty_cause", h.main_cause),
        label.many("poverty_cause", split_codes(h.other_causes)),
        _month(h.identified_month),
        _month(h.exit_month),
        label("exit_status", h.exit_status),
        h.member_count,
        h.farmland_area,
        income.per_capita_income if income else None,
        income.wage_income if income else None,
        income.business_income if income else None,
        income.transfer_income if income else None,
        income.property_income if income else None,
        income.business_expense if income else None,
        _yn(h.is_dangerous_house),
        label("housing_grade", h.housing_grade),
        _yn(h.water_safe),
        _yn(h.water_difficult),
        _yn(h.has_electricity),
        h.helper_name,
        h.helper_phone,
        label.many("measure_item", measures),
        h.phone,
    ]


assert len(HEADERS) == 45
