"""The ledger workbook: export with summary sheets, through the shared writer (povertycase.excel)."""

import datetime
from collections.abc import Callable

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from povertycase.core import codes
from povertycase.excel import Column, SheetWriter

from .models import OPEN, WORKING, Evidence, Item, Kind, ProgressUpdate, Status

KIND_LABELS = {Kind.IMMEDIATE: "立行立改", Kind.DEADLINE: "限期整改", Kind.LONG_TERM: "长期坚持"}
STATUS_LABELS = {
    Status.PENDING: "待整改",
    Status.IN_PROGRESS: "整改中",
    Status.SUBMITTED: "申请销号",
    Status.CLOSED: "已销号",
    Status.WITHDRAWN: "已撤销",
}
LEVEL_LABELS = {
    "county": "县级",
    "township": "乡镇",
    "village": "村",
    "household": "户",
    "department": "部门",
}

COLUMNS = [
    Column("编号", 12),
    Column("外部编号", 14),
    Column("问题来源", 12),
    Column("来源依据", 18),
    Column("问题类别（一级）", 14),
    Column("问题类别（二级）", 16),
    Column("问题描述", 48),
    Column("涉及层级", 8),
    Column("涉及对象", 16),
    Column("责任单位", 14),
    Column("责任人", 10),
    Column("牵头领导", 10),
    Column("配合单位", 16),
    Column("整改措施", 40),
    Column("整改类型", 10),
    Column("整改时限", 11, "date"),
    Column("状态", 10),
    Column("是否逾期", 8),
    Column("逾期天数", 8, "int"),
    Column("完成进度（%）", 10, "int"),
    Column("最近进展日期", 12, "date"),
    Column("最近进展", 40),
    Column("佐证材料数", 8, "int"),
    Column("销号时间", 18, "datetime"),
    Column("销号人", 10),
    Column("销号文件", 18),
]
HEADERS = [c.header for c in COLUMNS]
SUMMARY_COLUMNS = [
    Column("合计", 8, "int"),
    Column("已销号", 8, "int"),
    Column("整改中", 8, "int"),
    Column("逾期", 8, "int"),
    Column("销号率（%）", 10, "decimal"),
]


def export_queryset(qs: QuerySet[Item]) -> QuerySet[Item]:
    latest = ProgressUpdate.objects.filter(item=OuterRef("pk")).order_by("-date", "-pk")
    evidence_count = (
        Evidence.objects.filter(item=OuterRef("pk"))
        .order_by()
        .values("item")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        qs.select_related(
            "category__parent",
            "responsible_township",
            "responsible_department",
            "responsible_person",
            "target_township",
            "target_village",
            "target_household",
            "target_department",
            "closed_by",
        )
        .annotate(
            latest_text=Subquery(latest.values("text")[:1]),
            latest_date=Subquery(latest.values("date")[:1]),
            evidence_count=Coalesce(Subquery(evidence_count), 0),
        )
        .order_by("number")
    )


def _name(user) -> str:
    return (f"{user.last_name}{user.first_name}" or user.username) if user else ""


def item_row(item: Item, today: datetime.date) -> list:
    category = item.category
    parent = category.parent
    overdue = item.is_overdue_on(today)
    closed_at = timezone.localtime(item.closed_at).replace(tzinfo=None) if item.closed_at else None
    return [
        item.number,
        item.external_number,
        codes.label("rect_source", item.source),
        item.source_reference,
        parent.name if parent else category.name,
        category.name if parent else "",
        item.description,
        LEVEL_LABELS.get(item.level, item.level),
        str(item.target or ""),
        str(item.responsible_unit or ""),
        _name(item.responsible_person),
        item.supervising_leader,
        item.cooperating_units,
        item.measures,
        KIND_LABELS.get(item.kind, item.kind),
        item.deadline,
        STATUS_LABELS.get(item.status, item.status),
        "是" if overdue else "否",
        item.days_overdue(today) if overdue else None,
        item.progress_percent,
        item.latest_date,
        item.latest_text or "",
        item.evidence_count,
        closed_at,
        _name(item.closed_by),
        item.closing_document,
    ]


class _Tally:
    def __init__(self):
        self.total = self.closed = self.open = self.overdue = 0

    def add(self, item: Item, today) -> None:
        if item.status == Status.WITHDRAWN:
            return  # withdrawn items are not problems to rectify
        self.total += 1
        self.closed += item.status == Status.CLOSED
        self.open += item.status in OPEN
        self.overdue += item.status in WORKING and item.deadline is not None and item.deadline < today

    def row(self) -> list:
        rate = round(100 * self.closed / self.total, 1) if self.total else 0
        return [self.total, self.closed, self.open, self.overdue, rate]


def write_ledger(
    target, qs: QuerySet[Item], *, today: datetime.date, progress: Callable[[int], None] | None = None
) -> int:
    """The filtered ledger, then summary sheets per category and per responsible unit."""
    writer = SheetWriter(
        target,
        sheet_name="整改台账",
        columns=COLUMNS,
        title_lines=["整改台账", f"导出日期：{today.isoformat()}"],
    )
    by_category: dict[str, _Tally] = {}
    by_unit: dict[tuple[int, str], _Tally] = {}
    count = 0
    for item in export_queryset(qs).iterator(chunk_size=1000):
        writer.write_row(item_row(item, today))
        top = item.category.parent or item.category
        by_category.setdefault(f"{top.code} {top.name}", _Tally()).add(item, today)
        unit_key = (0 if item.responsible_township_id else 1, str(item.responsible_unit))
        by_unit.setdefault(unit_key, _Tally()).add(item, today)
        count += 1
        if progress and count % 500 == 0:
            progress(count)
    _summary_sheet(writer, "按类别汇总", "问题类别", sorted(by_category.items()))
    _summary_sheet(writer, "按责任单位汇总", "责任单位", [(k[1], v) for k, v in sorted(by_unit.items())])
    writer.close()
    if progress:
        progress(count)
    return count


def _summary_sheet(writer: SheetWriter, name: str, first_header: str, tallies) -> None:
    """An extra sheet in the shared writer's workbook, with its formats, frozen header and filter."""
    columns = [Column(first_header, 22), *SUMMARY_COLUMNS]
    sheet = writer.workbook.add_worksheet(name)
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
        sheet.write_string(0, index, column.header, writer.formats["header"])
    sheet.freeze_panes(1, 0)
    total = _Tally()
    row = 1
    for label, tally in tallies:
        for attr in ("total", "closed", "open", "overdue"):
            setattr(total, attr, getattr(total, attr) + getattr(tally, attr))
        _summary_row(sheet, writer, row, label, tally)
        row += 1
    sheet.autofilter(0, 0, max(row - 1, 1), len(columns) - 1)
    _summary_row(sheet, writer, row, "合计", total, bold=True)


def _summary_row(sheet, writer, row: int, label: str, tally: _Tally, bold: bool = False) -> None:
    sheet.write_string(row, 0, label, writer.formats["header"] if bold else writer.formats["text"])
    values = tally.row()
    for index, value in enumerate(values, start=1):
        fmt = writer.formats["decimal" if index == len(values) else "int"]
        sheet.write_number(row, index, value, fmt)
