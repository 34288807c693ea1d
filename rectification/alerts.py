"""The daily deadline alerts (DESIGN.md periodic jobs), as one digest per person per day.

Stages of an open item on `today`:
- due_soon: deadline within 3 days           -> the responsible person
- overdue: past the deadline                 -> the person and the unit's heads
- escalated: more than 7 days overdue        -> also every command-office user
- stale_long_term: long-term, no progress update this calendar month -> the person

An item is mentioned again only when its stage changed or `REMIND_EVERY_DAYS` passed since
`last_notified`, so nobody is flooded; every mention of a day goes into one digest per
recipient whose dedupe key is the date, so a second run the same day creates nothing.
The same daily task (tasks.py) also runs the exit-milestone alerts of households.exit_alerts.
"""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from povertycase.accounts.models import Role
from povertycase.notifications.services import notification_create

from .models import WORKING, Item, Kind, UnitHead

DUE_SOON_DAYS = 3
ESCALATE_AFTER_DAYS = 7
REMIND_EVERY_DAYS = 3
STAGES = ("due_soon", "overdue", "escalated", "stale_long_term")
SECTION_TITLES = {
    "due_soon": "即将到期（3天内）",
    "overdue": "已逾期",
    "escalated": "逾期超过7天（已上报县指挥部）",
    "stale_long_term": "长期坚持事项本月未报进展",
}


def stage_of(item: Item, today: datetime.date) -> str | None:
    if item.status not in WORKING:
        return None
    if item.deadline is not None:
        late = (today - item.deadline).days
        if late > ESCALATE_AFTER_DAYS:
            return "escalated"
        if late > 0:
            return "overdue"
        if late >= -DUE_SOON_DAYS:
            return "due_soon"
    if item.kind == Kind.LONG_TERM and (
        item.last_progress_on is None or item.last_progress_on < today.replace(day=1)
    ):
        return "stale_long_term"
    return None


def _due_for_reminder(item: Item, stage: str, today: datetime.date) -> bool:
    if item.last_notified is None or item.last_notified == today or item.last_notified_stage != stage:
        return True
    return (today - item.last_notified).days >= REMIND_EVERY_DAYS


def candidate_items(today: datetime.date):
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    return (
        Item.objects.filter(status__in=WORKING)
        .filter(Q(deadline__lte=soon) | Q(kind=Kind.LONG_TERM))
        .select_related("responsible_person", "responsible_township", "responsible_department")
        .order_by("deadline", "number")
    )


class _Heads:
    """Heads of each unit: UnitHead rows, else every active cadre of the unit."""

    def __init__(self):
        users = get_user_model().objects.filter(is_active=True)
        self.by_unit = defaultdict(list)
        for head in UnitHead.objects.select_related("user").filter(user__is_active=True):
            self.by_unit[("t", head.township_id) if head.township_id else ("d", head.department_id)].append(
                head.user
            )
        self.fallback = defaultdict(list)
        for user in users.filter(profile__role=Role.TOWNSHIP).select_related("profile"):
            self.fallback[("t", user.profile.township_id)].append(user)
        for user in users.filter(profile__role=Role.DEPARTMENT).select_related("profile"):
            self.fallback[("d", user.profile.department_id)].append(user)
        self.command = list(users.filter(profile__role=Role.COMMAND))

    def of(self, item: Item) -> list:
        key = (
            ("t", item.responsible_township_id)
            if item.responsible_township_id
            else ("d", item.responsible_department_id)
        )
        return self.by_unit.get(key) or self.fallback.get(key, [])


def run_daily_alerts(today: datetime.date) -> dict:
    """The daily job: the ledger's reminders and the exit procedure's milestone alerts."""
    from households.exit_alerts import run_exit_milestone_alerts

    result = run_deadline_alerts(today=today)
    result["exit_milestones"] = run_exit_milestone_alerts(today)
    return result


def run_deadline_alerts(*, today: datetime.date) -> dict:
    counts = dict.fromkeys(STAGES, 0)
    heads = _Heads()
    # recipient -> stage -> items; a person hears of an item once, in its most urgent section.
    digests: dict = defaultdict(lambda: defaultdict(dict))
    recipients = {}
    reminded = []
    for item in candidate_items(today):
        stage = stage_of(item, today)
        if stage is None:
            continue
        counts[stage] += 1
        if not _due_for_reminder(item, stage, today):
            continue
        people = [item.responsible_person] if item.responsible_person else heads.of(item)
        if stage in ("overdue", "escalated"):
            people += heads.of(item)
        if stage == "escalated":
            people += heads.command
        for person in people:
            recipients[person.pk] = person
            digests[person.pk][stage][item.pk] = item
        reminded.append((item, stage))
    created = 0
    with transaction.atomic():
        for pk, sections in digests.items():
            created += _send_digest(recipients[pk], sections, today)
        for item, stage in reminded:
            Item.objects.filter(pk=item.pk).update(last_notified=today, last_notified_stage=stage)
    return {**counts, "notifications_created": created}


def _send_digest(user, sections: dict, today: datetime.date) -> int:
    lines, total = [], 0
    for stage in ("escalated", "overdue", "due_soon", "stale_long_term"):
        items = list(sections.get(stage, {}).values())
        if not items:
            continue
        total += len(items)
        lines.append(f"【{SECTION_TITLES[stage]}】{len(items)}项")
        for item in items:
            when = f"时限 {item.deadline:%Y-%m-%d}" if item.deadline else "长期坚持"
            lines.append(f"  {item.number} {item.description[:40]}（{item.responsible_unit}，{when}）")
    title = _("Rectification reminders of %(date)s: %(count)d items") % {
        "date": today.isoformat(),
        "count": total,
    }
    notification = notification_create(
        recipient=user,
        kind="rectification_digest",
        title=title,
        body="\n".join(lines),
        url=reverse("rectification:my_items") + "?due=overdue"
        if sections.get("overdue")
        else reverse("rectification:item_list"),
        dedupe_key=f"rect-digest:{today.isoformat()}",
    )
    return 1 if notification else 0
