"""Celery tasks of petitions: thin wrappers around services, with explicit names."""

from celery import shared_task


@shared_task(name="petitions.tasks.petition_alerts_task")
def petition_alerts_task(date: str | None = None) -> dict:
    import datetime

    from django.utils import timezone

    from .alerts import run_petition_alerts

    return run_petition_alerts(today=datetime.date.fromisoformat(date) if date else timezone.localdate())
