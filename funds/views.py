"""Funds pages: scoped lookup, parse, one service call or query, render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Prefetch, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView

from households.models import Village
from households.queries import villages_visible_to
from povertycase.core import codes
from povertycase.core.files import attachment_response
from povertycase.core.params import year_param
from povertycase.errors import DomainError

from . import forms as f
from . import queries, rules, services
from .filters import ProjectFilter
from .history import project_trail
from .models import BudgetLine, IncomeDistribution, Status
from .progress import compute

PAGE_SIZE = 50
ACTION_FORMS = {
    "budget": f.BudgetForm,
    "payment": f.PaymentForm,
    "completion": f.CompletionForm,
    "beneficiary": f.BeneficiaryForm,
    "asset": f.AssetForm,
    "delay": f.DelayForm,
    **{name: f.TransitionForm for name in f.TRANSITION_ACTIONS},
}


def _page_range(context):
    if context.get("is_paginated"):
        page = context["page_obj"]
        context["page_range"] = page.paginator.get_elided_page_range(page.number)


class ProjectListView(LoginRequiredMixin, FilterView):
    filterset_class = ProjectFilter
    template_name = "funds/project_list.html"
    context_object_name = "projects"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return queries.with_money(queries.projects_visible_to(self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        _page_range(context)
        context["type_labels"] = dict(codes.choices("fund_project_type"))
        context["today"] = timezone.localdate()
        context["can_import"] = rules.can_manage_allocations(self.request.user)
        context["can_create"] = rules.is_command(self.request.user) or rules.can_create_project(
            self.request.user,
            township_id=getattr(getattr(self.request.user, "profile", None), "township_id", None),
            department_id=getattr(getattr(self.request.user, "profile", None), "department_id", None),
        )
        return context


@login_required
def project_create(request):
    villages = (
        villages_visible_to(request.user) if not rules.sees_all(request.user) else Village.objects.all()
    )
    form = f.ProjectForm(request.POST or None, villages=villages.select_related("township").order_by("code"))
    if request.method == "POST" and form.is_valid():
        data, chosen = form.service_data()
        try:
            project = services.project_create(user=request.user, data=data, villages=chosen)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect(project)
    return render(request, "funds/form.html", {"form": form, "title": _("New project")})


def _action_forms(request, project) -> dict:
    user, result = request.user, {}
    if rules.can_manage_allocations(user) and project.status not in (Status.WITHDRAWN, Status.REIMBURSED):
        allocations = queries.allocations_visible_to(user).filter(year=project.year)
        result["budget"] = f.BudgetForm(allocations=allocations)
    if not rules.can_work(user, project):
        return result
    if project.status in (Status.APPROVED, Status.IN_PROGRESS, Status.COMPLETED, Status.ACCEPTED):
        lines = project.budget_lines.select_related("allocation")
        result["payment"] = f.PaymentForm(lines=lines, initial={"paid_on": timezone.localdate()})
    if project.status == Status.IN_PROGRESS:
        result["completion"] = f.CompletionForm(
            initial={"reported_on": timezone.localdate(), "percent": project.completion_percent or None}
        )
    if services.is_household_type(project) and project.status != Status.WITHDRAWN:
        result["beneficiary"] = f.BeneficiaryForm()
    if project.status in (Status.ACCEPTED, Status.REIMBURSED):
        result["asset"] = f.AssetForm(initial={"formed_on": project.accepted_on})
    if project.is_behind_on(timezone.localdate()):
        result["delay"] = f.DelayForm(initial={"reason": project.delay_reason})
    return result


def _transitions(user, project) -> list[str]:
    return [
        action
        for action in f.TRANSITION_ACTIONS
        if project.status in services.TRANSITIONS[action][0] and rules.can_transition(user, project, action)
    ]


@login_required
def project_detail(request, pk):
    project = get_object_or_404(queries.with_money(queries.projects_visible_to(request.user)), pk=pk)
    lines = list(
        project.budget_lines.select_related("allocation")
        .annotate(paid=Sum("payments__amount"))
        .order_by("pk")
    )
    assets = project.assets.prefetch_related(
        Prefetch("distributions", queryset=IncomeDistribution.objects.select_related("household"))
    )
    return render(
        request,
        "funds/project_detail.html",
        {
            "project": project,
            "type_label": codes.label("fund_project_type", project.project_type),
            "villages": project.villages.select_related("township"),
            "lines": lines,
            "source_labels": dict(codes.choices("fund_source")),
            "payments": project.payments.select_related("allocation").order_by("paid_on", "pk"),
            "reports": project.completion_reports.all(),
            "beneficiaries": project.beneficiaries.select_related("household__village"),
            "assets": assets,
            "trail": project_trail(project),
            "forms": _action_forms(request, project),
            "transitions": _transitions(request.user, project),
            "payable": services.payable_now(project),
            "behind": project.is_behind_on(timezone.localdate()),
            "transition_form": f.TransitionForm(initial={"on": timezone.localdate()}),
        },
    )


def _run(request, project, action, data):
    user = request.user
    match action:
        case "budget":
            services.budget_line_set(
                user=user, project=project, allocation=data["allocation"], amount=data["amount"]
            )
        case "payment":
            services.payment_create(
                user=user,
                budget_line=data["budget_line"],
                paid_on=data["paid_on"],
                amount=data["amount"],
                payee=data["payee"],
                voucher=data.get("voucher"),
            )
        case "completion":
            services.completion_report(
                user=user,
                project=project,
                percent=data["percent"],
                reported_on=data["reported_on"],
                evidence=data["evidence"],
                note=data["note"],
            )
        case "beneficiary":
            services.beneficiary_add(
                user=user, project=project, household=data["household_number"], amount=data["amount"]
            )
        case "asset":
            services.asset_create(user=user, project=project, data=data)
        case "delay":
            services.project_set_delay_reason(user=user, project=project, reason=data["reason"])
        case _:
            services.project_transition(
                user=user,
                project=project,
                action=action,
                on=data.get("on"),
                reason=data.get("reason", ""),
                document=data.get("document", ""),
            )


@login_required
@require_POST
def project_action(request, pk, action):
    project = get_object_or_404(queries.projects_visible_to(request.user), pk=pk)
    if action not in ACTION_FORMS:
        raise Http404
    kwargs = {}
    if action == "budget":
        kwargs["allocations"] = queries.allocations_visible_to(request.user)
    if action == "payment":
        kwargs["lines"] = BudgetLine.objects.filter(project=project).select_related("allocation")
    form = ACTION_FORMS[action](request.POST, request.FILES, **kwargs)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        return redirect(project)
    try:
        _run(request, project, action, form.cleaned_data)
    except DomainError as exc:
        messages.error(request, _("Not saved: %(reason)s") % {"reason": exc.message})
    else:
        messages.success(request, _("Saved."))
    return redirect(project)


@login_required
def allocation_list(request):
    qs = queries.allocations_with_use(queries.allocations_visible_to(request.user))
    if request.GET.get("year", "").strip():
        qs = qs.filter(year=year_param(request, default=timezone.localdate().year))
    source = request.GET.get("source", "")
    if source:
        qs = qs.filter(source=source)
    form = f.AllocationForm() if rules.can_manage_allocations(request.user) else None
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "funds/allocation_list.html",
        {
            "page_obj": page,
            "allocations": page.object_list,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "source_labels": dict(codes.choices("fund_source")),
            "sources": codes.choices("fund_source"),
            "form": form,
        },
    )


@login_required
def allocation_create(request):
    if not rules.can_manage_allocations(request.user):
        raise Http404
    form = f.AllocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.allocation_create(user=request.user, data=form.service_data())
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("funds:allocation_list")
    return render(request, "funds/form.html", {"form": form, "title": _("New allocation")})


def parse_year_as_of(request) -> tuple[int, datetime.date]:
    today = timezone.localdate()
    try:
        as_of = (
            datetime.date.fromisoformat(request.GET.get("as_of", "")) if request.GET.get("as_of") else today
        )
    except ValueError:
        as_of = today
    return year_param(request, default=as_of.year), as_of


def scoped_progress(user, year, as_of):
    if rules.sees_all(user):
        return compute(year=year, as_of=as_of)
    return compute(
        year=year,
        as_of=as_of,
        allocations=queries.allocations_visible_to(user),
        projects=queries.projects_visible_to(user),
    )


@login_required
def progress(request):
    year, as_of = parse_year_as_of(request)
    result = scoped_progress(request.user, year, as_of)
    behind = (
        queries.with_money(queries.projects_visible_to(request.user))
        .filter(year=year)
        .filter(queries.behind_filter(as_of))
        .order_by("planned_completion", "number")[:50]
    )
    target = float(result.target) if result.target is not None else None
    chart = {
        "labels": [r.label for r in result.by_unit if r.allocated],
        "rates": [r.percent for r in result.by_unit if r.allocated],
        "target": target,
    }
    return render(
        request,
        "funds/progress.html",
        {
            "progress": result,
            "year": year,
            "as_of": as_of,
            "behind": behind,
            "chart": chart,
            "target_percent": target,
            "days_to": {k: (d - as_of).days if d else None for k, d in result.deadlines.items()},
        },
    )


@login_required
def board(request, village_pk):
    village = get_object_or_404(villages_visible_to(request.user).select_related("township"), pk=village_pk)
    year = year_param(request, default=timezone.localdate().year)
    rows = list(queries.board_rows(request.user, village, year))
    return render(
        request,
        "funds/board.html",
        {
            "village": village,
            "year": year,
            "rows": rows,
            "total": sum(r.amount for r in rows),
            "type_labels": dict(codes.choices("fund_project_type")),
        },
    )


@login_required
def board_index(request):
    villages = villages_visible_to(request.user).select_related("township").order_by("township__code", "code")
    return render(
        request, "funds/board_index.html", {"villages": villages, "year": timezone.localdate().year}
    )


@login_required
def evidence_download(request, pk):
    report = get_object_or_404(queries.completion_reports_visible_to(request.user), pk=pk)
    return attachment_response(report.evidence)


@login_required
def voucher_download(request, pk):
    payment = get_object_or_404(queries.payments_visible_to(request.user), pk=pk)
    return attachment_response(payment.voucher)
