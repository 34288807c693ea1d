"""xlsx downloads of the funds pages, each logged in ExportLog."""

import io
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from households.models import Village
from households.queries import villages_visible_to
from povertycase.core.exports import logged_xlsx_response
from povertycase.core.params import year_param
from povertycase.errors import DomainError

from . import excel, queries, rules
from .imports import funds_import
from .views import parse_year_as_of, scoped_progress


@login_required
def ledger_export(request):
    year, as_of = parse_year_as_of(request)
    progress = scoped_progress(request.user, year, as_of)
    projects = (
        queries.with_money(queries.projects_visible_to(request.user))
        .filter(year=year)
        .prefetch_related(Prefetch("villages", queryset=Village.objects.order_by("code")))
        .order_by("number")
    )
    target = io.BytesIO()
    return logged_xlsx_response(
        request,
        target,
        write=lambda: excel.write_ledger(target, projects, progress, today=timezone.localdate()),
        kind="funds_ledger",
        filename=f"扶贫项目资金台账_{year}.xlsx",
    )


@login_required
def board_export(request, village_pk):
    village = get_object_or_404(villages_visible_to(request.user).select_related("township"), pk=village_pk)
    year = year_param(request, default=timezone.localdate().year)
    rows = queries.board_rows(request.user, village, year)
    target = io.BytesIO()
    return logged_xlsx_response(
        request,
        target,
        write=lambda: excel.write_board(target, village, year, rows),
        kind="funds_board",
        filename=f"受益户公示_{village.name}_{year}.xlsx",
    )


IMPORT_DIR = "funds_imports"


def _import_path(token: str) -> Path:
    return Path(settings.MEDIA_ROOT) / IMPORT_DIR / f"{token}.xlsx"


@login_required
def funds_import_view(request):
    """Upload -> check (dry run, row errors) -> confirm (all rows or none), as the ledger import."""
    if not rules.can_manage_allocations(request.user):
        raise Http404
    context = {}
    if request.method == "POST" and request.POST.get("token"):
        return _confirm(request, request.POST["token"])
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose an .xlsx file."))
        elif upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            messages.error(request, _("The file is too large."))
        else:
            data = upload.read()
            try:
                result = funds_import(user=request.user, data=data, dry_run=True)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                context["result"] = result
                if not result.errors and (result.projects or result.payments):
                    token = uuid.uuid4().hex
                    path = _import_path(token)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
                    request.session["funds_import_token"] = token
                    context["token"] = token
    return render(request, "funds/import.html", context)


def _confirm(request, token: str):
    if token != request.session.get("funds_import_token") or not token.isalnum():
        raise Http404
    path = _import_path(token)
    if not path.is_file():
        raise Http404
    try:
        result = funds_import(user=request.user, data=path.read_bytes(), dry_run=False)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("funds:import")
    finally:
        path.unlink(missing_ok=True)
        request.session.pop("funds_import_token", None)
    if result.errors:
        return render(request, "funds/import.html", {"result": result})
    messages.success(
        request,
        _("%(projects)d projects and %(payments)d payments imported.")
        % {"projects": result.projects, "payments": result.payments},
    )
    return redirect("funds:project_list")
