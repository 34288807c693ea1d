"""The one Excel module: a streaming xlsxwriter writer and a python-calamine reader.

Every app writes its sheets through `SheetWriter` (title rows, frozen header, auto-filter,
widths, text identifiers, escaped formulas) and reads uploads through `read_sheet`, which
keeps calamine's cell types (float for numeric cells, str for text, date/datetime for
dates) so callers can tell an ID number typed as a number from one typed as text.
"""

import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from posixpath import dirname, join, normpath

import python_calamine
import xlsxwriter
from xlsxwriter.utility import xl_cell_to_rowcol

FORMULA_PREFIXES = ("=", "+", "-", "@")
_FORMULA_CHARS = frozenset("".join(FORMULA_PREFIXES))
ZIP_MAGIC = b"PK\x03\x04"


class WorkbookError(ValueError):
    """The upload is not a readable .xlsx workbook."""


def escape_text(value: str) -> str:
    """Prefix `'` so Excel shows a leading = + - @ as text instead of evaluating it."""
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


# ---------------------------------------------------------------- writing


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 12
    kind: str = "text"  # text | int | decimal | money | date | datetime


class SheetWriter:
    """Streams one sheet (xlsxwriter constant_memory): rows must be written top to bottom."""

    def __init__(self, target, *, sheet_name: str, columns: list[Column], title_lines: Iterable[str] = ()):
        self.workbook = xlsxwriter.Workbook(
            target, {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False}
        )
        self.sheet = self.workbook.add_worksheet(sheet_name)
        self.columns = columns
        wb = self.workbook
        self.formats = {
            "title": wb.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}),
            "subtitle": wb.add_format({"align": "left", "valign": "vcenter"}),
            "header": wb.add_format(
                {"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True, "valign": "vcenter"}
            ),
            "text": wb.add_format({"num_format": "@"}),
            "int": wb.add_format({"num_format": "0"}),
            "decimal": wb.add_format({"num_format": "0.0"}),
            "money": wb.add_format({"num_format": "#,##0.00"}),
            "date": wb.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"}),
            "bad": wb.add_format({"bg_color": "#F8CBAD", "font_color": "#9C0006", "num_format": "@"}),
        }
        self._kinds = [c.kind for c in columns] + ["text"]
        self._fmts = [self.formats.get(c.kind) for c in columns] + [self.formats["text"]]
        # Per column (format, numbers written as numbers): write_row's plain cells need no lookups.
        self._cells = [(fmt, kind != "text") for fmt, kind in zip(self._fmts, self._kinds, strict=True)][:-1]
        # xlsxwriter's undecorated writers skip the A1-notation wrapper (rows and columns are ints here).
        self._write_string = getattr(self.sheet, "_write_string", self.sheet.write_string)
        self._write_number = getattr(self.sheet, "_write_number", self.sheet.write_number)
        for index, column in enumerate(columns):
            self.sheet.set_column(index, index, column.width, self.formats.get(column.kind))
        self.row = 0
        last = len(columns) - 1
        for n, line in enumerate(title_lines):
            fmt = self.formats["title" if n == 0 else "subtitle"]
            self.sheet.set_row(self.row, 24 if n == 0 else 18)
            if last > 0:
                self.sheet.merge_range(self.row, 0, self.row, last, line, fmt)
            else:
                self.sheet.write_string(self.row, 0, line, fmt)
            self.row += 1
        self.header_row = self.row
        self.sheet.set_row(self.row, 30)
        for index, column in enumerate(columns):
            self.sheet.write_string(self.row, index, column.header, self.formats["header"])
        self.row += 1
        self.sheet.freeze_panes(self.row, 0)

    def write_row(self, values: Iterable, *, bad_columns: Iterable[int] = ()) -> None:
        # The hot loop of every export: str and numbers go straight to write_string/write_number
        # with the column's precomputed format; anything else (and bad cells) takes the slow path.
        if bad_columns:
            self._write_marked_row(values, set(bad_columns))
            return
        if values.__class__ is not list:
            values = list(values)
        row, write_string, write_number = self.row, self._write_string, self._write_number
        for index, value, (fmt, numeric) in zip(range(len(values)), values, self._cells, strict=False):
            cls = value.__class__
            if cls is str:
                if value:
                    write_string(row, index, "'" + value if value[0] in _FORMULA_CHARS else value, fmt)
            elif value is None:
                continue
            elif numeric and (cls is int or cls is float or cls is Decimal):
                write_number(row, index, float(value), fmt)
            elif value != "":
                self._write_other(index, value, fmt)
        extra = len(values) - len(self._cells)
        if extra > 0:  # cells beyond the columns: text
            fmt = self._fmts[-1]
            for index in range(len(self._cells), len(values)):
                self._write_cell(index, values[index], fmt, False)
        self.row += 1

    def _write_cell(self, index, value, fmt, numeric) -> None:
        if value is None or value == "":
            return
        cls = value.__class__
        if cls is str:
            self._write_string(self.row, index, escape_text(value), fmt)
        elif numeric and (cls is int or cls is float or cls is Decimal):
            self._write_number(self.row, index, float(value), fmt)
        else:
            self._write_other(index, value, fmt)

    def _write_marked_row(self, values: Iterable, bad: set) -> None:
        sheet, row, kinds, fmts, bad_fmt = self.sheet, self.row, self._kinds, self._fmts, self.formats["bad"]
        for index, value in enumerate(values):
            fmt = bad_fmt if index in bad else (fmts[index] if index < len(fmts) else fmts[-1])
            if value is None or value == "":
                if fmt is bad_fmt:
                    sheet.write_blank(row, index, None, fmt)
                continue
            cls = value.__class__
            if cls is str:
                sheet.write_string(row, index, "'" + value if value[:1] in FORMULA_PREFIXES else value, fmt)
            elif (cls is int or cls is float or cls is Decimal) and kinds[
                min(index, len(kinds) - 1)
            ] != "text":
                sheet.write_number(row, index, float(value), fmt)
            else:
                self._write_other(index, value, fmt)
        self.row += 1

    def _write_other(self, index, value, fmt) -> None:
        sheet, row = self.sheet, self.row
        if isinstance(value, bool):
            sheet.write_string(row, index, "是" if value else "否", fmt)
        elif isinstance(value, datetime.datetime):
            sheet.write_datetime(row, index, value.replace(tzinfo=None), self.formats["datetime"])
        elif isinstance(value, datetime.date):
            sheet.write_datetime(
                row, index, datetime.datetime.combine(value, datetime.time()), self.formats["date"]
            )
        else:
            sheet.write_string(row, index, escape_text(str(value)), fmt)

    def close(self) -> int:
        """Adds the auto-filter over the header and data; returns the number of data rows."""
        data_rows = self.row - self.header_row - 1
        self.sheet.autofilter(self.header_row, 0, max(self.row - 1, self.header_row), len(self.columns) - 1)
        self.workbook.close()
        return data_rows


