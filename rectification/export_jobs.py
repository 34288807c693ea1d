"""Ledger exports: small ones in the request, large ones as a job the worker runs."""

import io
import tempfile

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
