"""python manage.py import_categories FILE [--dry-run] [--json]: a county's own taxonomy."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from povertycase.errors import DomainError
from rectification.categories import categories_import


class Command(BaseCommand):
    help = "Imports ledger categories (一级代码, 一级名称, 二级代码, 二级名称); all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            result = categories_import(data=path.read_bytes(), dry_run=options["dry_run"])
        except DomainError as exc:
            result = {"categories": 0, "errors": [{"row": None, "column": "", "message": exc.message}]}
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
        else:
            for e in result["errors"]:
                self.stderr.write(f"第{e['row']}行 “{e['column']}” {e['message']}")
            self.stdout.write(f"{result['categories']} 行；新增 {result.get('created', 0)} 个类别。")
        if result["errors"]:
            sys.exit(1)
