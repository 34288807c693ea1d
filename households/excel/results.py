"""What reading a register workbook yields: parsed households and error/warning dicts."""

import datetime
from dataclasses import dataclass, field

HEAD = "01"


def problem(code, message, *, row=None, column="", value="") -> dict:
    return {"code": code, "row": row, "column": column, "value": value, "message": message}


def sort_problems(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda e: (e.get("row") or 0, e.get("column") or ""))


@dataclass
class ParsedHousehold:
    number: str
    first_row: int
    county: str = ""
    township: str = ""
    village: str = ""
    fields: dict = field(default_factory=dict)
    income: dict = field(default_factory=dict)
    measures: list = field(default_factory=list)
    members: list = field(default_factory=list)  # dicts of Member fields plus "_row"
    has_measures: bool = True  # False: the layout carries no measures, leave them alone
    case: dict = field(default_factory=dict)  # a monitoring case (monitoring layout)
    conditions: dict = field(default_factory=dict)  # LivingConditions fields (monitoring layout)

    @property
    def head_name(self) -> str:
        return next((m["name"] for m in self.members if m.get("relation") == HEAD), "")


@dataclass
class RegisterFile:
    households: list[ParsedHousehold] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    reference_date: datetime.date | None = None
    total_rows: int = 0
    # the header row as written in the file
    headers: list[str] = field(default_factory=list)
    layout: str = ""
    columns_read: list[str] = field(default_factory=list)
    columns_ignored: list[str] = field(default_factory=list)
    columns_lacking: list[str] = field(default_factory=list)
    columns_derived: list[str] = field(default_factory=list)
    # canonical field keys the file carries, read or derived (the rest stay unrecorded)
    keys_read: set[str] = field(default_factory=set)

    @property
    def reference_year(self) -> int:
        return self.reference_date.year

    @property
    def member_total(self) -> int:
        return sum(len(h.members) for h in self.households)
