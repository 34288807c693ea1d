"""The nightly logic-check scan (DESIGN.md periodic jobs)."""

from celery import shared_task
from django.db import OperationalError


@shared_task(
    name="households.checks.tasks.run_logic_checks_task",
    autoretry_for=(OperationalError,),
    max_retries=3,
    retry_backoff=True,
)
def run_logic_checks_task() -> int:
    from .service import scan_all

    return scan_all().count
