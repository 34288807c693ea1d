"""`manage.py run_checks [--as-of YYYY-MM-DD] [--json]`: run every enabled logic check over every household.

Stores violations exactly as the nightly job does; --as-of reckons ages and deadlines at that date
(an inspector checks as of the evaluation date). With --json prints the open violations as
{"as_of": "YYYY-MM-DD", "violations": [{"household_number", "id_number", "rule", "severity", "message"}]}.
"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from households.checks.service import open_violation_rows, scan_all

SEVERITY_NAMES = {"E": "error", "W": "warning"}


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of: not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = "Run every enabled logic check (逻辑校验) over every household and store the violations."

    def add_arguments(self, parser):
        parser.add_argument(
            "--as-of", type=str, default=None, help="reckon ages and deadlines at this date (YYYY-MM-DD)"
        )
        parser.add_argument(
            "--json", action="store_true", help="print the open violations as one JSON object"
        )

    def handle(self, *args, **options):
        as_of = _date(options["as_of"]) if options["as_of"] else None
        result = scan_all(today=as_of)
        if options["json"]:
            violations = [
                {
                    "household_number": number,
                    "id_number": id_number,
                    "rule": rule,
                    "severity": SEVERITY_NAMES[sev],
                    "message": msg,
                }
                for number, id_number, rule, sev, msg in open_violation_rows()
            ]
            payload = {"as_of": result.as_of.isoformat(), "violations": violations}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(
            f"As of {result.as_of.isoformat()}: {result.count} open violations ({result.created} new, "
            f"{result.reopened} reopened, {result.resolved} resolved) in {result.seconds:.1f} s"
        )
