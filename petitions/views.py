"""Petition pages: scoped lookup, parse, one service call, redirect."""

import io
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView

from households.queries import households_visible_to
from povertycase.core import codes
from povertycase.core.models import ExportLog
from povertycase.errors import DomainError
from rectification.forms import parse_unit

from . import privacy, rules, services
from .excel import write_petitions
from .filters import PetitionFilter
from .forms import ACTION_FORMS, PetitionForm
from .models import Attachment, State
from .queries import petitions_visible_to, state_counts
from .timeline import petition_timeline

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PetitionListView(LoginRequiredMixin, FilterView):
    filterset_class = PetitionFilter
    template_name = "petitions/petition_list.html"
    context_object_name = "petitions"
    paginate_by = 50

    def get_queryset(self):
        return petitions_visible_to(self.request.user).prefetch_related("households")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        unfiltered = self.request.GET.copy()
        unfiltered.pop("state", None)
        counted = PetitionFilter(unfiltered, queryset=petitions_visible_to(user)).qs
        rows = context["petitions"]
        context.update(
            today=today,
            counts=state_counts(counted, today=today),
            states=State.choices,
            rows=[
                (p, privacy.complainant(user, p), codes.label("petition_channel", p.channel)) for p in rows
            ],
            can_register=rules.can_register(user),
            is_command=rules.is_command(user),
        )
        if context.get("is_paginated"):
            page = context["page_obj"]
            context["page_range"] = page.paginator.get_elided_page_range(page.number)
        return context


@login_required
def petition_export(request):
    user = request.user
    qs = PetitionFilter(request.GET, queryset=petitions_visible_to(user)).qs
    buffer = io.BytesIO()
    count = write_petitions(buffer, qs, user=user, today=timezone.localdate())
    params = {k: v for k, v in request.GET.lists() if k != "page"}
    ExportLog.objects.create(user=user, kind="petition_ledger", filters=params, row_count=count)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"信访台账-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def petition_create(request):
    user = request.user
    if not rules.can_register(user):
        raise PermissionDenied
    initial = {}
    household_pk = request.GET.get("household", "")
    if household_pk.isdigit():
        household = households_visible_to(user).filter(pk=household_pk).first()
        if household:
            initial["households"] = household.number
    form = PetitionForm(request.POST or None, request.FILES or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            petition = services.petition_register(
                user=user,
                data=form.service_data(),
                households=form.found_households,
                files=form.cleaned_data.get("files") or [],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Petition %s registered.") % petition.number)
            return redirect(petition)
    return render(request, "petitions/petition_form.html", {"form": form})


@login_required
def petition_detail(request, pk):
    user = request.user
    petition = get_object_or_404(petitions_visible_to(user).select_related("rectification_item"), pk=pk)
    actions = rules.allowed_actions(user, petition)
    forms = {name: form() for name, form in ACTION_FORMS.items() if form and name in actions}
    return render(
        request,
        "petitions/petition_detail.html",
        {
            "petition": petition,
            "complainant": privacy.complainant(user, petition),
            "channel_label": codes.label("petition_channel", petition.channel),
            "households": households_visible_to(user).filter(petitions=petition),
            "hidden_households": petition.households.exclude(
                pk__in=households_visible_to(user).values("pk")
            ).count(),
            "actions": actions,
            "forms": forms,
            "timeline": petition_timeline(petition),
            "revisits": petition.revisits.select_related("by"),
            "attachments": petition.attachments.all(),
            "overdue_days": petition.days_overdue(timezone.localdate()),
        },
    )


def _run_action(user, petition, action, data):
    match action:
        case "accept":
            return services.petition_accept(user=user, petition=petition)
        case "transfer":
            township, department = parse_unit(data["unit"])
            return services.petition_transfer(
                user=user, petition=petition, township=township, department=department, note=data["note"]
            )
        case "return":
            return services.petition_return(user=user, petition=petition, reason=data["reason"])
        case "reply":
            return services.petition_reply(
                user=user, petition=petition, reply=data["reply"], date=data["date"]
            )
        case "revisit":
            return services.petition_revisit(
                user=user,
                petition=petition,
                date=data["date"],
                result=data["result"],
                satisfaction=data["satisfaction"],
                escalate=data["escalate"],
            )
        case "close":
            return services.petition_close(user=user, petition=petition, note=data["note"])
        case "to_ledger":
            from .ledger import petition_open_item

            return petition_open_item(user=user, petition=petition)


@login_required
@require_POST
def petition_action(request, pk, action):
    petition = get_object_or_404(petitions_visible_to(request.user), pk=pk)
    if action not in ACTION_FORMS:
        raise Http404
    form_class = ACTION_FORMS[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        return redirect(petition)
    try:
        result = _run_action(request.user, petition, action, form.cleaned_data if form else {})
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(petition)
    messages.success(request, _("Saved."))
    if action == "to_ledger":
        return redirect(result)
    # After handing it on, the user may no longer see it.
    if not petitions_visible_to(request.user).filter(pk=petition.pk).exists():
        return redirect("petitions:list")
    return redirect(petition)


@login_required
def attachment_download(request, pk):
    attachment = get_object_or_404(
        Attachment.objects.filter(petition__in=petitions_visible_to(request.user).values("pk")), pk=pk
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


IMPORT_DIR = "petition_imports"


def _import_path(token: str):
    from pathlib import Path

    from django.conf import settings

    return Path(settings.MEDIA_ROOT) / IMPORT_DIR / f"{token}.xlsx"


@login_required
def petition_import(request):
    """Upload → check (dry run) → confirm: the shared shape of the ledger import."""
    import uuid

    from django.conf import settings

    from .imports import petitions_import

    if not rules.is_command(request.user):
        raise PermissionDenied
    context = {}
    if request.method == "POST" and request.POST.get("token"):
        token = request.POST["token"]
        path = _import_path(token)
        if token != request.session.get("petition_import_token") or not token.isalnum() or not path.is_file():
            raise Http404
        try:
            result = petitions_import(user=request.user, data=path.read_bytes(), dry_run=False)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("petitions:import")
        finally:
            path.unlink(missing_ok=True)
            request.session.pop("petition_import_token", None)
        if result.errors:
            return render(request, "petitions/petition_import.html", {"result": result})
        messages.success(request, _("%(count)d petitions imported.") % {"count": result.petitions})
        return redirect("petitions:list")
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose an .xlsx file."))
        elif upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            messages.error(request, _("The file is too large."))
        else:
            data = upload.read()
            try:
                result = petitions_import(user=request.user, data=data, dry_run=True)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                context["result"] = result
                if not result.errors and result.petitions:
                    token = uuid.uuid4().hex
                    path = _import_path(token)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
                    request.session["petition_import_token"] = token
                    context["token"] = token
    return render(request, "petitions/petition_import.html", context)