def write_sheet(target, *, sheet_name: str, columns: list[Column], rows: Iterable, title_lines=()) -> int:
    writer = SheetWriter(target, sheet_name=sheet_name, columns=columns, title_lines=title_lines)
    for values in rows:
        writer.write_row(values)
    return writer.close()


def write_errors_workbook(target, *, headers: list[str], rows: Iterable, title: str = "") -> int:
    """Rows of an upload with their bad cells in red and the messages in a last column.

    `rows` yields (excel_row_number, cells, [(column_index or None, message), …]).
    """
    columns = [Column("原行号", 8, "int")] + [Column(h, max(8, min(30, len(h) * 2 + 2))) for h in headers]
    columns.append(Column("错误信息", 60))
    writer = SheetWriter(target, sheet_name="错误", columns=columns, title_lines=[title] if title else [])
    for row_number, cells, problems in rows:
        values = [row_number, *(_as_text(c) for c in cells)]
        values += [""] * (len(headers) + 1 - len(values))
        values.append("；".join(dict.fromkeys(message for _index, message in problems)))
        writer.write_row(values, bad_columns=[i + 1 for i, _message in problems if i is not None])
    return writer.close()


def _as_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


# ---------------------------------------------------------------- reading


@dataclass
class Sheet:
    name: str
    rows: Iterator[tuple[int, list]]  # (excel row number, cell values), blank rows included
    height: int
    formula_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, 0-based column)


