"""Ledger pages: scoped lookup, parse, one service call, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView

from povertycase.core import codes, concurrency
from povertycase.core.pagination import ForgivingPaginationMixin
from povertycase.errors import DomainError

from . import rules, services
from .filters import ItemFilter
from .forms import ACTION_FORMS, AssignForm, ItemForm, parse_unit
from .models import Status
from .queries import evidence_visible_to, items_visible_to, my_items, status_counts
from .timeline import item_timeline

PAGE_SIZE = 50


class ItemListView(LoginRequiredMixin, ForgivingPaginationMixin, FilterView):
    filterset_class = ItemFilter
    template_name = "rectification/item_list.html"
    context_object_name = "items"
    paginate_by = PAGE_SIZE
    mine = False

    def get_queryset(self):
        user = self.request.user
        return my_items(user) if self.mine else items_visible_to(user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        unfiltered_status = self.request.GET.copy()
        unfiltered_status.pop("status", None)
        options = self.filterset.unit_options
        counted = ItemFilter(unfiltered_status, queryset=self.get_queryset(), unit_options=options).qs
        user = self.request.user
        context.update(
            mine=self.mine,
            today=today,
            counts=status_counts(counted, today=today),
            statuses=Status.choices,
            can_manage=rules.can_manage(user),
            can_export=rules.can_export(user),
            assign_form=AssignForm(unit_options=options) if rules.can_manage(user) else None,
        )
        if context.get("is_paginated"):
            page = context["page_obj"]
            context["page_range"] = page.paginator.get_elided_page_range(page.number)
        return context


@login_required
def item_detail(request, pk):
    item = get_object_or_404(items_visible_to(request.user), pk=pk)
    actions = rules.allowed_actions(request.user, item)
    forms = {name: form() for name, form in ACTION_FORMS.items() if form and name in actions}
    return render(
        request,
        "rectification/item_detail.html",
        {
            "item": item,
            "actions": actions,
            "forms": forms,
            "timeline": item_timeline(item),
            "evidence": item.evidence.all(),
            "overdue_days": item.days_overdue(timezone.localdate()),
            "today": timezone.localdate(),
            "source_label": codes.label("rect_source", item.source),
        },
    )


def _run_action(request, item, action, form):
    user, data = request.user, form.cleaned_data if form else {}
    files = data.get("files", [])
    match action:
        case "start":
            services.item_start(user=user, item=item)
        case "progress":
            services.item_add_progress(
                user=user,
                item=item,
                date=data["date"],
                text=data["text"],
                percent=data["percent"],
                files=files,
            )
        case "request_closing":
            services.item_request_closing(user=user, item=item, text=data["text"], files=files)
        case "send_back":
            services.item_send_back(user=user, item=item, reason=data["reason"])
        case "close":
            services.item_close(user=user, item=item, document=data["document"], note=data["note"])
        case "withdraw":
            services.item_withdraw(user=user, item=item, reason=data["reason"])
        case "reopen":
            services.item_reopen(user=user, item=item, reason=data["reason"])


@login_required
@require_POST
def item_action(request, pk, action):
    item = get_object_or_404(items_visible_to(request.user), pk=pk)
    if action not in ACTION_FORMS:
        raise Http404
    if (repeat := concurrency.resubmitted(request, item.get_absolute_url())) is not None:
        return redirect(repeat)  # a double click: the first one was saved
    form_class = ACTION_FORMS[action]
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is not None and not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        return redirect(item)
    try:
        with concurrency.submitted_once(request) as submission:
            if not submission.done:
                _run_action(request, item, action, form)
                submission.url = item.get_absolute_url()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect(item)


@login_required
def item_create(request):
    if not rules.can_manage(request.user):
        raise PermissionDenied
    return _edit(request, item=None)


@login_required
def item_update(request, pk):
    item = get_object_or_404(items_visible_to(request.user), pk=pk)
    if "edit" not in rules.allowed_actions(request.user, item):
        raise PermissionDenied
    return _edit(request, item=item)


def _edit(request, *, item):
    if (repeat := concurrency.resubmitted(request, reverse("rectification:item_list"))) is not None:
        return redirect(repeat)
    form = ItemForm(request.POST or None, instance=item)
    version = concurrency.loaded_version(request, lambda: concurrency.record_version(item))
    if request.method == "POST" and form.is_valid():
        try:
            with concurrency.submitted_once(request) as submission:
                if submission.done:
                    return redirect(submission.url or "rectification:item_list")
                if item is None:
                    item = services.item_create(user=request.user, data=form.service_data())
                else:
                    data = form.service_data()
                    services.item_update(user=request.user, item=item, data=data, expected_version=version)
                submission.url = item.get_absolute_url()
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect(item)
    context = {"form": form, "item": item, "version": version}
    return render(request, "rectification/item_form.html", context)


@login_required
@require_POST
def item_assign_bulk(request):
    if not rules.can_manage(request.user):
        raise PermissionDenied
    form = AssignForm(request.POST)
    ids = [int(i) for i in request.POST.getlist("items") if i.isdigit()]
    if not ids:
        messages.error(request, _("Select the items to assign."))
    elif not form.is_valid():
        messages.error(request, _("Choose a responsible unit."))
    else:
        township, department = parse_unit(form.cleaned_data["unit"])
        items = list(items_visible_to(request.user).filter(pk__in=ids))
        try:
            count = services.item_assign(
                user=request.user,
                items=items,
                township=township,
                department=department,
                person=form.cleaned_data["person"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(count)d items assigned.") % {"count": count})
    return redirect(request.POST.get("next") or "rectification:item_list")


@login_required
def evidence_download(request, pk):
    evidence = get_object_or_404(evidence_visible_to(request.user), pk=pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name)
