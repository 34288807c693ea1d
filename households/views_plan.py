"""Pages of the household's plan (一户一策): measures and yearly income.

Views look the household up in the user's scope (404 outside it), let only register editors
write (403), parse with the forms and call one service of households.services.plan.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from povertycase.core import concurrency
from povertycase.errors import DomainError

from . import rules
from .checks import checks_for_household
from .checks.service import ChecksRefused
from .forms_plan import IncomeForm, MeasureForm
from .models import Household, IncomeRecord
from .queries import households_visible_to
from .services import plan as plan_service

EARLIER_YEARS_SHOWN = 5


def plan_panel(household, user) -> dict:
    """Context of the household page's panel (two queries): the measures with their member, and
    the latest income with the earlier years' in one read."""
    incomes = list(household.incomes.order_by("-year")[: EARLIER_YEARS_SHOWN + 1])
    return {
        "can_edit_plan": rules.can_edit_register(user),
        "measures": household.measures.select_related("department", "member"),
        "income": incomes[0] if incomes else None,
        "earlier_incomes": incomes[1:],
    }


def _household_to_edit(request, pk) -> Household:
    household = get_object_or_404(households_visible_to(request.user), pk=pk)
    if not rules.can_edit_register(request.user):
        raise PermissionDenied
    return household


def _plan_url(household) -> str:
    return f"{household.get_absolute_url()}#plan"


def _show_problems(form, problems: plan_service.PlanInvalid) -> None:
    """The summary once, then each field's problems unless the form already marked that field."""
    marked = set(form.errors)
    form.add_error(None, problems.message)
    for name, texts in problems.errors.items():
        if name in marked:
            continue
        for text in texts:
            form.add_error(name if name in form.fields else None, text)


def _show_refusal(form, refused: ChecksRefused) -> None:
    form.add_error(None, _("Not saved: the logic checks found errors. Correct them and save again."))
    for message in refused.messages:
        form.add_error(None, message)


def _report_saved(request, household, text: str) -> None:
    """As the household edit does: the warnings the checks still find, then the success."""
    for violation in checks_for_household(household):
        messages.warning(request, f"{violation.rule_id} {violation.message}")
    messages.success(request, text)


def _save_form(form, save, check, request) -> bool:
    """Run `save(cleaned_data)`; on refusal put the reasons on the form and return False.

    A form that does not parse still gets the service's checks of the fields that did (`check`),
    so every problem shows at once.
    """
    if not form.is_valid():
        _show_problems(form, check(form.cleaned_data))
        return False
    try:
        with concurrency.submitted_once(request) as submission:
            if not submission.done:  # else its twin was saved while this one was checked
                save(form.cleaned_data)
    except plan_service.PlanInvalid as problems:
        _show_problems(form, problems)
    except DomainError as refusal:
        form.add_error(None, refusal.message)
    except ChecksRefused as refused:
        _show_refusal(form, refused)
    else:
        return True
    return False


# ------------------------------------------------------------------ measures


@login_required
def measure_create(request, pk):
    return _measure_form(request, _household_to_edit(request, pk), measure=None)


@login_required
def measure_update(request, pk, measure_pk):
    household = _household_to_edit(request, pk)
    measure = get_object_or_404(household.measures, pk=measure_pk)
    return _measure_form(request, household, measure=measure)


def _measure_form(request, household, *, measure):
    if (repeat := concurrency.resubmitted(request, _plan_url(household))) is not None:
        return redirect(repeat)
    version = concurrency.loaded_version(request, lambda: concurrency.record_version(measure))
    data = request.POST if request.method == "POST" else None
    initial = MeasureForm.initial_from(measure) if measure else {}
    form = MeasureForm(data, household=household, measure=measure, initial=initial)

    def save(cleaned):
        plan_service.measure_save(
            household=household,
            user=request.user,
            data=cleaned,
            measure=measure,
            reason=cleaned["reason"],
            expected_version=version,
        )

    def check(cleaned):
        return plan_service.measure_problems(household, cleaned, measure=measure)

    if data is not None and _save_form(form, save, check, request):
        _report_saved(request, household, _("Assistance measure saved."))
        return redirect(_plan_url(household))
    context = {"household": household, "measure": measure, "form": form, "version": version}
    return render(request, "households/plan_measure_form.html", context)


@login_required
def measure_delete(request, pk, measure_pk):
    household = _household_to_edit(request, pk)
    measure = get_object_or_404(household.measures.select_related("member", "department"), pk=measure_pk)
    errors = []
    if request.method == "POST":
        try:
            plan_service.measure_delete(
                measure=measure, user=request.user, reason=request.POST.get("reason", "")
            )
        except DomainError as refusal:
            errors = [refusal.message]
        except ChecksRefused as refused:
            errors = [_("Not deleted: the logic checks found errors."), *refused.messages]
        else:
            _report_saved(request, household, _("Assistance measure deleted."))
            return redirect(_plan_url(household))
    context = {"household": household, "measure": measure, "errors": errors}
    return render(request, "households/plan_measure_delete.html", context)


@login_required
@require_POST
def measure_stop(request, pk, measure_pk):
    household = _household_to_edit(request, pk)
    measure = get_object_or_404(household.measures, pk=measure_pk)
    try:
        plan_service.measure_stop(measure=measure, user=request.user)
    except DomainError as refusal:
        messages.error(request, refusal.message)
    except ChecksRefused as refused:
        messages.error(request, _("Not stopped: the logic checks found errors."))
        for message in refused.messages:
            messages.error(request, message)
    else:
        _report_saved(request, household, _("Assistance measure stopped."))
    return redirect(_plan_url(household))


# ------------------------------------------------------------------ income


@login_required
def income_create(request, pk):
    household = _household_to_edit(request, pk)
    return _income_form(request, household, record=None)


@login_required
def income_update(request, pk, income_pk):
    household = _household_to_edit(request, pk)
    record = get_object_or_404(household.incomes, pk=income_pk)
    return _income_form(request, household, record=record)


def _income_form(request, household, *, record: IncomeRecord | None):
    if (repeat := concurrency.resubmitted(request, _plan_url(household))) is not None:
        return redirect(repeat)
    version = concurrency.loaded_version(request, lambda: concurrency.record_version(record))
    data = request.POST if request.method == "POST" else None
    if record is not None:
        initial = IncomeForm.initial_from(record)
    else:
        initial = {
            "year": plan_service.last_income_year(),
            "member_count_used": max(plan_service.active_member_count(household), 1),
        }
    form = IncomeForm(data, initial=initial)

    def save(cleaned):
        plan_service.income_save(
            household=household,
            user=request.user,
            data=cleaned,
            record=record,
            reason=cleaned["reason"],
            expected_version=version,
        )

    def check(cleaned):
        return plan_service.income_problems(household, cleaned, record=record)

    if data is not None and _save_form(form, save, check, request):
        _report_saved(request, household, _("Income record saved."))
        return redirect(_plan_url(household))
    context = {
        "household": household,
        "record": record,
        "form": form,
        "version": version,
        "preview": _preview(form, record),
        "first_year": plan_service.FIRST_INCOME_YEAR,
        "last_year": plan_service.last_income_year(),
    }
    return render(request, "households/plan_income_form.html", context)


def _preview(form, record):
    """(net, per-capita) as the server computes them, for the figures the form holds now."""
    if form.is_bound:
        return plan_service.income_preview(form.cleaned_data) if hasattr(form, "cleaned_data") else None
    return (record.net_income, record.per_capita_income) if record else None
