"""Ledger export (direct or as a job with a progress bar) and import (check, then confirm)."""

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from povertycase.errors import DomainError

from . import rules
from .export_jobs import LEDGER_UPLOAD_DIR, export_job_create, export_needs_job, export_now
from .imports import ledger_import as ledger_import_service
from .models import ExportJob

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_DIR = LEDGER_UPLOAD_DIR


@login_required
def item_export(request):
    if not rules.can_export(request.user):
        raise PermissionDenied
    params = {k: v for k, v in request.GET.lists() if k != "page"}
    if export_needs_job(user=request.user, params=params):
        job = export_job_create(user=request.user, params=params)
        return redirect("rectification:export_job", pk=job.pk)
    data, _count = export_now(user=request.user, params=params)
    response = HttpResponse(data, content_type=XLSX)
    name = f"整改台账-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def _own_job(request, pk) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, user=request.user)


@login_required
def export_job_detail(request, pk):
    return render(request, "rectification/export_job.html", {"job": _own_job(request, pk)})


@login_required
def export_job_progress(request, pk):
    job = _own_job(request, pk)
    return JsonResponse(
        {"state": job.state, "done": job.done, "total": job.total, "percent": job.percent, "error": job.error}
    )


@login_required
def export_job_download(request, pk):
    job = _own_job(request, pk)
    if job.state != ExportJob.State.DONE or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=Path(job.file.name).name)


def _import_path(token: str) -> Path:
    return Path(settings.MEDIA_ROOT) / IMPORT_DIR / f"{token}.xlsx"


@login_required
def ledger_import(request):
    if not rules.can_manage(request.user):
        raise PermissionDenied
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
                result = ledger_import_check(user=request.user, data=data)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                context["result"] = result
                if not result.errors and result.items:
                    token = uuid.uuid4().hex
                    path = _import_path(token)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
                    request.session["ledger_import_token"] = token
                    context["token"] = token
    return render(request, "rectification/ledger_import.html", context)


def ledger_import_check(*, user, data: bytes):
    return ledger_import_service(user=user, data=data, dry_run=True)


def _confirm(request, token: str):
    if token != request.session.get("ledger_import_token") or not token.isalnum():
        raise Http404
    path = _import_path(token)
    if not path.is_file():
        raise Http404
    try:
        result = ledger_import_service(user=request.user, data=path.read_bytes(), dry_run=False)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("rectification:ledger_import")
    finally:
        path.unlink(missing_ok=True)
        request.session.pop("ledger_import_token", None)
    if result.errors:
        return render(request, "rectification/ledger_import.html", {"result": result})
    messages.success(request, _("%(count)d items imported.") % {"count": result.items})
    return redirect("rectification:item_list")
