"""Village indicators pages (村级指标): the villages in scope with their state, and one village's
indicators with their history. Scope comes from villages_visible_to only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_filters.views import FilterView

from povertycase.core import concurrency
from povertycase.core.pagination import ForgivingPaginationMixin
from povertycase.errors import DomainError

from .checks import run_all_checks
from .checks.villages import INDICATOR_FIELDS
from .forms_villages import VillageFilter, VillageIndicatorsForm
from .models import Household, VillageIndicators, Violation
from .queries import villages_visible_to
from .services.villages import (
    IndicatorsInvalid,
    can_edit_indicators,
    indicators_history,
    indicators_version,
    label,
    show,
    village_indicators_save,
)

PAGE_SIZE = 25


def open_village_violations(village_ref="pk"):
    """Open VL violations of the village (they sit on its first household)."""
    rows = (
        Violation.objects.filter(
            household__village=OuterRef(village_ref), rule_id__startswith="VL-", resolved_at__isnull=True
        )
        .order_by()
        .values("household__village")
        .annotate(n=Count("pk"))
    )
    return Subquery(rows.values("n")[:1], output_field=IntegerField())


class VillageListView(LoginRequiredMixin, ForgivingPaginationMixin, FilterView):
    filterset_class = VillageFilter
    template_name = "households/village_list.html"
    context_object_name = "villages"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return (
            villages_visible_to(self.request.user)
            .select_related("indicators")
            .annotate(open_violations=open_village_violations(), household_count=Count("households"))
            .order_by("township__code", "code")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for village in context["villages"]:
            village.empty_count = _empty_count(village)
        if context.get("is_paginated"):
            page = context["page_obj"]
            context["page_range"] = page.paginator.get_elided_page_range(page.number)
        return context


def _record(village) -> VillageIndicators | None:
    try:
        return village.indicators
    except VillageIndicators.DoesNotExist:
        return None


def _empty_count(village) -> int | None:
    """Empty indicators of the village's record; None when it has no record."""
    record = _record(village)
    if record is None:
        return None
    return sum(getattr(record, name) is None for name in INDICATOR_FIELDS)


@login_required
def village_indicators(request, pk):
    village = get_object_or_404(villages_visible_to(request.user).select_related("indicators"), pk=pk)
    record = _record(village)
    may_edit = can_edit_indicators(request.user, village, in_scope=True)
    form = None
    here = reverse("households:village_indicators", args=[village.pk])
    if (repeat := concurrency.resubmitted(request, here)) is not None:
        return redirect(repeat)
    version = concurrency.loaded_version(request, lambda: indicators_version(village))
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = VillageIndicatorsForm(request.POST)
        if form.is_valid():
            data = {name: form.cleaned_data.get(name) for name in INDICATOR_FIELDS}
            try:
                with concurrency.submitted_once(request) as submission:
                    if not submission.done:
                        reason = form.cleaned_data["reason"]
                        village_indicators_save(
                            village=village,
                            user=request.user,
                            data=data,
                            reason=reason,
                            expected_version=version,
                        )
                        submission.url = here
            except IndicatorsInvalid as problems:
                form.add_error(None, problems.message)
                for name, texts in problems.errors.items():
                    for text in texts:
                        form.add_error(name if name in form.fields else None, text)
            except DomainError as refusal:
                form.add_error(None, refusal.message)
            else:
                # The village's VL violations follow the new figures now, not at the nightly scan.
                run_all_checks(households=Household.objects.filter(village=village))
                messages.success(request, _("Village indicators saved."))
                return redirect("households:village_indicators", pk=village.pk)
    elif may_edit:
        form = VillageIndicatorsForm(initial=VillageIndicatorsForm.initial_from(record))
    context = {
        "village": village,
        "record": record,
        "form": form,
        "version": version,
        "can_edit": may_edit,
        "values": [(label(name), show(getattr(record, name, None))) for name in INDICATOR_FIELDS],
        "history": indicators_history(record),
        "violations": _violations(village),
    }
    return render(request, "households/village_indicators.html", context)


def _violations(village):
    """The village's open VL violations: village facts, shown to whoever may see the village."""
    return (
        Violation.objects.filter(
            household__village=village, rule_id__startswith="VL-", resolved_at__isnull=True
        )
        .select_related("household")
        .order_by("rule_id")
    )
