"""`manage.py run_checks [--json]`: run every enabled logic check over every household.

Stores violations exactly as the nightly job does; with --json prints the open violations
as {"violations": [{"household_number", "id_number", "rule", "severity", "message"}]}.
"""

import json

from django.core.management.base import BaseCommand

from households.checks.service import open_violation_rows, scan_all

SEVERITY_NAMES = {"E": "error", "W": "warning"}


class Command(BaseCommand):
    help = "Run every enabled logic check (逻辑校验) over every household and store the violations."

    def add_arguments(self, parser):
        parser.add_argument(
            "--json", action="store_true", help="print the open violations as one JSON object"
        )

    def handle(self, *args, **options):
        result = scan_all()
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
            self.stdout.write(json.dumps({"violations": violations}, ensure_ascii=False))
            return
        self.stdout.write(
            f"{result.count} open violations ({result.created} new, {result.reopened} reopened, "
            f"{result.resolved} resolved) in {result.seconds:.1f} s"
        )
