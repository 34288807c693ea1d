"""Read a register workbook into households and members, collecting every error.

Only what the file itself can tell is checked here (shape, cell types, code lists, one head
per household, consistent household columns, duplicate IDs). What needs the database
(regions, existing households, the user's scope) is checked by households.services.imports.
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from povertycase.excel import Sheet, WorkbookError, read_sheet

from . import cells
from .columns import HEADER_MARKERS, HOUSEHOLD, INCOME_KEYS, SHEET_NAME, normalize_header
from .layouts import CANONICAL, Layout, is_header_row, recognise
from .results import HEAD, ParsedHousehold, RegisterFile, problem, sort_problems

HEADER_SCAN_ROWS = 20
FORMULA_STARTS = ("=", "#", " ", "\t", "\u3000", "\xa0", "\n")
REFERENCE_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
COMPACT_DATE = re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)")
MEMBER_KEYS = [
    "person_number", "name", "relation", "ethnicity", "education", "student_status", "health", "labour",
    "work_status", "work_months", "medical_insurance", "serious_illness_insurance", "pension_insurance",
    "dibao", "tekun", "medical_aid", "id_type",
]  # fmt: skip
MEMBER_RENAMED = {"member_phone": "phone"}  # layout key -> Member field
HOUSEHOLD_KEYS = [
    "attribute", "main_cause", "identified_month", "exit_month", "exit_status", "member_count",
    "farmland_area", "is_dangerous_house", "housing_grade", "water_safe", "water_difficult",
    "has_electricity", "helper_name", "helper_phone", "phone", "household_type",
]  # fmt: skip
STATUS_OF_TYPE = {"2": "1", "1": "0"}  # 户类型 脱贫户 -> 已脱贫, 贫困户 -> 未脱贫; 一般农户: none


def parse_register(data: bytes, *, progress=None) -> RegisterFile:
    result = RegisterFile()
    try:
        sheet = read_sheet(data, preferred_name=SHEET_NAME)
    except WorkbookError:
        result.errors.append(problem("not_xlsx", _("The file is not an Excel workbook (.xlsx).")))
        return result
    header_row, header_cells, preamble = _find_header(sheet)
    if header_row is None:
        result.errors.append(
            problem("no_header", _("No header row found (it must contain “%s”).") % "”“".join(HEADER_MARKERS))
        )
        return result
    layout = recognise(header_cells)
    result.layout = layout.name
    mapping = _map_columns(header_cells, layout, result)
    result.headers = [cells.as_text(c) for c in header_cells]
    _set_reference_date(preamble, result, warn=layout.date_column not in mapping)
    if result.errors:
        return result
    _RowReader(sheet, header_row, mapping, result, progress, layout).run()
    result.errors = sort_problems(result.errors)
    result.warnings = sort_problems(result.warnings)
    return result


def _find_header(sheet: Sheet):
    preamble = []
    for number, row in sheet.rows:
        if is_header_row(row):
            return number, row, preamble
        preamble.append(row)
        if number >= HEADER_SCAN_ROWS:
            break
    return None, None, preamble


def _map_columns(header_cells, layout: Layout, result: RegisterFile) -> dict[str, int]:
    mapping: dict[str, int] = {}
    by_key, name_to_key = layout.by_key, layout.name_to_key
    for index, raw in enumerate(header_cells):
        header = normalize_header(raw if isinstance(raw, str) else cells.as_text(raw))
        if not header:
            continue
        key = name_to_key.get(header)
        if key is None:
            result.columns_ignored.append(cells.as_text(raw))
            result.warnings.append(
                problem(
                    "unknown_column",
                    _("Ignored unknown column “%(name)s” (column %(n)d)")
                    % {"name": cells.as_text(raw), "n": index + 1},
                    column=cells.as_text(raw),
                )
            )
        elif by_key[key].kind == "ignore":
            result.columns_ignored.append(cells.as_text(raw))
        elif key in mapping:
            result.errors.append(
                problem(
                    "duplicate_column",
                    _("Column “%(name)s” appears twice (columns %(a)d and %(b)d).")
                    % {"name": by_key[key].header, "a": mapping[key] + 1, "b": index + 1},
                    column=by_key[key].header,
                )
            )
        else:
            mapping[key] = index
            result.columns_read.append(cells.as_text(raw))
    missing_required = [by_key[k].header for k in layout.required if k not in mapping]
    if missing_required:
        result.errors.append(
            problem(
                "missing_columns",
                _("Required columns are missing: %s") % "、".join(missing_required),
                column="、".join(missing_required),
            )
        )
    for column in layout.columns:
        if column.key in mapping or column.key in layout.required or column.kind == "ignore":
            continue
        if column.key in ("seq", layout.date_column):
            continue
        result.columns_lacking.append(column.header)
        result.warnings.append(
            problem(
                "missing_column",
                _("Column “%s” is missing; the field is left empty.") % column.header,
                column=column.header,
            )
        )
    for key, (_how, note) in layout.derived.items():
        if key not in mapping:
            result.columns_derived.append(f"{CANONICAL.by_key[key].header}：{note}")
    result.keys_read = set(mapping) | set(layout.derived)
    return mapping


def date_in(cell) -> datetime.date | None:
    """A date cell, or text holding 2022-12-31 / 2022年12月31日 / 20221231."""
    if isinstance(cell, datetime.datetime | datetime.date):
        return datetime.date(cell.year, cell.month, cell.day)
    if not isinstance(cell, str):
        return None
    match = REFERENCE_DATE.search(cell) or COMPACT_DATE.search(cell)
    if match:
        try:
            return datetime.date(*(int(g) for g in match.groups()))
        except ValueError:
            return None
    return None


def _set_reference_date(preamble, result: RegisterFile, *, warn: bool = True) -> None:
    for row in preamble:
        for cell in row:
            found = date_in(cell)
            if found:
                result.reference_date = found
                return
    if warn:
        _default_reference_date(result)


def _default_reference_date(result: RegisterFile) -> None:
    result.reference_date = timezone.localdate()
    result.warnings.append(
        problem("no_reference_date", _("Row 2 has no export date; ages are computed at today's date."))
    )


UNIQUE_KINDS = {"id", "ident", "phone", "name"}  # values that rarely repeat: not memoised
_MISSING = object()


class _RowReader:
    def __init__(
        self, sheet: Sheet, header_row: int, mapping: dict[str, int], result: RegisterFile, progress, layout
    ):
        self.sheet, self.header_row, self.mapping, self.result = sheet, header_row, mapping, result
        self.progress, self.layout = progress, layout
        self.by_key = layout.by_key
        self.codes = cells.CodeMaps()
        self.columns = [(self.by_key[k], i) for k, i in mapping.items() if k != "seq"]
        # Per column: the parser and, for repeating values (codes, 是/否, months), a memo of
        # raw value -> outcome, which keeps a 20,000-row file at a few seconds.
        self.parsers = [
            (column, index, self.parser(column), None if column.kind in UNIQUE_KINDS else {})
            for column, index in self.columns
        ]
        self.content_indexes = [i for k, i in mapping.items() if k != "seq"]
        self.groups: dict[str, ParsedHousehold] = {}
        self.household_values: dict[str, dict] = {}
        self.seen_ids: dict[str, int] = {}

    def error(self, code, message, row, column, value=""):
        self.result.errors.append(problem(code, message, row=row, column=column, value=value))

    def run(self):
        for number, row in self.sheet.rows:
            if number <= self.header_row:
                continue
            if all(cells.is_blank(row[i]) if i < len(row) else True for i in self.content_indexes):
                continue
            self.result.total_rows += 1
            if self.result.reference_date is None:
                self.take_reference_date(row)
            if self.progress and self.result.total_rows % 1000 == 0:
                self.progress(number, self.sheet.height)
            self.read_row(number, row)
        for household in self.groups.values():
            self.check_household(household)
        self.result.households = list(self.groups.values())

    def take_reference_date(self, row):
        index = self.mapping.get(self.layout.date_column)
        found = date_in(row[index]) if index is not None and index < len(row) else None
        if found:
            self.result.reference_date = found
        else:
            _default_reference_date(self.result)

    def formula_error(self, number, column, raw):
        message = _("Row %(row)d “%(column)s” contains a formula; paste it as values and import again") % {
            "row": number,
            "column": column.header,
        }
        self.error("formula", message, number, column.header, cells.as_text(raw))

    def read_row(self, number: int, row: list):
        values, failed = {}, set()
        formulas, width = self.sheet.formula_cells, len(row)
        for column, index, parse, memo in self.parsers:
            raw = row[index] if index < width else ""
            if (formulas and (number, index) in formulas) or (
                raw.__class__ is str and raw[:1] in FORMULA_STARTS and cells.looks_like_formula(raw)
            ):
                self.formula_error(number, column, raw)
                failed.add(column.key)
                continue
            outcome = _MISSING if memo is None else memo.get((raw.__class__, raw), _MISSING)
            if outcome is _MISSING:
                try:
                    outcome = (True, parse(raw))
                except cells.CellError as exc:
                    outcome = (False, exc)
                if memo is not None:
                    memo[(raw.__class__, raw)] = outcome
            ok, value = outcome
            if ok:
                values[column.key] = value
            else:
                self.error(value.code, value.message, number, column.header, cells.as_text(raw))
                failed.add(column.key)
        for key in self.layout.required:
            if key not in failed and key in values and values[key] in ("", None):
                header = self.by_key[key].header
                self.error("required", _("“%s” must not be empty.") % header, number, header)
                failed.add(key)
        if "number" in failed or not values.get("number"):
            return
        self.add_to_household(number, values, failed)

    def parser(self, column):
        kind, header, list_name = column.kind, column.header, column.code_list
        blank = cells.is_blank
        simple = {
            "name": cells.name,
            "int": cells.integer,
            "month": cells.month,
            "yn": cells.yes_no,
            "text": cells.text,
            "date": lambda raw, header: date_in(raw),
            "day": cells.day,
        }
        if kind == "code":
            return lambda raw: self.codes.code(raw, header, list_name)
        if kind == "codes":
            return lambda raw: self.codes.code_list(raw, header, list_name)
        if kind == "id":
            return lambda raw: (
                "" if blank(raw) else cells.id_number(raw, header, reference=self.result.reference_date)
            )
        if kind == "ident":
            return lambda raw: "" if blank(raw) else cells.identifier(raw, header)
        if kind == "phone":
            return lambda raw: "" if blank(raw) else cells.phone(raw, header)
        if kind in ("dec1", "money"):
            places = 1 if kind == "dec1" else 2
            return lambda raw: cells.decimal(raw, header, places=places)
        function = simple[kind]
        return lambda raw: function(raw, header)

    def add_to_household(self, number: int, values: dict, failed: set):
        key = values["number"]
        household = self.groups.get(key)
        if household is None:
            household = self.groups[key] = ParsedHousehold(number=key, first_row=number)
            household.county = values.get("county", "")
            household.township = values.get("township", "")
            household.village = values.get("village", "")
            household.fields = {k: values.get(k) for k in HOUSEHOLD_KEYS if k in values}
            self.derive_household_fields(household.fields)
            household.fields["other_causes"] = values.get("other_causes", [])
            if any(k in self.by_key for k in INCOME_KEYS):  # a layout without income writes none
                household.income = {k: values.get(k) or Decimal("0") for k in INCOME_KEYS}
                household.income["per_capita_in_file"] = values.get("per_capita_income")
            household.measures = values.get("measures", [])
            household.has_measures = "measures" in self.mapping
            household.case = self.monitoring_case(values)
            household.conditions = {
                k.removeprefix("cond_"): v for k, v in values.items() if k.startswith("cond_")
            }
            self.household_values[key] = {
                c.key: values.get(c.key)
                for c, _i in self.columns
                if c.scope == HOUSEHOLD and c.key not in failed
            }
        else:
            self.check_consistency(household, number, values, failed)
        self.add_member(household, number, values, failed)

    def monitoring_case(self, values: dict) -> dict:
        """The monitoring case a row carries (category, risks, months, elimination), or {}."""
        case = {k.removeprefix("case_"): v for k, v in values.items() if k.startswith("case_")}
        risks = [case.pop(f"risk{n}", "") for n in range(1, 6)]
        if not case.get("category") and not case.get("identified_month"):
            return {}
        case["risks"] = list(dict.fromkeys(r for r in risks if r))
        return case

    def derive_household_fields(self, fields: dict):
        if "exit_status" not in self.mapping and "household_type" in fields:
            how = self.layout.derived.get("exit_status", ("",))[0]
            if how == "from_household_type":
                fields["exit_status"] = STATUS_OF_TYPE.get(fields["household_type"], "")

    def check_consistency(self, household, number, values, failed):
        first = self.household_values[household.number]
        for column, _index in self.columns:
            if column.scope != HOUSEHOLD or column.key in failed or column.key not in first:
                continue
            if values.get(column.key) != first[column.key]:
                self.error(
                    "household_inconsistent",
                    _("“%(column)s” differs from row %(row)d of the same household %(number)s.")
                    % {"column": column.header, "row": household.first_row, "number": household.number},
                    number,
                    column.header,
                    cells.as_text(values.get(column.key)),
                )

    def add_member(self, household, number, values, failed):
        member = {k: values[k] for k in MEMBER_KEYS if k in values}
        member.update({field: values[k] for k, field in MEMBER_RENAMED.items() if k in values})
        member["_row"] = number
        facts = values.get("id_number")
        if facts:
            member["id_number"] = facts.number
            if facts.disability_cert:
                member["disability_cert"] = facts.disability_cert
                member["disability_category"] = facts.disability_category
                member["disability_grade"] = facts.disability_grade
            member["birth_date"] = facts.birth_date
            member["sex"] = facts.sex
            earlier = self.seen_ids.setdefault(facts.number, number)
            if earlier != number:
                self.error(
                    "duplicate_id",
                    _("The ID number also appears in row %(row)d.") % {"row": earlier},
                    number,
                    self.by_key["id_number"].header,
                    facts.number,
                )
            sex = values.get("sex")
            if sex and sex != facts.sex:
                self.error(
                    "sex_mismatch",
                    _("“性别” does not match the ID number."),
                    number,
                    self.by_key["sex"].header,
                )
        person_number = values.get("person_number")
        if person_number and not (
            person_number.startswith(household.number) and len(person_number) == len(household.number) + 2
        ):
            self.error(
                "person_number",
                _("The person number must be the household number followed by two digits."),
                number,
                self.by_key["person_number"].header,
                person_number,
            )
        household.members.append(member)

    def check_household(self, household: ParsedHousehold):
        rows = [m["_row"] for m in household.members]
        heads = [m for m in household.members if m.get("relation") == HEAD]
        relation = self.by_key["relation"].header
        if not heads and all("relation" in m for m in household.members):
            self.error(
                "no_head", _("Household %s has no 户主.") % household.number, household.first_row, relation
            )
        for extra in heads[1:]:
            self.error(
                "several_heads",
                _("Household %s has more than one 户主.") % household.number,
                extra["_row"],
                relation,
            )
        count = household.fields.get("member_count")
        if "member_count" not in self.mapping:
            household.fields["member_count"] = len(rows)  # derived: the household's rows
        elif count is not None and count != len(rows):
            self.error(
                "member_count",
                _("“家庭人口数” is %(count)d but the household has %(rows)d rows.")
                % {"count": count, "rows": len(rows)},
                household.first_row,
                self.by_key["member_count"].header,
                str(count),
            )
        self.check_per_capita(household)
        # 户主 first, the others in file order.
        household.members.sort(key=lambda m: (m.get("relation") != HEAD, m["_row"]))
        for seq, member in enumerate(household.members, start=1):
            member["seq"] = seq

    def check_per_capita(self, household: ParsedHousehold):
        income = household.income
        if not income:
            return
        size = household.fields.get("member_count") or len(household.members)
        income["member_count_used"] = size
        in_file = income.get("per_capita_in_file")
        if in_file is None or not size:
            return
        net = sum(income[k] for k in INCOME_KEYS[:4]) - income["business_expense"]
        computed = (net / size).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if abs(computed - in_file) > 1:
            self.error(
                "per_capita",
                _("“人均纯收入” %(value)s does not match the computed %(computed)s.")
                % {"value": in_file, "computed": computed},
                household.first_row,
                self.by_key["per_capita_income"].header,
                str(in_file),
            )
