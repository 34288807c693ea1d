"""Register pages: the views look up in scope, parse, call one service and redirect."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from povertycase.core import concurrency
from povertycase.core.exports import logged_xlsx_response
from povertycase.core.pagination import ForgivingPaginationMixin
from povertycase.errors import DomainError

from . import rules
from .checks import checks_for_household
from .checks import service as checks_service
from .checks.runner import open_violations
from .filters import PAGE_SIZES, SORTS, HouseholdFilter
from .forms import HouseholdForm, MemberFormSet, NewMemberFormSet
from .history import describe, household_history
from .models import County, Household
from .queries import households_visible_to
from .services import register as register_service
from .services.register import MEMBER_FIELDS, RegisterInvalid
from .views_conditions import conditions_panel
from .views_leaders import leader_panel
from .views_plan import plan_panel
from .views_visits import household_visit_context
from .views_work import work_panel

FACT_FIELDS = [
    "village",
    "group_name",
    "household_type",
    "attribute",
    "id_standard",
    "identified_month",
    "exit_status",
    "exit_month",
    "main_cause",
    "other_causes",
    "member_count",
    "phone",
    "helper_name",
    "helper_phone",
    "farmland_area",
    "is_dangerous_house",
    "housing_grade",
    "water_safe",
    "water_difficult",
    "has_electricity",
]


class HouseholdListView(LoginRequiredMixin, ForgivingPaginationMixin, FilterView):
    filterset_class = HouseholdFilter
    template_name = "households/household_list.html"
    context_object_name = "households"

    def get_queryset(self):
        return households_visible_to(self.request.user)

    def get_paginate_by(self, queryset):
        size = self.request.GET.get("per_page", "")
        return next((choice for choice in PAGE_SIZES if str(choice) == size), PAGE_SIZES[0])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = self.request.GET.get("sort", "number")
        context.update(
            can_edit=rules.can_edit_register(self.request.user),
            page_sizes=PAGE_SIZES,
            per_page=self.get_paginate_by(None),
            sort=current,
            sort_next={key: (f"-{key}" if current == key else key) for key in SORTS},
        )
        if context.get("is_paginated"):
            page = context["page_obj"]
            context["page_range"] = page.paginator.get_elided_page_range(page.number)
        return context


class HouseholdDetailView(LoginRequiredMixin, DetailView):
    template_name = "households/household_detail.html"
    context_object_name = "household"

    def get_queryset(self):
        return households_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        household = self.object
        can_edit = rules.can_edit_register(self.request.user)
        context.update(
            can_edit=can_edit,
            members=household.members.all(),
            facts=describe(household, FACT_FIELDS, show_full_ids=can_edit),
            history=household_history(household, show_full_ids=can_edit),
            violations=open_violations(household),
        )
        context.update(household_visit_context(household, self.request.user))
        for panel in (conditions_panel, work_panel, leader_panel, plan_panel):
            context.update(panel(household, self.request.user))
        return context


@login_required
def household_create(request):
    if not rules.can_edit_register(request.user):
        raise PermissionDenied
    return _edit(request, household=None)


@login_required
def household_update(request, pk):
    household = get_object_or_404(households_visible_to(request.user), pk=pk)
    if not rules.can_edit_register(request.user):
        raise PermissionDenied
    return _edit(request, household=household)


def _edit(request, *, household):
    if (repeat := concurrency.resubmitted(request, reverse("households:household_list"))) is not None:
        return redirect(repeat)
    instance = household or Household()
    data = request.POST if request.method == "POST" else None
    form = HouseholdForm(data, instance=instance, user=request.user)
    formset_class = MemberFormSet if household else NewMemberFormSet
    formset = formset_class(data, instance=instance, prefix="members")
    version = _loaded_version(request, household)
    if data is not None and form.is_valid() and formset.is_valid():
        entries, forms = _member_entries(formset)
        before = checks_service.error_keys(household)
        try:
            with concurrency.submitted_once(request) as submission:
                if submission.done:  # its twin was saved while this one was validated
                    return redirect(submission.url or "households:household_list")
                saved = _save(request.user, household, form.cleaned_data, entries, version)
                checks_service.refuse_new_errors(saved, before)  # its errors roll the save back
                submission.url = saved.get_absolute_url()
        except RegisterInvalid as problems:
            _show_problems(problems, form, forms)
        except DomainError as refusal:
            form.add_error(None, refusal.message)
        except checks_service.ChecksRefused as refused:
            form.add_error(None, _("Not saved: the logic checks found errors. Correct them and save again."))
            for message in refused.messages:
                form.add_error(None, message)
        else:
            for violation in checks_for_household(saved):
                messages.warning(request, f"{violation.rule_id} {violation.message}")
            messages.success(request, _("Household %(number)s saved.") % {"number": saved.number})
            return redirect(saved)
    context = {"form": form, "formset": formset, "household": household, "version": version}
    return render(request, "households/household_form.html", context)


def _loaded_version(request, household) -> str:
    if household is None:
        return ""
    return concurrency.loaded_version(request, lambda: register_service.household_version(household))


def _save(user, household, data, entries, version):
    if household is None:
        return register_service.household_create(user=user, data=data, members=entries)
    return register_service.household_update(
        household=household, user=user, data=data, members=entries, expected_version=version
    )


def _member_entries(formset) -> tuple[list[dict], list]:
    entries, forms = [], []
    for member_form in formset.forms:
        if not member_form.instance.pk and not member_form.has_changed():
            continue
        cleaned = member_form.cleaned_data
        entry = {name: cleaned[name] for name in MEMBER_FIELDS if name in cleaned}
        entry["id"] = member_form.instance.pk
        entry["DELETE"] = bool(cleaned.get("DELETE"))
        entries.append(entry)
        forms.append(member_form)
    return entries, forms


def _show_problems(problems: RegisterInvalid, form, member_forms) -> None:
    for name, texts in problems.household.items():
        for text in texts:
            form.add_error(name if name in form.fields else None, text)
    for index, by_field in problems.members.items():
        for name, texts in by_field.items():
            for text in texts:
                member_forms[index].add_error(name if name in member_forms[index].fields else None, text)
    if any(problems.members.values()) or not any(problems.household.values()):
        form.add_error(None, problems.message)  # the rows below may be far down the page


@login_required
def household_export(request):
    filterset = HouseholdFilter(request.GET, queryset=households_visible_to(request.user), request=request)
    # As on the list (FilterView is strict): a filter that does not validate matches nothing.
    households = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    from .excel import write_register  # written alongside; imported late so the list works without it
    from .excel.roster_writer import write_roster

    now = timezone.localtime()
    target = io.BytesIO()
    if request.GET.get("layout") == "roster":
        return logged_xlsx_response(
            request,
            target,
            write=lambda: write_roster(households, target, exported_at=now),
            kind="households",
            filename=f"已脱贫人口名单_{now:%Y%m%d}.xlsx",
        )
    return logged_xlsx_response(
        request,
        target,
        write=lambda: write_register(
            households, target, title_county=_county_name(request.user), exported_at=now
        ),
        kind="households",
        filename=f"户籍台账_{now:%Y%m%d}.xlsx",
    )


def _county_name(user) -> str:
    profile = getattr(user, "profile", None)
    township = getattr(profile, "township", None) or getattr(
        getattr(profile, "village", None), "township", None
    )
    if township is not None:
        return township.county.name
    county = County.objects.order_by("code").first()
    return county.name if county else ""
