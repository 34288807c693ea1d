"""Daily alerts on the exit milestones (DOMAIN.md §4.3: 7 and 3 days ahead, overdue per village).

For every milestone due within 7 days, within 3 days, or already past, the households whose
procedure of that year has not reached the milestone's step (and was not stopped by the
appraisal) are counted per village. Each village cadre hears about their village, each
township cadre about the villages of their township, and once overdue the command office
about all of them. One notification per person, milestone and day (dedupe key with the date),
so a second run the same day creates nothing. Called by rectification's daily alert task.
"""

import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from povertycase.accounts.models import Role
from povertycase.notifications.services import notification_create

from .exit_queries import LEVEL_LABELS, with_progress
from .models import ExitMilestone, ExitProcedure

FIRST_ALERT_DAYS, SECOND_ALERT_DAYS = 7, 3
STAGES = ("due_7", "due_3", "overdue")


def stage_of(milestone: ExitMilestone, today: datetime.date) -> str | None:
    days_left = (milestone.due_date - today).days
    if days_left < 0:
        return "overdue"
    if days_left <= SECOND_ALERT_DAYS:
        return "due_3"
    if days_left <= FIRST_ALERT_DAYS:
        return "due_7"
    return None


def villages_behind(milestone: ExitMilestone) -> list[dict]:
    """Per village: households whose procedure has not reached the milestone's step."""
    procedures = with_progress(ExitProcedure.objects.filter(year=milestone.year))
    behind = procedures.filter(reached__lt=milestone.last_step, stopped=False)
    return list(
        behind.order_by()
        .values(
            "household__village_id",
            "household__village__name",
            "household__village__township_id",
            "household__village__township__name",
        )
        .annotate(households=Count("pk"))
        .order_by("household__village__township__name", "household__village__name")
    )


def _stage_title(stage: str, milestone: ExitMilestone, today: datetime.date) -> str:
    values = {
        "level": LEVEL_LABELS.get(milestone.level, milestone.level),
        "step": milestone.last_step,
        "date": milestone.due_date.isoformat(),
        "days": abs((milestone.due_date - today).days),
    }
    if stage == "overdue":
        return (
            _("Exit milestone overdue: %(level)s, steps 1 to %(step)s were due %(date)s (%(days)s days ago)")
            % values
        )
    return _("Exit milestone in %(days)s days: %(level)s, steps 1 to %(step)s due %(date)s") % values


def _body(rows: list[dict]) -> str:
    lines = [
        _("%(township)s %(village)s: %(count)s households behind")
        % {
            "township": row["household__village__township__name"],
            "village": row["household__village__name"],
            "count": row["households"],
        }
        for row in rows
    ]
    return "\n".join(lines)


def _recipients(rows: list[dict], overdue: bool) -> dict:
    """user -> the rows (villages) they hear about."""
    villages = {row["household__village_id"] for row in rows}
    townships = {row["household__village__township_id"] for row in rows}
    users = get_user_model().objects.filter(is_active=True).select_related("profile")
    by_user = defaultdict(list)
    for user in users.filter(profile__role=Role.VILLAGE, profile__village_id__in=villages):
        by_user[user] = [r for r in rows if r["household__village_id"] == user.profile.village_id]
    for user in users.filter(profile__role=Role.TOWNSHIP, profile__township_id__in=townships):
        by_user[user] = [r for r in rows if r["household__village__township_id"] == user.profile.township_id]
    if overdue:
        for user in users.filter(profile__role=Role.COMMAND):
            by_user[user] = rows
    return by_user


def run_exit_milestone_alerts(today: datetime.date) -> dict:
    counts = dict.fromkeys(STAGES, 0)
    created = households = 0
    soon = today + datetime.timedelta(days=FIRST_ALERT_DAYS)
    # Last year's campaign still counts (it may run into January); older ones are history.
    milestones = ExitMilestone.objects.filter(due_date__lte=soon, year__gte=today.year - 1).order_by(
        "due_date", "last_step"
    )
    with transaction.atomic():
        for milestone in milestones:
            stage = stage_of(milestone, today)
            rows = villages_behind(milestone) if stage else []
            if not rows:
                continue
            counts[stage] += 1
            households += sum(row["households"] for row in rows)
            title = _stage_title(stage, milestone, today)
            url = (
                reverse("households:exit_list")
                + f"?year={milestone.year}"
                + ("&overdue=on" if stage == "overdue" else "")
            )
            for user, own_rows in _recipients(rows, stage == "overdue").items():
                notification = notification_create(
                    recipient=user,
                    kind="exit_milestone",
                    title=title,
                    body=_body(own_rows),
                    url=url,
                    dedupe_key=f"exit-milestone:{milestone.pk}:{today.isoformat()}",
                )
                created += 1 if notification else 0
            ExitMilestone.objects.filter(pk=milestone.pk).update(last_notified=today)
    return {**counts, "households_behind": households, "notifications_created": created}
