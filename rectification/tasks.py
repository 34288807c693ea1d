"""Celery tasks of the ledger: thin wrappers around services."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="rectification.tasks.deadline_alerts_task")
def deadline_alerts_task(date: str | None = None) -> dict:
    import datetime

    from django.utils import timezone

    from .alerts import run_daily_alerts

    return run_daily_alerts(datetime.date.fromisoformat(date) if date else timezone.localdate())


@shared_task(name="rectification.tasks.export_ledger_task")
def export_ledger_task(job_id: int) -> None:
    from .export_jobs import export_job_run

    export_job_run(job_id=job_id)


@shared_task(name="rectification.tasks.purge_export_files_task")
def purge_export_files_task() -> int:
    from .export_jobs import export_files_purge

    return export_files_purge()
