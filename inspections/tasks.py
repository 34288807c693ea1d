"""Celery tasks of inspections: thin wrappers around services."""

from celery import shared_task


@shared_task
def weekly_ranking_task(week: str | None = None) -> dict:
    from django.utils import timezone

    from .ranking import compute_week, last_complete_week

    outcome = compute_week(week or last_complete_week(timezone.localdate()))
    return {"week": outcome.snapshot.week, "created": outcome.created}
