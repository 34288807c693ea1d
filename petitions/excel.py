"""The petition ledger as xlsx; the complainant is masked as the exporting user must see it."""

import datetime

from django.db.models import QuerySet

from povertycase.core import codes
from povertycase.excel import Column, SheetWriter

from . import privacy
from .models import Petition

COLUMNS = [
    Column("信访编号", 16),
    Column("渠道", 12),
    Column("受理日期", 12, "date"),
    Column("信访人", 10),
    Column("联系电话", 14),
    Column("涉及农户", 24),
    Column("所属乡镇", 12),
    Column("问题类别", 20),
    Column("信访内容", 50),
    Column("承办单位", 14),
    Column("承办人", 10),
    Column("办理期限", 12, "date"),
    Column("状态", 10),
    Column("是否超期", 8),
    Column("答复内容", 40),
    Column("答复日期", 12, "date"),
    Column("满意度", 10),
    Column("整改台账编号", 14),
]


def _name(user) -> str:
    return (f"{user.last_name}{user.first_name}" or user.username) if user else ""


def export_queryset(qs: QuerySet[Petition]) -> QuerySet[Petition]:
    return qs.select_related(
        "category__parent",
        "township",
        "handling_township",
        "handling_department",
        "handling_person",
        "rectification_item",
    ).prefetch_related("households")


def petition_row(user, p: Petition, today: datetime.date) -> list:
    shown = privacy.complainant(user, p)
    return [
        p.number,
        codes.label("petition_channel", p.channel),
        p.date,
        shown["name"],
        shown["phone"],
        "、".join(f"{h.number} {h.head_name}" for h in p.households.all()),
        str(p.township or ""),
        f"{p.category.code} {p.category.full_name}",
        p.content,
        p.handling_unit_label,
        _name(p.handling_person),
        p.deadline,
        p.get_state_display(),
        "是" if p.is_overdue_on(today) else "否",
        p.reply,
        p.replied_on,
        p.get_satisfaction_display(),
        p.rectification_item.number if p.rectification_item else "",
    ]


def write_petitions(target, qs: QuerySet[Petition], *, user, today: datetime.date) -> int:
    writer = SheetWriter(
        target,
        sheet_name="信访台账",
        columns=COLUMNS,
        title_lines=["信访台账", f"导出日期：{today.isoformat()}"],
    )
    count = 0
    for petition in export_queryset(qs).iterator(chunk_size=1000):
        writer.write_row(petition_row(user, petition, today))
        count += 1
    writer.close()
    return count


CAMPAIGN_COLUMNS = [
    Column("信访编号", 16),
    Column("受理日期", 12, "date"),
    Column("信访人", 10),
    Column("联系电话", 14),
    Column("所属乡镇", 12),
    Column("问题类别", 20),
    Column("信访内容", 40),
    Column("回访责任人", 12),
    Column("回访日期", 12, "date"),
    Column("满意度", 10),
    Column("回访结果", 40),
]


def write_campaign(target, campaign, entries, *, user) -> int:
    writer = SheetWriter(
        target,
        sheet_name="大回访",
        columns=CAMPAIGN_COLUMNS,
        title_lines=[f"大回访：{campaign.name}", f"信访期间：{campaign.period_from} 至 {campaign.period_to}"],
    )
    count = 0
    for entry in entries:
        p, revisit = entry.petition, entry.revisit
        shown = privacy.complainant(user, p)
        writer.write_row(
            [
                p.number,
                p.date,
                shown["name"],
                shown["phone"],
                str(p.township or ""),
                f"{p.category.code} {p.category.full_name}",
                p.content,
                _name(entry.assignee),
                revisit.date if revisit else None,
                revisit.get_satisfaction_display() if revisit else "",
                revisit.result if revisit else "",
            ]
        )
        count += 1
    writer.close()
    return count
