"""Pages of the township leaders (乡镇领导): the household's leader in contact, village trips
(乡镇领导下村记录) with the weekly summary, and the leaders' figures for the township and the
command office. Scope comes from households_visible_to and leaders_visible_to only."""

import io

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from povertycase.core import concurrency
from povertycase.core.exports import logged_xlsx_response
from povertycase.errors import DomainError
from povertycase.excel import Column, SheetWriter

from .checks.service import ChecksRefused
from .checks.visits import last_full_week, week_start
from .forms_leaders import LeaderFilterForm, LinkLeaderForm, VillageTripForm
from .history import display_name
from .queries import households_visible_to
from .services.leaders import (
    TripInvalid,
    can_link_leader,
    can_record_trips,
    can_view_leaders,
    household_link_leader,
    is_leader,
    leader_rows,
    leaders_visible_to,
    mark_shortfalls,
    post_label,
    thresholds,
    townships_missing_leaders,
    trips_of,
    village_trip_record,
    weekly_summary,
)

PAGE_SIZE = 20
User = get_user_model()


# ------------------------------------------------------------------ household page panel


def leader_panel(household, user) -> dict:
    """Context of the household page's panel: at most 2 queries (the leader, the form's choices)."""
    leader = None
    if household.contact_leader_id:
        leader = User.objects.filter(pk=household.contact_leader_id).select_related("profile").first()
    form = None
    if can_link_leader(user, household, in_scope=True):
        form = LinkLeaderForm(
            initial={"leader": household.contact_leader_id}, township_id=household.village.township_id
        )
    return {"contact_leader": leader, "leader_form": form}


@login_required
def household_leader(request, pk):
    household = get_object_or_404(households_visible_to(request.user), pk=pk)
    if not can_link_leader(request.user, household, in_scope=True):
        raise PermissionDenied
    township_id = household.village.township_id
    form = LinkLeaderForm(request.POST or None, township_id=township_id)
    if request.method == "POST" and form.is_valid():
        try:
            household_link_leader(
                household=household,
                leader=form.cleaned_data["leader"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ChecksRefused as refusal:
            for message in refusal.messages:
                form.add_error(None, message)
        except DomainError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("Township leader in contact saved."))
            return redirect(household.get_absolute_url() + "#leader")
    elif request.method != "POST":
        form = LinkLeaderForm(initial={"leader": household.contact_leader_id}, township_id=township_id)
    context = {"household": household, "form": form, **leader_panel(household, request.user)}
    return render(request, "households/leader_link.html", context)


# ------------------------------------------------------------------ village trips page


@login_required
def leader_trips(request):
    user = request.user
    if not can_view_leaders(user):
        raise PermissionDenied
    may_record = can_record_trips(user)
    form = VillageTripForm(user=user) if may_record else None
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if concurrency.resubmitted(request, "") is not None:  # a double click: saved already
            return redirect("households:leader_trips")
        form = VillageTripForm(request.POST, user=user)
        if form.is_valid() and _record(request, form):
            messages.success(request, _("Village trip saved."))
            return redirect("households:leader_trips")
    today = timezone.localdate()
    limits = thresholds()
    filters = LeaderFilterForm(request.GET or None, user=user)
    township = filters.cleaned_data.get("township") if filters.is_valid() else None
    context = {
        "form": form,
        "filters": filters,
        "show_filter": filters.fields["township"].queryset.count() > 1,
        "leaders": mark_shortfalls(leader_rows(user, today=today, township=township), limits),
        "missing": townships_missing_leaders(user, township=township),
        "limits": limits,
        "last_week": last_full_week(today),
        "this_week": (week_start(today), today),
    }
    if is_leader(user):
        context.update(_own_trips(request, user, today, limits))
    return render(request, "households/leader_trips.html", context)


def _record(request, form) -> bool:
    """Save the trip through the service; its refusals go next to the fields."""
    data = form.cleaned_data
    try:
        with concurrency.submitted_once(request) as submission:
            if not submission.done:
                village_trip_record(
                    leader=data["leader"],
                    village=data["village"],
                    date=data["date"],
                    purpose=data["purpose"],
                    user=request.user,
                )
    except TripInvalid as problems:
        form.add_error(None, problems.message)
        for name, texts in problems.errors.items():
            for text in texts:
                form.add_error(name if name in form.fields else None, text)
        return False
    except DomainError as refusal:
        form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        return False
    return True


def _own_trips(request, leader, today, limits) -> dict:
    page = Paginator(trips_of(leader), PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "me": leader,
        "weeks": weekly_summary(leader, today=today, min_trips=int(limits["min_trips"])),
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
    }


@login_required
def leader_detail(request, pk):
    """One leader's weekly summary and trips, for whoever may see the leader."""
    if not can_view_leaders(request.user):
        raise PermissionDenied
    leader = get_object_or_404(leaders_visible_to(request.user), pk=pk)
    today = timezone.localdate()
    limits = thresholds()
    context = {"leader": leader, "post": post_label(leader), "limits": limits}
    context.update(_own_trips(request, leader, today, limits))
    return render(request, "households/leader_detail.html", context)


# ------------------------------------------------------------------ export


EXPORT_COLUMNS = (
    (_lazy("Township"), 12, "text"),
    (_lazy("leading post"), 14, "text"),
    (_lazy("Full name"), 10, "text"),
    (_lazy("Linked households"), 12, "int"),
    (_lazy("Trips last week"), 12, "int"),
    (_lazy("Trips this week"), 12, "int"),
    (_lazy("Below the VS-005 thresholds"), 30, "text"),
)


@login_required
def leader_export(request):
    user = request.user
    if not can_view_leaders(user):
        raise PermissionDenied
    today = timezone.localdate()
    limits = thresholds()
    filters = LeaderFilterForm(request.GET or None, user=user)
    township = filters.cleaned_data.get("township") if filters.is_valid() else None
    rows = mark_shortfalls(leader_rows(user, today=today, township=township), limits)
    monday, sunday = last_full_week(today)
    now = timezone.localtime()
    target = io.BytesIO()
    writer = SheetWriter(
        target,
        sheet_name=_("Township leaders"),
        columns=[Column(str(header), width, kind) for header, width, kind in EXPORT_COLUMNS],
        title_lines=[
            _("Township leaders' linked households and village trips"),
            _("Last week %(monday)s – %(sunday)s; exported at %(time)s")
            % {
                "monday": monday.isoformat(),
                "sunday": sunday.isoformat(),
                "time": f"{now:%Y-%m-%d %H:%M:%S}",
            },
        ],
    )
    for leader in rows:
        writer.write_row(
            [
                leader.profile.township.name,
                post_label(leader),
                display_name(leader),
                leader.linked,
                leader.last_week,
                leader.this_week,
                _shortfall_text(leader, limits),
            ]
        )
    return logged_xlsx_response(
        request, target, write=writer.close, kind="leaders", filename=f"乡镇领导下村记录_{now:%Y%m%d}.xlsx"
    )


def _shortfall_text(leader, limits) -> str:
    parts = []
    if leader.few_households:
        parts.append(_("fewer than %(n)s linked households") % {"n": limits["min_households"]})
    if leader.few_trips:
        parts.append(_("fewer than %(n)s trips last week") % {"n": limits["min_trips"]})
    return "；".join(parts)
