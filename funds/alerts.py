"""The funds part of the daily job (DOMAIN.md §10.1), into the notifications inbox.

- a project past its planned completion         -> its unit's cadres, once per planned date
- an accepted project with money still unpaid    -> its unit's cadres and the finance bureau, once
- household-type projects not reimbursed 10, 5 and 1 day(s) before the reimbursement deadline
                                                 -> each unit's cadres (its projects) and the command office
- at each month's end, units below the year's target (when set) -> those units and the command office

Every notification carries a dedupe key, so a second run the same day creates nothing.
"""

import calendar
import datetime
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from povertycase.accounts.models import Role
from povertycase.notifications.services import notification_create

from . import rules, services
from .models import Project, Status
from .progress import behind_q, compute, deadline, spending_target
from .queries import with_money

REIMBURSE_COUNTDOWN = (10, 5, 1)


class _Recipients:
    def __init__(self):
        users = get_user_model().objects.filter(is_active=True).select_related("profile__department")
        self.units = defaultdict(list)
        self.command, self.finance = [], []
        for user in users.filter(profile__isnull=False):
            role = user.profile.role
            if role == Role.TOWNSHIP:
                self.units[("township", user.profile.township_id)].append(user)
            elif role == Role.DEPARTMENT:
                self.units[("department", user.profile.department_id)].append(user)
                if rules.is_finance(user):
                    self.finance.append(user)
            elif role == Role.COMMAND:
                self.command.append(user)

    def of(self, project: Project) -> list:
        if project.implementing_township_id:
            return self.units[("township", project.implementing_township_id)]
        return self.units[("department", project.implementing_department_id)]


def _notify(users, *, kind, title, body, url, key) -> int:
    created = 0
    for user in {u.pk: u for u in users}.values():
        created += bool(
            notification_create(recipient=user, kind=kind, title=title, body=body, url=url, dedupe_key=key)
        )
    return created


def run_funds_alerts(*, today: datetime.date) -> dict:
    people = _Recipients()
    with transaction.atomic():
        result = {
            "behind": _behind(today, people),
            "payment_due": _payment_due(people),
            "reimbursement": _reimbursement(today, people),
            "below_target": _below_target(today, people),
        }
    return result


def _behind(today, people) -> int:
    created = 0
    for p in Project.objects.filter(behind_q(today)).order_by("planned_completion", "number"):
        created += _notify(
            people.of(p),
            kind="funds_behind",
            title=_("Project %(number)s is past its planned completion (%(date)s)")
            % {"number": p.number, "date": p.planned_completion.isoformat()},
            body=f"{p.name}，完工进度 {p.completion_percent}%。请加快实施或填写滞后原因。",
            url=p.get_absolute_url(),
            key=f"funds-behind:{p.pk}:{p.planned_completion.isoformat()}",
        )
    return created


def _payment_due(people) -> int:
    created = 0
    for p in with_money(Project.objects.filter(status=Status.ACCEPTED)).order_by("number"):
        if p.paid_total >= p.budget_total:
            continue
        created += _notify(
            people.of(p) + people.finance,
            kind="funds_payment_due",
            title=_("Project %(number)s is accepted: %(amount)s yuan still to pay")
            % {
                "number": p.number,
                "amount": f"{p.budget_total - p.paid_total:,.2f}",
            },
            body=f"{p.name}已于{p.accepted_on:%Y-%m-%d}验收，请及时拨付并报账。",
            url=p.get_absolute_url(),
            key=f"funds-due:{p.pk}:{p.accepted_on.isoformat()}",
        )
    return created


def _reimbursement(today, people) -> int:
    due = deadline("funds_reimbursement_day", today.year)
    if due is None or (due - today).days not in REIMBURSE_COUNTDOWN:
        return 0
    days = (due - today).days
    waiting = [
        p
        for p in Project.objects.filter(year=today.year)
        .exclude(status__in=(Status.RESERVE, Status.REIMBURSED, Status.WITHDRAWN))
        .order_by("number")
        if services.is_household_type(p)
    ]
    if not waiting:
        return 0
    by_recipient = defaultdict(list)
    for p in waiting:
        for user in people.of(p):
            by_recipient[user.pk].append((user, p))
    for user in people.command:
        by_recipient[user.pk] += [(user, p) for p in waiting]
    title = _("Household-type funds: %(days)s day(s) to the reimbursement deadline %(date)s") % {
        "days": days,
        "date": due.isoformat(),
    }
    created = 0
    for rows in by_recipient.values():
        user = rows[0][0]
        body = "\n".join(f"{p.number} {p.name}（{p.unit}，{p.get_status_display()}）" for _u, p in rows)
        created += _notify(
            [user],
            kind="funds_reimbursement",
            title=title,
            body=f"尚未报账的到户类项目 {len(rows)} 个：\n{body}",
            url=reverse("funds:project_list") + f"?year={today.year}",
            key=f"funds-reimburse:{today.year}:{days}",
        )
    return created


def _below_target(today, people) -> int:
    if today.day != calendar.monthrange(today.year, today.month)[1]:
        return 0
    target = spending_target(today.year)
    if target is None:
        return 0
    progress = compute(year=today.year, as_of=today)
    below = [
        r for r in progress.by_unit if r.allocated and r.percent is not None and r.percent < float(target)
    ]
    if not below:
        return 0
    key = f"funds-target:{today:%Y-%m}"
    url = reverse("funds:progress") + f"?year={today.year}"
    created = 0
    for row in below:
        users = people.units[(row.kind, row.key[1])]
        created += _notify(
            users,
            kind="funds_below_target",
            title=_("Disbursement %(rate)s%% is below the target %(target)s%%")
            % {
                "rate": row.percent,
                "target": f"{target:g}",
            },
            body=f"{row.label}：下达 {row.allocated:,.2f} 元，已拨付 {row.paid:,.2f} 元"
            f"（截至{today:%Y-%m-%d}）。",
            url=url,
            key=key,
        )
    summary = "\n".join(f"{r.label} {r.percent}%" for r in below)
    created += _notify(
        people.command,
        kind="funds_below_target",
        title=_("%(count)s units below the disbursement target at month end") % {"count": len(below)},
        body=f"目标 {target:g}%：\n{summary}",
        url=url,
        key=key,
    )
    return created
