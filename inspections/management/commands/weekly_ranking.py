"""`manage.py weekly_ranking [--week 2026-W47] [--json]`: the weekly beat job by hand."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from inspections.ranking import as_json, compute_week, last_complete_week, parse_week


class Command(BaseCommand):
    help = "Compute the week's ranking snapshot (default: the last complete ISO week); never recomputes."

    def add_arguments(self, parser):
        parser.add_argument("--week", help="ISO week, e.g. 2026-W47")
        parser.add_argument("--json", action="store_true", help="print the snapshot as JSON")

    def handle(self, *args, week=None, json=False, **options):
        week = week or last_complete_week(timezone.localdate())
        try:
            parse_week(week)
        except ValueError as exc:
            raise CommandError(f"not an ISO week (like 2026-W47): {week}") from exc
        outcome = compute_week(week)
        snapshot = outcome.snapshot
        if json:
            self.stdout.write(_dumps(as_json(snapshot)))
        elif outcome.created:
            self.stdout.write(f"{snapshot.week}: ranked {snapshot.entries.count()} units.")
        else:
            self.stdout.write(
                f"{snapshot.week}: already computed at {snapshot.computed_at:%Y-%m-%d %H:%M}; unchanged."
            )
        if json and not outcome.created:
            self.stderr.write(f"{snapshot.week}: already computed; unchanged.")


def _dumps(data):
    return json.dumps(data, ensure_ascii=False, indent=2)
