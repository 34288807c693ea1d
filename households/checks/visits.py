"""VS-001, VS-002: helpers and visits (DOMAIN.md §9.8); VS-003…VS-005 stay in notyet.py."""

import datetime

from django.db.models import Max, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .base import exited_codes, household_hits
from .registry import BLANK_IS_ERROR, ERROR, WARNING, Hit, Param, rule


@rule(
    "VS-001",
    _lazy("Registered or monitored household without an active helper"),
    severity=ERROR,
    fields=("helper",),
    source="s001",
    blank=BLANK_IS_ERROR,
    blank_note=_lazy("A household with neither a helper account nor a helper name is reported."),
)
def has_helper(ctx):
    """Not exited, and no helper: neither an active helper account nor a helper name from the register."""
    active_account = Q(helper__isnull=False, helper__is_active=True)
    named_only = Q(helper__isnull=True) & ~Q(helper_name="")
    rows = ctx.households.exclude(exit_status__in=exited_codes()).exclude(active_account | named_only)
    return household_hits(ctx, rows)


@rule(
    "VS-002",
    _lazy("No visit within the required number of days"),
    severity=WARNING,
    fields=("visits",),
    source="s000, s001",
    params=(Param("days", 30, _lazy("days allowed between visits"), parameter="visit_interval_days"),),
)
def visited_recently(ctx):
    """Households with a helper account, not exited, whose last visit is older than `days` (or none)."""
    days = int(ctx.params["days"])
    cutoff = ctx.today - datetime.timedelta(days=days)
    rows = (
        ctx.households.filter(helper__isnull=False)
        .exclude(exit_status__in=exited_codes())
        .annotate(last_visit=Max("visits__date", filter=Q(visits__date__lte=ctx.today)))
        .filter(Q(last_visit__isnull=True) | Q(last_visit__lt=cutoff))
    )
    for pk, last in rows.values_list("pk", "last_visit"):
        if last is None:
            message = _("never visited (allowed: %(days)s days)") % {"days": days}
        else:
            message = _("last visit %(date)s, %(n)s days ago (allowed: %(days)s days)") % {
                "date": last.isoformat(),
                "n": (ctx.today - last).days,
                "days": days,
            }
        yield Hit(pk, None, message)
