"""The weekly ranking job over the demo county: `.venv/bin/python tests/bench/run.py --only ranking`.

Times `compute_week()` as the Monday beat job and `manage.py weekly_ranking` run it, for the
latest complete ISO week with no stored snapshot (the demo stores its last six weeks), inside a
transaction that is rolled back so the bench database keeps no snapshot (a snapshot is never
recomputed, so a kept one would make later runs trivial).
"""

import time

TARGET_SECONDS = 10


def run(report) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from households.models import Household
    from inspections.models import RankingEntry, RankingSnapshot
    from inspections.ranking import compute_week, last_complete_week, previous_week

    report.note(f"{Household.objects.count()} households on {connection.vendor}")
    week = last_complete_week(timezone.localdate())
    stored = set(RankingSnapshot.objects.values_list("week", flat=True))
    while week in stored:
        week = previous_week(week)
    with transaction.atomic():
        started = time.monotonic()
        outcome = compute_week(week)
        seconds = time.monotonic() - started
        units = RankingEntry.objects.filter(snapshot=outcome.snapshot).count()
        transaction.set_rollback(True)
    label = f"ranking job {week} ({'computed' if outcome.created else 'already stored'})"
    report.figure(label, f"{seconds:.2f} s", f"< {TARGET_SECONDS} s", seconds < TARGET_SECONDS)
    report.figure("units ranked", str(units), "(information)", None)
