"""Daily petition deadline alerts into the inbox, one digest per person per day.

Stages of an open petition (registered or being handled) on `today`:
- due_soon: deadline within 3 days      -> the handling person, else the handling unit's users
- overdue: past the deadline            -> the person and the unit's users
- escalated: more than 7 days overdue   -> also every command-office user

A petition is mentioned again only when its stage changed or `REMIND_EVERY_DAYS` passed; each
recipient's digest has the date as its dedupe key, so a second run the same day creates nothing.
"""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from povertycase.accounts.models import Role
from povertycase.notifications.services import notification_create

from .models import OPEN_STATES, Petition

DUE_SOON_DAYS = 3
ESCALATE_AFTER_DAYS = 7
REMIND_EVERY_DAYS = 3
SECTION_TITLES = {
    "escalated": "逾期超过7天（已报县指挥部）",
    "overdue": "已逾期",
    "due_soon": "即将到期（3天内）",
}


def stage_of(petition: Petition, today: datetime.date) -> str | None:
    if petition.state not in OPEN_STATES:
        return None
    late = (today - petition.deadline).days
    if late > ESCALATE_AFTER_DAYS:
        return "escalated"
    if late > 0:
        return "overdue"
    if late >= -DUE_SOON_DAYS:
        return "due_soon"
    return None


def _due_for_reminder(petition: Petition, stage: str, today: datetime.date) -> bool:
    last = petition.last_notified
    if last is None or last == today or petition.last_notified_stage != stage:
        return True
    return (today - last).days >= REMIND_EVERY_DAYS


class _Units:
    def __init__(self):
        users = get_user_model().objects.filter(is_active=True).select_related("profile")
        self.members = defaultdict(list)
        for user in users.filter(profile__role=Role.TOWNSHIP):
            self.members[("t", user.profile.township_id)].append(user)
        for user in users.filter(profile__role=Role.DEPARTMENT):
            self.members[("d", user.profile.department_id)].append(user)
        self.command = list(users.filter(profile__role=Role.COMMAND))

    def of(self, petition: Petition) -> list:
        if petition.handling_township_id:
            return self.members[("t", petition.handling_township_id)]
        if petition.handling_department_id:
            return self.members[("d", petition.handling_department_id)]
        return self.command


def run_petition_alerts(*, today: datetime.date) -> dict:
    counts = dict.fromkeys(SECTION_TITLES, 0)
    units = _Units()
    digests: dict = defaultdict(lambda: defaultdict(dict))
    recipients, reminded = {}, []
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    candidates = Petition.objects.filter(state__in=OPEN_STATES, deadline__lte=soon).select_related(
        "handling_person", "handling_township", "handling_department"
    )
    for petition in candidates.order_by("deadline", "number"):
        stage = stage_of(petition, today)
        if stage is None:
            continue
        counts[stage] += 1
        if not _due_for_reminder(petition, stage, today):
            continue
        people = [petition.handling_person] if petition.handling_person else list(units.of(petition))
        if stage in ("overdue", "escalated"):
            people += units.of(petition)
        if stage == "escalated":
            people += units.command
        for person in people:
            recipients[person.pk] = person
            digests[person.pk][stage][petition.pk] = petition
        reminded.append((petition, stage))
    created = 0
    with transaction.atomic():
        for pk, sections in digests.items():
            created += _send_digest(recipients[pk], sections, today)
        for petition, stage in reminded:
            Petition.objects.filter(pk=petition.pk).update(last_notified=today, last_notified_stage=stage)
    return {**counts, "notifications_created": created}


def _send_digest(user, sections: dict, today: datetime.date) -> int:
    lines, total = [], 0
    for stage, heading in SECTION_TITLES.items():
        petitions = list(sections.get(stage, {}).values())
        if not petitions:
            continue
        total += len(petitions)
        lines.append(f"【{heading}】{len(petitions)}件")
        for p in petitions:
            lines.append(
                f"  {p.number} {p.content[:40]}（{p.handling_unit_label}，期限 {p.deadline:%Y-%m-%d}）"
            )
    title = _("Petition reminders of %(date)s: %(count)d petitions") % {
        "date": today.isoformat(),
        "count": total,
    }
    notification = notification_create(
        recipient=user,
        kind="petition_digest",
        title=title,
        body="\n".join(lines),
        url=reverse("petitions:list") + ("?due=overdue" if set(sections) - {"due_soon"} else "?due=soon"),
        dedupe_key=f"petition-digest:{today.isoformat()}",
    )
    return 1 if notification else 0
