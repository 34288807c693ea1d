"""Inspection pages: scoped lookup (404 out of scope), a form, one service call, redirect."""

import io
from decimal import Decimal
from functools import partial

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from povertycase.core import concurrency
from povertycase.core.models import ExportLog
from povertycase.errors import DomainError

from . import services
from .excel import write_sample
from .forms import (
    FindingForm,
    FindingItemForm,
    InspectionForm,
    MissedForm,
    ResultForm,
    SampleForm,
    SurveyedForm,
)
from .queries import (
    findings_visible_to,
    inspections_visible_to,
    sample_entries,
    sample_rates,
    sample_rates_by_township,
    samples_visible_to,
)
from .rules import can_record

PAGE_SIZE = 50


def _ensure_recorder(request):
    if not can_record(request.user):
        raise PermissionDenied


def _call(form, call) -> bool:
    """Run the service; put its refusal next to the field it names."""
    try:
        call()
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return False
    return True


def _call_once(request, form, call, fallback) -> str | None:
    """`_call` for a create form: a repeat of the same form (a double click) stores nothing and goes
    where the first went. Returns that address, or None when the service refused."""
    try:
        with concurrency.submitted_once(request) as submission:
            if submission.done:
                return submission.url or fallback
            submission.url = call().get_absolute_url()
            return submission.url
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def inspection_list(request):
    qs = inspections_visible_to(request.user)
    return render(
        request,
        "inspections/inspection_list.html",
        {"page_obj": _page(request, qs), "can_record": can_record(request.user)},
    )


@login_required
def inspection_create(request):
    _ensure_recorder(request)
    if (repeat := concurrency.resubmitted(request, reverse("inspections:inspection_list"))) is not None:
        return redirect(repeat)
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        call = partial(services.inspection_create, user=request.user, **form.cleaned_data)
        if url := _call_once(request, form, call, reverse("inspections:inspection_list")):
            messages.success(request, _("Saved."))
            return redirect(url)
    return render(request, "inspections/inspection_form.html", {"form": form})


@login_required
def inspection_detail(request, pk):
    inspection = get_object_or_404(inspections_visible_to(request.user), pk=pk)
    recorder = can_record(request.user)
    form = FindingForm(request.POST or None) if recorder else None
    if request.method == "POST":
        _ensure_recorder(request)
        if (repeat := concurrency.resubmitted(request, inspection.get_absolute_url())) is not None:
            return redirect(repeat)  # a double click: the finding was recorded
        if form.is_valid():
            data = form.service_data()
            call = partial(services.finding_record, user=request.user, inspection=inspection, **data)
            if url := _call_once(request, form, call, inspection.get_absolute_url()):
                messages.success(request, _("Finding recorded."))
                return redirect(url)
    findings = findings_visible_to(request.user).filter(inspection=inspection)
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "inspection": inspection,
            "findings": findings,
            "form": form,
            "townships": inspection.townships.all(),
            "villages": inspection.villages.select_related("township"),
            "team_members": inspection.team.members.all() if inspection.team_id else [],
        },
    )


@login_required
def finding_list(request):
    qs = findings_visible_to(request.user)
    return render(
        request,
        "inspections/finding_list.html",
        {"page_obj": _page(request, qs), "can_record": can_record(request.user)},
    )


@login_required
def finding_detail(request, pk):
    finding = get_object_or_404(findings_visible_to(request.user), pk=pk)
    recorder = can_record(request.user)
    form = None
    if recorder and not finding.item_id:
        initial = {"responsible_township": finding.township, "responsible_department": finding.department}
        form = FindingItemForm(request.POST or None, initial=initial)
    if request.method == "POST":
        _ensure_recorder(request)
        if form is None:
            messages.error(request, _("This finding already has a rectification item."))
            return redirect(finding)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if data["responsible_township"] and data["responsible_department"]:
                form.add_error(None, _("Choose exactly one responsible unit: a township or a department."))
            elif _call(form, lambda: services.finding_to_item(user=request.user, finding=finding, **data)):
                messages.success(request, _("Rectification item opened."))
                return redirect(finding)
    return render(request, "inspections/finding_detail.html", {"finding": finding, "form": form})


@login_required
def sample_list(request):
    _ensure_recorder(request)
    return render(
        request,
        "inspections/sample_list.html",
        {"page_obj": _page(request, samples_visible_to(request.user))},
    )


