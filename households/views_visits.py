"""Helpers and visits (帮扶): my households, recording a visit, assigning, weekly statistics."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from povertycase.core import concurrency
from povertycase.core.files import attachment_response
from povertycase.errors import DomainError

from .forms_visits import AssignHelperForm, VisitForm
from .queries import (
    helper_assignments,
    helper_households,
    households_visible_to,
    visit_interval_days,
    visits_visible_to,
)
from .services.helpers import can_assign_helper, household_assign_helper
from .services.visits import VisitInvalid, can_record_visit, visit_record
from .visit_stats import can_read_weekly, parse_week, weekly_households, weekly_stats


def household_visit_context(household, user) -> dict:
    """What the household page shows about its helper and visits: two queries.

    `household` comes from `households_visible_to(user)`, so only the role is left to check.
    """
    return {
        "helper_assignments": helper_assignments(household),
        "recent_visits": list(household.visits.select_related("helper").order_by("-date", "-pk")[:10]),
        "can_assign_helper": can_assign_helper(user, household, in_scope=True),
        "can_record_visit": can_record_visit(user, household, in_scope=True),
    }


@login_required
def my_households(request):
    interval = visit_interval_days()
    today = timezone.localdate()
    households = list(helper_households(request.user))
    for household in households:
        household.days_since = (today - household.last_visit).days if household.last_visit else None
        household.overdue = household.days_since is None or household.days_since > interval
    overdue = [h for h in households if h.overdue]
    context = {
        "households": households,
        "overdue_count": len(overdue),
        "interval": interval,
        "today": today,
    }
    return render(request, "households/my_households.html", context)


@login_required
def visit_create(request, pk):
    household = get_object_or_404(households_visible_to(request.user).select_related("helper"), pk=pk)
    if not can_record_visit(request.user, household):
        raise PermissionDenied
    if (repeat := concurrency.resubmitted(request, household.get_absolute_url())) is not None:
        return redirect(repeat)  # a double click: the first one was recorded
    if request.method == "POST":
        form = VisitForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                with concurrency.submitted_once(request) as submission:
                    if not submission.done:
                        visit_record(household=household, user=request.user, data=form.cleaned_data)
            except VisitInvalid as problems:
                for name, texts in problems.errors.items():
                    for text in texts:
                        form.add_error(name if name in form.fields else None, text)
            except DomainError as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("Visit recorded."))
                if household.helper_id == request.user.pk:
                    return redirect("households:my_households")
                return redirect(household)
    else:
        form = VisitForm(initial={"date": timezone.localdate(), "kind": "1"})
    return render(request, "households/visit_form.html", {"form": form, "household": household})


@login_required
def household_helper(request, pk):
    household = get_object_or_404(households_visible_to(request.user).select_related("helper"), pk=pk)
    if not can_assign_helper(request.user, household):
        raise PermissionDenied
    if request.method == "POST":
        form = AssignHelperForm(request.POST)
        if form.is_valid():
            try:
                household_assign_helper(
                    household=household,
                    helper=form.cleaned_data["helper"],
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            else:
                messages.success(request, _("Helper assignment saved."))
                return redirect(household.get_absolute_url() + "#helper")
    else:
        form = AssignHelperForm(initial={"helper": household.helper_id})
    context = {"form": form, "household": household, "helper_assignments": helper_assignments(household)}
    return render(request, "households/helper_form.html", context)


@login_required
def visits_weekly(request):
    households = weekly_households(request.user) if can_read_weekly(request.user) else None
    if households is None:
        raise PermissionDenied
    monday = parse_week(request.GET.get("week"))
    stats = weekly_stats(households=households, monday=monday)
    stats["previous_week"] = _iso(monday - datetime.timedelta(days=7))
    stats["next_week"] = _iso(monday + datetime.timedelta(days=7))
    return render(request, "households/visits_weekly.html", stats)


def _iso(day: datetime.date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


@login_required
def visit_attachment(request, pk):
    visit = get_object_or_404(visits_visible_to(request.user), pk=pk)
    return attachment_response(visit.attachment)
