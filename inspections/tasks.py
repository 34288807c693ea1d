"""Celery tasks of inspections: thin wrappers around services."""

from celery import shared_task


@shared_task(name="inspections.tasks.weekly_ranking_task")
def weekly_ranking_task(week: str | None = None) -> dict:
    from .ranking import compute_last_complete_week, compute_week

    outcome = compute_week(week) if week else compute_last_complete_week()
    return {"week": outcome.snapshot.week, "created": outcome.created}