@login_required
def sample_create(request):
    _ensure_recorder(request)
    form = SampleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = {}
        if _call(
            form,
            lambda: saved.update(
                obj=services.sample_draw(
                    user=request.user,
                    title=data["title"],
                    inspection=data["inspection"],
                    rate=data["rate_percent"] / Decimal(100),
                    remote_factor=data["remote_factor"],
                    seed=data["seed"],
                    townships=list(data["townships"]),
                )
            ),
        ):
            messages.success(request, _("Sample drawn."))
            return redirect(saved["obj"])
    return render(request, "inspections/sample_form.html", {"form": form})


@login_required
def sample_detail(request, pk):
    sample = get_object_or_404(samples_visible_to(request.user), pk=pk)
    missed_form = MissedForm(request.POST if request.POST.get("form") == "missed" else None)
    surveyed_form = SurveyedForm(
        request.POST if request.POST.get("form") == "surveyed" else None,
        initial={"persons": sample.non_registered_persons_surveyed},
    )
    if request.method == "POST":
        if request.POST.get("form") == "missed" and missed_form.is_valid():
            if _call(
                missed_form,
                lambda: services.missed_household_record(
                    user=request.user, sample=sample, **missed_form.cleaned_data
                ),
            ):
                messages.success(request, _("Saved."))
                return redirect(sample)
        elif request.POST.get("form") == "surveyed" and surveyed_form.is_valid():
            if _call(
                surveyed_form,
                lambda: services.sample_surveyed_persons_set(
                    user=request.user, sample=sample, persons=surveyed_form.cleaned_data["persons"]
                ),
            ):
                messages.success(request, _("Saved."))
                return redirect(sample)
    entries = sample_entries(sample)
    return render(
        request,
        "inspections/sample_detail.html",
        {
            "sample": sample,
            "page_obj": _page(request, entries),
            "rates": sample_rates(sample),
            "by_township": sample_rates_by_township(sample),
            "missed": sample.missed.select_related("village__township"),
            "missed_form": missed_form,
            "surveyed_form": surveyed_form,
            "rate_percent": sample.rate * 100,
        },
    )


@login_required
def sample_entry(request, pk, entry_pk):
    sample = get_object_or_404(samples_visible_to(request.user), pk=pk)
    entry = get_object_or_404(sample_entries(sample), pk=entry_pk)
    result = getattr(entry, "result", None)
    initial = {}
    if result is not None:
        yes_no = {True: "1", False: "0", None: ""}
        initial = {
            f: yes_no[getattr(result, f)]
            for f in ("identification_accurate", "exit_accurate", "satisfied", "knows_policies")
        }
        initial["problems"] = result.problems
    form = ResultForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _call(
            form, lambda: services.sample_result_record(user=request.user, entry=entry, **form.cleaned_data)
        ):
            messages.success(request, _("Result saved."))
            return redirect(sample)
    return render(request, "inspections/sample_entry.html", {"sample": sample, "entry": entry, "form": form})


@login_required
@require_POST
def finding_from_entry(request, pk, entry_pk):
    """A problem found at a sampled household becomes a finding naming that household."""
    sample = get_object_or_404(samples_visible_to(request.user), pk=pk)
    entry = get_object_or_404(sample_entries(sample), pk=entry_pk)
    result = getattr(entry, "result", None)
    if sample.inspection is None or result is None or not result.problems:
        messages.error(request, _("Record the problems found and link the sample to an inspection first."))
        return redirect(sample)
    if (repeat := concurrency.resubmitted(request, sample.get_absolute_url())) is not None:
        return redirect(repeat)  # a double click: the finding was recorded
    call = partial(
        services.finding_record,
        user=request.user,
        inspection=sample.inspection,
        level="household",
        household=entry.household,
        text=result.problems,
    )
    form = forms.Form()
    if url := _call_once(request, form, call, sample.get_absolute_url()):
        messages.success(request, _("Finding recorded."))
        return redirect(url)
    for error in form.non_field_errors():
        messages.error(request, error)
    return redirect(sample)


@login_required
def sample_export(request, pk):
    sample = get_object_or_404(samples_visible_to(request.user), pk=pk)
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"sample-{sample.pk}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    buffer = io.BytesIO()
    rows = write_sample(buffer, sample=sample)
    ExportLog.objects.create(
        user=request.user, kind="inspection_sample", filters={"sample": sample.pk}, row_count=rows
    )
    response.write(buffer.getvalue())
    return response
