"""Ledger exports: small ones in the request, large ones as a job the worker runs."""

import datetime
import io
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from povertycase.core.models import ExportLog

from .excel import write_ledger
from .filters import ItemFilter
from .models import ExportJob
from .queries import items_visible_to


def export_queryset_for(user, params: dict):
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return ItemFilter(query, queryset=items_visible_to(user)).qs


def export_now(*, user, params: dict) -> tuple[bytes, int]:
    buffer = io.BytesIO()
    count = write_ledger(buffer, export_queryset_for(user, params), today=timezone.localdate())
    ExportLog.objects.create(user=user, kind="rectification_ledger", filters=params, row_count=count)
    return buffer.getvalue(), count


def export_needs_job(*, user, params: dict) -> bool:
    return export_queryset_for(user, params).count() > settings.RECTIFICATION_EXPORT_SYNC_MAX_ROWS


def export_job_create(*, user, params: dict) -> ExportJob:
    from .tasks import export_ledger_task

    job = ExportJob.objects.create(user=user, params=params)
    transaction.on_commit(lambda: export_ledger_task.delay(job.pk))
    return job


def export_job_run(*, job_id: int) -> None:
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    qs = export_queryset_for(job.user, job.params)
    ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.RUNNING, total=qs.count())

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done=done)

    try:
        with tempfile.TemporaryFile() as handle:
            count = write_ledger(handle, qs, today=timezone.localdate(), progress=progress)
            handle.seek(0)
            job.refresh_from_db()
            job.file.save(f"整改台账-{timezone.localdate():%Y%m%d}-{job.pk}.xlsx", File(handle), save=False)
    except Exception as exc:
        ExportJob.objects.filter(pk=job.pk).update(state=ExportJob.State.FAILED, error=str(exc)[:500])
        raise
    job.state, job.done, job.finished_at = ExportJob.State.DONE, count, timezone.now()
    job.save(update_fields=["file", "state", "done", "finished_at"])
    ExportLog.objects.create(user=job.user, kind="rectification_ledger", filters=job.params, row_count=count)


EXPORT_FILES_KEPT = datetime.timedelta(days=7)
UPLOADS_KEPT = datetime.timedelta(days=1)
LEDGER_UPLOAD_DIR = "ledger-imports"  # files waiting for the user to confirm an import


def export_files_purge(*, now=None) -> int:
    """Delete finished jobs' files after a week and unconfirmed ledger uploads after a day.

    The workbooks hold names and phone numbers; the ExportLog row keeps the trace.
    """
    now = now or timezone.now()
    removed = 0
    stale_jobs = ExportJob.objects.filter(
        state__in=[ExportJob.State.DONE, ExportJob.State.FAILED], created_at__lt=now - EXPORT_FILES_KEPT
    ).exclude(file="")
    for job in stale_jobs:
        job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(file="")
        removed += 1
    uploads = Path(settings.MEDIA_ROOT) / LEDGER_UPLOAD_DIR
    cutoff = (now - UPLOADS_KEPT).timestamp()
    for path in uploads.glob("*.xlsx") if uploads.is_dir() else ():
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
