"""Write the register in the canonical layout (REGISTER_XLSX.md §1, §3): one row per person."""

import datetime
from decimal import Decimal

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

    Households are read in primary-key chunks as plain tuples with their members, the
    income of the export year and the measures, so the query count does not grow with the
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
    labels = _Labels()
    relation, sex, ethnicity, education, student, health, labour, work = map(labels.map, _MEMBER_CODE_LISTS)
    yn = _YN
    write_row = writer.write_row
    serial = 0
    for household, members in _households(households, exported_at.year, labels):
        head, tail = household
        for m in members:  # the columns of _MEMBER_FIELDS
            serial += 1
            write_row(
                [
                    serial,
                    *head,
                    m[4],
                    m[5],
                    m[6] or "",
                    relation(m[7], m[7]),
                    sex(m[8], m[8]),
                    ethnicity(m[9], m[9]),
                    education(m[10], m[10]),
                    student(m[11], m[11]),
                    health(m[12], m[12]),
                    labour(m[13], m[13]),
                    work(m[14], m[14]),
                    m[15],
                    yn[m[16]],
                    yn[m[17]],
                    yn[m[18]],
                    yn[m[19]],
                    yn[m[20]],
                    *tail,
                ]
            )
    return writer.close()


_YN = {None: "", True: "是", False: "否"}
_MEMBER_CODE_LISTS = (
    "relation",
    "sex",
    "ethnicity",
    "education",
    "student_status",
    "health",
    "labour",
    "work_status",
)

_HOUSEHOLD_FIELDS = (
    "pk",
    "village__township__county__name",
    "village__township__name",
    "village__name",
    "number",
    "attribute",
    "main_cause",
    "other_causes",
    "identified_month",
    "exit_month",
    "exit_status",
    "member_count",
    "farmland_area",
    "is_dangerous_house",
    "housing_grade",
    "water_safe",
    "water_difficult",
    "has_electricity",
    "helper_name",
    "helper_phone",
    "phone",
)
_MEMBER_FIELDS = (
    "household_id",
    "relation",
    "seq",
    "pk",
    # the cells, from index 4
    "person_number",
    "name",
    "id_number",
    "relation",
    "sex",
    "ethnicity",
    "education",
    "student_status",
    "health",
    "labour",
    "work_status",
    "work_months",
    "medical_insurance",
    "serious_illness_insurance",
    "pension_insurance",
    "dibao",
    "tekun",
)
_INCOME_FIELDS = (
    "household_id",
    "per_capita_income",
    "wage_income",
    "business_income",
    "transfer_income",
    "property_income",
    "business_expense",
)
_NO_INCOME = (None,) * (len(_INCOME_FIELDS) - 1)


def _households(households, year: int, labels):
    """((household cells before, after the member cells), members) in register order.

    Read as plain tuples (no model instances) in chunks of CHUNK_SIZE households, four
    queries a chunk: the households with their village, township and county, the latest
    income of `year` or before, the measures and the members (status 1, head first, then
    by seq and pk; rows of _MEMBER_FIELDS).
    """
    ordered = list(
        households.order_by("village__township__code", "village__code", "number").values_list("pk", flat=True)
    )
    for start in range(0, len(ordered), CHUNK_SIZE):
        part = ordered[start : start + CHUNK_SIZE]
        by_pk = {row[0]: row for row in Household.objects.filter(pk__in=part).values_list(*_HOUSEHOLD_FIELDS)}
        incomes = {}
        for row in (
            IncomeRecord.objects.filter(household_id__in=part, year__lte=year)
            .order_by("-year")
            .values_list(*_INCOME_FIELDS)
        ):
            incomes.setdefault(row[0], row[1:])
        measures: dict[int, list] = {}
        as_register_item = _register_items()
        for household_id, measure_year, item in (
            AssistanceMeasure.objects.filter(household_id__in=part)
            .exclude(item="")
            .order_by("-year", "item", "pk")
            .values_list("household_id", "year", "item")
        ):
            item = as_register_item.get(item, item)
            found = measures.get(household_id)
            if found is None:
                measures[household_id] = [measure_year, item]
            elif found[0] == measure_year:  # only the most recent year with any
                found.append(item)
        members: dict[int, list] = {}
        for row in (
            Member.objects.filter(household_id__in=part, status="1")
            .order_by("seq", "pk")
            .values_list(*_MEMBER_FIELDS)
        ):
            members.setdefault(row[0], []).append(row)
        for pk in part:
            household = by_pk.get(pk)
            if household is None:
                continue
            found = members.get(pk)
            if not found:
                continue
            found.sort(key=_member_order)
            items = measures.get(pk)
            income = incomes.get(pk, _NO_INCOME)
            yield _household_cells(household, income, items[1:] if items else (), labels), found


def _register_items() -> dict[str, str]:
    """Items the workbook does not list (e.g. 雨露计划) → the register item of their category
    (教育帮扶), so an export always imports again (REGISTER_XLSX.md §5.4)."""
    entries = codes.entries("measure_item")
    first_of_category = {}
    for entry in entries:
        if entry.in_register:
            first_of_category.setdefault(entry.extra.get("category"), entry.code)
    return {
        entry.code: first_of_category[entry.extra.get("category")]
        for entry in entries
        if not entry.in_register and entry.extra.get("category") in first_of_category
    }


def _member_order(row) -> tuple:
    return (row[1] != HEAD, row[2], row[3])


def _household_cells(h: tuple, income: tuple, measures, labels) -> tuple[list, list]:
    """The household's cells before the member cells (county … 户编号) and after them."""
    label = labels.label
    return [h[1], h[2], h[3], h[4]], [
        label("attribute", h[5]),
        label("poverty_cause", h[6]),
        labels.many("poverty_cause", split_codes(h[7])),
        _month(h[8]),
        _month(h[9]),
        label("exit_status", h[10]),
        h[11],
        _float(h[12]),
        *map(_float, income),
        _YN[h[13]],
        label("housing_grade", h[14]),
        _YN[h[15]],
        _YN[h[16]],
        _YN[h[17]],
        h[18],
        h[19],
        labels.many("measure_item", dict.fromkeys(measures)),
        h[20],
    ]


class _Labels:
    """Code → register label per code list, built once per export (codes.register_label:
    the first entry with the code, else the code itself; no code → "")."""

    def __init__(self):
        self._maps: dict[str, dict] = {}

    def map(self, list_name: str):
        """`get` of the list's dict: call it as get(code, code)."""
        if list_name not in self._maps:
            mapping = {None: "", "": ""}
            for entry in codes.entries(list_name):
                mapping.setdefault(entry.code, entry.register_label)
            self._maps[list_name] = mapping
        return self._maps[list_name].get

    def label(self, list_name: str, code: str | None) -> str:
        return self.map(list_name)(code, code)

    def many(self, list_name: str, values) -> str:
        get = self.map(list_name)
        return ";".join(get(c, c) for c in values)


def _float(value: Decimal | None) -> float | None:
    """Once per household: the writer would convert the Decimal for every member row."""
    return None if value is None else float(value)


def _month(value) -> str:
    return value.strftime(MONTH_FORMAT) if value else ""


assert len(HEADERS) == 45