def ensure_xlsx(data: bytes) -> None:
    """Raise WorkbookError unless `data` is an Office Open XML workbook calamine can open."""
    if not data:
        raise WorkbookError("empty")
    if not data.startswith(ZIP_MAGIC):
        raise WorkbookError("not-xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise WorkbookError("not-xlsx")
        python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).close()
    except (zipfile.BadZipFile, python_calamine.CalamineError, OSError, ValueError) as exc:
        if isinstance(exc, WorkbookError):
            raise
        raise WorkbookError("unreadable") from exc


def read_sheet(data: bytes, *, preferred_name: str = "") -> Sheet:
    """The sheet named `preferred_name`, else the first; every cell with its calamine type."""
    from povertycase.core.uploads import check_xlsx_upload

    check_xlsx_upload(data)  # every reader: no hostile archive reaches calamine
    ensure_xlsx(data)
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    names = workbook.sheet_names
    name = preferred_name if preferred_name in names else names[0]
    sheet = workbook.get_sheet_by_name(name)
    start = sheet.start or (0, 0)
    rows = sheet.iter_rows()
    return Sheet(
        name=name,
        rows=_numbered(rows, start[1]),
        height=(sheet.end[0] + 1) if sheet.end else 0,
        formula_cells=formula_cells(data, name),
    )


def _numbered(rows, first_column: int) -> Iterator[tuple[int, list]]:
    # calamine's iter_rows starts at row 1 but at the first used column.
    pad = [""] * first_column
    for number, cells in enumerate(rows, start=1):
        yield number, pad + cells if pad else cells


_CELL_WITH_FORMULA = re.compile(rb"<(?:\w+:)?c\s([^>]*)>\s*<(?:\w+:)?f[\s>/]")
_ERROR_CELL = re.compile(rb"<(?:\w+:)?c\s([^>]*\bt=\"e\"[^>]*)>")
_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')


def formula_cells(data: bytes, sheet_name: str) -> set[tuple[int, int]]:
    """Cells holding a formula or an error value, found in the sheet XML.

    calamine returns only cached values (none at all for files written by openpyxl), so it
    cannot tell `=HYPERLINK(…)` or `#N/A` from data; a regex over the raw XML can, in a
    fraction of the time openpyxl needs.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        path = _sheet_path(archive, sheet_name)
        if not path:
            return set()
        xml = archive.read(path)
    found = set()
    if b"<f" not in xml and b't="e"' not in xml:
        return found
    for pattern in (_CELL_WITH_FORMULA, _ERROR_CELL):
        for match in pattern.finditer(xml):
            ref = _REF.search(match.group(1))
            if ref:
                row, col = xl_cell_to_rowcol(ref.group(1).decode())
                found.add((row + 1, col))
    return found


def _sheet_path(archive: zipfile.ZipFile, sheet_name: str) -> str:
    import xml.etree.ElementTree as ET

    ns = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
        "p": "http://schemas.openxmlformats.org/package/2006/relationships",
    }
    workbook = ET.fromstring(archive.read("xl/workbook.xml"))
    rel_id = None
    for sheet in workbook.iter(f"{{{ns['m']}}}sheet"):
        if sheet.get("name") == sheet_name:
            rel_id = sheet.get(f"{{{ns['r']}}}id")
            break
    if rel_id is None:
        return ""
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{{{ns['p']}}}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target")
            return (
                target.lstrip("/")
                if target.startswith("/")
                else normpath(join(dirname("xl/workbook.xml"), target))
            )
    return ""
