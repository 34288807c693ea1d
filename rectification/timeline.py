"""An item's timeline: every transition and progress update, oldest first, in three queries."""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .models import Item, Status

ACTION_LABELS = {
    "create": _("Entered in the ledger"),
    "import": _("Imported from a workbook"),
    "edit": _("Edited"),
    "assign": _("Assigned"),
    "start": _("Rectification started"),
    "progress": _("Progress reported"),
    "request_closing": _("Closing requested"),
    "send_back": _("Sent back"),
    "close": _("Verified and closed"),
    "withdraw": _("Withdrawn"),
    "reopen": _("Reopened"),
}
ACTION_STYLE = {"send_back": "danger", "close": "success", "withdraw": "secondary", "reopen": "warning"}


@dataclass
class Entry:
    when: datetime.datetime
    who: str
    title: str
    text: str = ""
    style: str = "primary"
    status: str = ""
    percent: int | None = None
    files: list = field(default_factory=list)


def _name(user) -> str:
    if user is None:
        return ""
    return f"{user.last_name}{user.first_name}" or user.username


def item_timeline(item: Item) -> list[Entry]:
    labels = dict(Status.choices)
    entries = []
    for t in item.transitions.select_related("actor"):
        if t.action == "progress":
            continue  # shown by its progress update below
        entries.append(
            Entry(
                when=t.at,
                who=_name(t.actor),
                title=str(ACTION_LABELS.get(t.action, t.action)),
                text=t.reason if t.action not in ("start",) else "",
                style=ACTION_STYLE.get(t.action, "primary"),
                status=str(labels.get(t.to_status, "")) if t.from_status != t.to_status else "",
            )
        )
    evidence = {}
    loose = []
    for e in item.evidence.all():
        (evidence.setdefault(e.update_id, []) if e.update_id else loose).append(e)
    for u in item.updates.select_related("author"):
        entries.append(
            Entry(
                when=u.created_at,
                who=_name(u.author),
                title=str(_("Progress update of %(date)s") % {"date": u.date.isoformat()}),
                text=u.text,
                style="info",
                percent=u.percent,
                files=evidence.get(u.pk, []),
            )
        )
    for entry in entries:  # files sent with a closing request belong to that request
        if entry.title == str(ACTION_LABELS["request_closing"]):
            entry.files = [e for e in loose if e.uploaded_at <= entry.when]
            loose = [e for e in loose if e.uploaded_at > entry.when]
    # a progress update and the transition it caused share their second: the transition first
    entries.sort(key=lambda e: (e.when.replace(microsecond=0), e.percent is not None))
    return entries
