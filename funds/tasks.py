"""Celery tasks of the funds ledger: thin wrappers, explicit names."""

from celery import shared_task


@shared_task(name="funds.tasks.daily_alerts_task")
def daily_alerts_task(date: str | None = None) -> dict:
    import datetime

    from django.utils import timezone

    from .alerts import run_funds_alerts

    return run_funds_alerts(today=datetime.date.fromisoformat(date) if date else timezone.localdate())
