"""Exit procedure pages: a household's procedure with its eight steps, the village view with
counts per step and milestone marks, its xlsx export, and the command office's milestones.

Every procedure is reached through `procedures_visible_to` (out of scope: 404)."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from povertycase.core import concurrency
from povertycase.core.exports import logged_xlsx_response
from povertycase.core.files import attachment_response
from povertycase.core.params import year_param
from povertycase.errors import DomainError
from povertycase.excel import Column, SheetWriter

from . import rules
from .exit_queries import (
    LEVEL_LABELS,
    default_milestones,
    due_for,
    milestones_of,
    overdue_filter,
    procedures_visible_to,
    step_counts,
    with_progress,
)
from .forms_exit import ExitFilterForm, ExitStepForm, MilestoneForm, ResolveForm, SignatureForm
from .history import display_name
from .models import ExitStep, ExitStepNumber
from .queries import households_visible_to
from .services.exit import (
    can_record_signature,
    can_record_step,
    exit_milestones_save,
    exit_record_signature,
    exit_record_step,
    exit_resolve_cross_check,
    exit_standard_failures,
    exit_start,
    is_completed,
    is_stopped,
    procedure_stale_message,
    procedure_version,
)

PAGE_SIZE = 50


# ------------------------------------------------------------------ one procedure


@login_required
@require_POST
def exit_start_view(request, pk):
    household = get_object_or_404(households_visible_to(request.user), pk=pk)
    try:
        procedure = exit_start(household=household, year=timezone.localdate().year, user=request.user)
    except DomainError as refusal:
        messages.error(request, refusal.message)
        return redirect(household)
    messages.success(request, _("Exit procedure started."))
    return redirect(procedure)


def _procedure(request, pk):
    qs = procedures_visible_to(request.user).select_related("household__village__township", "started_by")
    return get_object_or_404(qs, pk=pk)


def _step_rows(procedure, steps: dict, next_number: int | None, user) -> list[dict]:
    rows = []
    for number, label in ExitStepNumber.choices:
        step = steps.get(number)
        rows.append(
            {
                "number": number,
                "label": label,
                "step": step,
                "user_name": display_name(step.user) if step else "",
                "details": _detail_lines(step) if step else [],
                "is_next": number == next_number,
                "may_record": number == next_number
                and can_record_step(user, number, procedure.household, in_scope=True),
            }
        )
    return rows


DETAIL_LABELS = {
    "members_verified": _lazy("members verified one by one"),
    "attendance": _lazy("attendance"),
    "votes_for": _lazy("votes for"),
    "votes_against": _lazy("votes against"),
    "checkers": _lazy("checking team"),
    "reviewer": _lazy("reviewer"),
    "place": _lazy("place of the notice"),
    "objections": _lazy("objections and handling"),
    "objection_open": _lazy("an objection is still being handled"),
    "document_number": _lazy("document number"),
    "archive_ref": _lazy("archive reference"),
    "resolution": _lazy("how the problem was resolved"),
    "resolved_on": _lazy("resolved on"),
}


def _detail_lines(step: ExitStep) -> list[tuple[str, str]]:
    lines = []
    for key, value in (step.details or {}).items():
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        lines.append((str(DETAIL_LABELS.get(key, key)), str(value)))
    return lines


@login_required
def exit_detail(request, pk):
    procedure = _procedure(request, pk)
    household = procedure.household
    steps = {step.number: step for step in procedure.steps.select_related("user")}
    stopped, completed = is_stopped(steps), is_completed(steps)
    next_number = None if stopped or completed else max(steps, default=0) + 1
    form = None
    back = procedure.get_absolute_url()
    if (repeat := concurrency.resubmitted(request, back)) is not None:
        return redirect(repeat)
    version = concurrency.loaded_version(request, lambda: procedure_version(procedure))
    if request.method == "POST" and (stale := procedure_stale_message(procedure, version)):
        messages.error(request, stale)  # the next step is another one now: no form to show it on
        return redirect(procedure)
    if next_number and can_record_step(request.user, next_number, household, in_scope=True):
        form = ExitStepForm(
            request.POST or None,
            request.FILES or None,
            number=next_number,
            initial={"date": timezone.localdate()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                with concurrency.submitted_once(request) as submission:
                    if submission.done:
                        return redirect(submission.url or back)
                    exit_record_step(
                        procedure=procedure,
                        number=next_number,
                        user=request.user,
                        expected_version=version,
                        **form.service_kwargs(),
                    )
                    submission.url = back
            except DomainError as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            else:
                messages.success(request, _("Step %(number)s recorded.") % {"number": next_number})
                return redirect(procedure)
    elif request.method == "POST":
        raise PermissionDenied
    today = timezone.localdate()
    reached = max(steps, default=0)
    due = due_for(reached, stopped, milestones_of(procedure.year), today)
    cross_check = steps.get(ExitStepNumber.CROSS_CHECK)
    context = {
        "procedure": procedure,
        "household": household,
        "version": version,
        "rows": _step_rows(procedure, steps, next_number, request.user),
        "form": form,
        "next_number": next_number,
        "next_label": ExitStepNumber(next_number).label if next_number else "",
        "stopped": stopped,
        "completed": completed,
        "failures": [] if completed else exit_standard_failures(household, year=procedure.year),
        "due": due,
        "can_sign": can_record_signature(request.user, household, in_scope=True),
        "signature_form": SignatureForm(
            initial={
                "signed": {True: "1", False: "0"}.get(procedure.household_signed),
                "signature_note": procedure.signature_note,
            }
        ),
        "resolve_form": ResolveForm()
        if cross_check
        and not cross_check.passed
        and can_record_step(request.user, ExitStepNumber.CROSS_CHECK, household, in_scope=True)
        else None,
    }
    return render(request, "households/exit_detail.html", context)


@login_required
@require_POST
def exit_signature(request, pk):
    procedure = _procedure(request, pk)
    form = SignatureForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the household signed or refused."))
        return redirect(procedure)
    try:
        exit_record_signature(
            procedure=procedure,
            user=request.user,
            signed=form.cleaned_data["signed"],
            note=form.cleaned_data["signature_note"],
            expected_version=request.POST.get(concurrency.VERSION_FIELD),
        )
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The household's signature was recorded."))
    return redirect(procedure.get_absolute_url() + "#signature")


@login_required
@require_POST
def exit_resolve(request, pk):
    procedure = _procedure(request, pk)
    form = ResolveForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Describe how the problem was resolved."))
        exit_resolve_cross_check(procedure=procedure, user=request.user, note=form.cleaned_data["note"])
    except DomainError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The cross-check problem is marked as resolved."))
    return redirect(procedure)


@login_required
def exit_attachment(request, pk):
    step = get_object_or_404(
        ExitStep.objects.filter(procedure__in=procedures_visible_to(request.user).values("pk")), pk=pk
    )
    return attachment_response(step.attachment)


# ------------------------------------------------------------------ village view


def _filtered(request):
    form = ExitFilterForm(request.GET or None, user=request.user, year=timezone.localdate().year)
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or timezone.localdate().year
    qs = with_progress(procedures_visible_to(request.user).filter(year=year))
    if data.get("township"):
        qs = qs.filter(household__village__township=data["township"])
    if data.get("village"):
        qs = qs.filter(household__village=data["village"])
    milestones = milestones_of(year)
    today = timezone.localdate()
    if data.get("overdue"):
        qs = qs.filter(overdue_filter(milestones, today))
    counts = step_counts(qs)
    if data.get("step") not in (None, ""):
        qs = qs.filter(reached=int(data["step"]))
    return form, year, qs, counts, milestones, today


def _ordered(qs):
    return qs.select_related("household__village__township").order_by(
        "household__village__township__code", "household__village__code", "household__number"
    )


@login_required
def exit_list(request):
    form, year, qs, counts, milestones, today = _filtered(request)
    page = Paginator(_ordered(qs), PAGE_SIZE).get_page(request.GET.get("page"))
    labels = dict(ExitStepNumber.choices)
    for milestone in milestones:
        milestone.label = LEVEL_LABELS.get(milestone.level, milestone.level)
    for procedure in page:
        procedure.due = due_for(procedure.reached, procedure.stopped, milestones, today)
        procedure.reached_label = labels.get(procedure.reached, "")
    context = {
        "form": form,
        "year": year,
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "counts": [(number, labels.get(number, _("not started")), n) for number, n in counts.items()],
        "total": sum(counts.values()),
        "overdue_count": qs.filter(overdue_filter(milestones, today)).count(),
        "milestones": milestones,
        "today": today,
        "can_manage": rules.can_manage_county(request.user),
    }
    return render(request, "households/exit_list.html", context)


EXPORT_COLUMNS = (
    (_lazy("Township"), 12, "text"),
    (_lazy("Village"), 12, "text"),
    (_lazy("Household number"), 20, "text"),
    (_lazy("Head of household"), 10, "text"),
    (_lazy("step reached"), 16, "text"),
    (_lazy("date of the last step"), 14, "date"),
    (_lazy("next due date"), 14, "date"),
    (_lazy("overdue"), 8, "text"),
    (_lazy("household signature"), 12, "text"),
)


def _signature_label(signed) -> str:
    return {True: _("signed"), False: _("refused")}.get(signed, _("not signed yet"))


@login_required
def exit_export(request):
    _form, year, qs, _counts, milestones, today = _filtered(request)
    labels = dict(ExitStepNumber.choices)
    now = timezone.localtime()
    target = io.BytesIO()
    writer = SheetWriter(
        target,
        sheet_name=_("Exit procedures"),
        columns=[Column(str(header), width, kind) for header, width, kind in EXPORT_COLUMNS],
        title_lines=[
            _("Exit procedures of %(year)s") % {"year": year},
            _("Exported at %(time)s") % {"time": f"{now:%Y-%m-%d %H:%M:%S}"},
        ],
    )
    for procedure in _ordered(qs).iterator(chunk_size=2000):
        due = due_for(procedure.reached, procedure.stopped, milestones, today)
        household = procedure.household
        if procedure.stopped:
            reached = _("stopped: appraisal rejected")
        elif procedure.reached:
            reached = f"{procedure.reached} {labels[procedure.reached]}"
        else:
            reached = _("not started")
        writer.write_row(
            [
                household.village.township.name,
                household.village.name,
                household.number,
                household.head_name,
                reached,
                procedure.last_date,
                due.date,
                _("yes") if due.overdue else "",
                _signature_label(procedure.household_signed),
            ]
        )
    return logged_xlsx_response(
        request,
        target,
        write=writer.close,
        kind="exit_procedures",
        filename=f"退出程序_{year}_{now:%Y%m%d}.xlsx",
    )


# ------------------------------------------------------------------ milestones


@login_required
def exit_milestones(request):
    if not rules.can_manage_county(request.user):
        raise PermissionDenied
    year = year_param(request, default=timezone.localdate().year)
    stored = {m.level: m for m in milestones_of(year)}
    current = {m.level: stored.get(m.level, m) for m in default_milestones(year)}
    form = MilestoneForm(request.POST or None, initial={level: m.due_date for level, m in current.items()})
    if request.method == "POST" and form.is_valid():
        try:
            exit_milestones_save(year=year, due_dates=form.cleaned_data, user=request.user)
        except DomainError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("Milestones of %(year)s saved.") % {"year": year})
            return redirect(f"{request.path}?year={year}")
    context = {
        "form": form,
        "year": year,
        "stored": bool(stored),
    }
    return render(request, "households/exit_milestones.html", context)
