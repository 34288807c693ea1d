"""The full logic-check scan over the demo county: `.venv/bin/python tests/bench/bench_checks.py`.

Uses DATABASE_URL (PostgreSQL for the published figure), else var/bench.sqlite3; seeds
50,000 demo households when the database has none (tests/bench/run.py does the seeding).
Times `run_all_checks()` as the nightly job and `manage.py run_checks` run it: a first scan
that stores every violation and a second, steady-state scan. `--flaws FILE` (written by
`seed_demo --flaws-json`) also checks that each planted inconsistency is found.
"""

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET_SECONDS = 60


def run(report, flaws_file: str | None = None) -> None:
    from django.db import connection

    from households.checks.runner import run_all_checks
    from households.models import Household, Violation

    households = Household.objects.count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum keeps them in production
    report.note(f"{households} households on {connection.vendor}")
    for label in ("first scan (stores every violation)", "second scan (steady state)"):
        started = time.monotonic()
        result = run_all_checks()
        seconds = time.monotonic() - started
        report.figure(label, f"{seconds:.1f} s", f"< {TARGET_SECONDS} s", seconds < TARGET_SECONDS)
    report.figure("open violations", str(result.count), "(information)", None)
    slowest = sorted(result.rule_seconds.items(), key=lambda item: -item[1])[:5]
    report.note("slowest rules: " + ", ".join(f"{rule} {sec:.1f} s" for rule, sec in slowest))
    by_rule = Counter(Violation.objects.filter(resolved_at__isnull=True).values_list("rule_id", flat=True))
    report.note("open per rule: " + ", ".join(f"{rule} {n}" for rule, n in sorted(by_rule.items())))
    if flaws_file:
        _check_flaws(report, json.loads(Path(flaws_file).read_text(encoding="utf-8")))


def _check_flaws(report, flaws: dict[str, str]) -> None:
    from households.demo import KINDS
    from households.models import Violation

    open_keys = set(
        Violation.objects.filter(resolved_at__isnull=True).values_list("household__number", "rule_id")
    )
    missed = [number for number, kind in flaws.items() if (number, KINDS[kind].check) not in open_keys]
    report.figure(
        "planted inconsistencies found", f"{len(flaws) - len(missed)}/{len(flaws)}", "all", not missed
    )
    flawed = set(flaws)
    clean_errors = Violation.objects.filter(resolved_at__isnull=True, severity="E").exclude(
        household__number__in=flawed
    )
    count = clean_errors.count()
    report.figure("errors on households without a planted flaw", str(count), "0", count == 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000, help="households to seed when empty")
    parser.add_argument("--flaws", help="JSON {household number: kind} written by seed_demo --flaws-json")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from tests.bench import run as harness

    harness._environment()
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    harness._prepare_database(args.households)
    from tests.bench import report

    started = time.monotonic()
    run(report.Report("checks"), args.flaws)
    report.summary(time.monotonic() - started)
    return 0 if report.all_passed() else 1


if __name__ == "__main__":
    sys.exit(main())
