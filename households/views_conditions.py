"""Pages of living conditions (生产生活条件) and relocation: the household page's panel and the
record/edit page. Scope comes from households_visible_to only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from povertycase.core import concurrency
from povertycase.errors import DomainError

from .checks import checks_for_household
from .checks import service as checks_service
from .checks.runner import open_violations
from .forms_conditions import LivingConditionsForm
from .models import LivingConditions
from .queries import households_visible_to
from .services.conditions import (
    AREA_FIELDS,
    CONDITIONS_RULES,
    RELOCATION_FIELDS,
    ConditionsInvalid,
    can_edit_conditions,
    conditions_history,
    conditions_of,
    conditions_version,
    household_conditions_save,
    shown_values,
)

OTHER_FIELDS = ("road_type", "road_distance_km", "sanitary_toilet", "main_fuel")


def conditions_panel(household, user) -> dict:
    """Context of the household page's panel (one query)."""
    record = conditions_of(household)
    return {
        "conditions": record,
        "conditions_values": shown_values(record, (*AREA_FIELDS, *OTHER_FIELDS)) if record else [],
        "conditions_relocation": _relocation_values(record),
        "can_edit_conditions": can_edit_conditions(user, household, in_scope=True),
    }


def _relocation_values(record: LivingConditions | None) -> list[tuple[str, str]]:
    if record is None:
        return []
    if record.is_relocated:
        return shown_values(record, ("is_relocated", *RELOCATION_FIELDS))
    return shown_values(record, ("is_relocated",))


@login_required
def household_conditions(request, pk):
    household = get_object_or_404(households_visible_to(request.user), pk=pk)
    if not can_edit_conditions(request.user, household, in_scope=True):
        raise PermissionDenied
    back = reverse("households:household_detail", args=[household.pk])
    if (repeat := concurrency.resubmitted(request, back)) is not None:
        return redirect(repeat)
    record = conditions_of(household)
    version = concurrency.loaded_version(request, lambda: conditions_version(household))
    data = request.POST if request.method == "POST" else None
    form = LivingConditionsForm(
        data, instance=record or LivingConditions(household=household), user=request.user
    )
    if data is not None and form.is_valid() and _saved(request, household, form, version, back):
        for violation in checks_for_household(household):
            if violation.rule_id in CONDITIONS_RULES:
                messages.warning(request, f"{violation.rule_id} {violation.message}")
        messages.success(request, _("Living conditions saved."))
        return redirect("households:household_detail", pk=household.pk)
    context = {
        "household": household,
        "record": record,
        "form": form,
        "version": version,
        "history": conditions_history(record),
        "violations": open_violations(household).filter(rule_id__in=CONDITIONS_RULES).order_by("rule_id"),
    }
    return render(request, "households/conditions_form.html", context)


def _saved(request, household, form, version, back) -> bool:
    """Save through the service; its refusals go back on the form."""
    try:
        with concurrency.submitted_once(request) as submission:
            if not submission.done:
                household_conditions_save(
                    household=household,
                    user=request.user,
                    data=form.data_for_save(),
                    reason=form.cleaned_data.get("change_reason", ""),
                    expected_version=version,
                )
                submission.url = back
    except ConditionsInvalid as problems:
        form.add_error(None, problems.message)
        for name, texts in problems.errors.items():
            for text in texts:
                form.add_error(name if name in form.fields else None, text)
    except DomainError as refusal:
        form.add_error(None, refusal.message)
    except checks_service.ChecksRefused as refused:
        form.add_error(None, _("Not saved: the logic checks found errors. Correct them and save again."))
        for message in refused.messages:
            form.add_error(None, message)
    else:
        return True
    return False
