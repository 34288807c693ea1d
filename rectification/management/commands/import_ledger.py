"""python manage.py import_ledger FILE [--dry-run] [--json]: same exit codes as import_households."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from povertycase.commands import write_row_errors
from povertycase.errors import DomainError
from rectification.imports import ledger_import


class Command(BaseCommand):
    help = "Imports a rectification ledger workbook; exits 1 and imports nothing if any row has an error."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            result = ledger_import(user=None, data=path.read_bytes(), dry_run=options["dry_run"])
        except DomainError as exc:
            self._report(options, items=0, errors=[{"row": None, "column": "", "message": exc.message}])
            sys.exit(1)
        self._report(options, items=result.items, errors=result.errors, imported=result.imported)
        if result.errors:
            sys.exit(1)

    def _report(self, options, *, items, errors, imported=False):
        if options["json"]:
            self.stdout.write(json.dumps({"items": items, "errors": errors}, ensure_ascii=False))
            return
        write_row_errors(self.stderr, errors)
        if errors:
            return
        if imported:
            self.stdout.write(f"已导入 {items} 项整改事项。")
        else:
            self.stdout.write(f"检查通过：{items} 项可以导入（未写入，--dry-run）。")
