"""python manage.py import_households FILE [--dry-run] [--create-regions] [--update-existing] [--json]"""

import json
import sys
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from households.excel.layouts import BY_NAME
from households.models import ImportBatch
from households.services.imports import import_batch_apply, import_batch_create, import_batch_validate
from povertycase.commands import write_row_errors
from povertycase.errors import DomainError


class Command(BaseCommand):
    help = (
        "Imports a register workbook (REGISTER_XLSX.md); exits 1 and imports nothing if any row has an error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--create-regions", action="store_true", help="create unknown county/townships/villages"
        )
        parser.add_argument(
            "--update-existing", action="store_true", help="update households already registered"
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        try:
            batch = import_batch_create(
                user=None,
                uploaded_file=upload,
                update_existing=options["update_existing"],
                create_regions=options["create_regions"],
            )
            if options["dry_run"]:
                batch = import_batch_validate(batch=batch)
            else:  # apply validates the whole file first and writes nothing on any error
                batch = import_batch_apply(batch=batch, user=None)
        except DomainError as exc:
            self._report(
                options, households=0, members=0, errors=[{"row": None, "column": "", "message": exc.message}]
            )
            sys.exit(1)
        errors = [
            {"row": e.get("row"), "column": e.get("column", ""), "message": e["message"]}
            for e in batch.errors
        ]
        ok = not errors and batch.status in (ImportBatch.Status.VALID, ImportBatch.Status.IMPORTED)
        imported = batch.status == ImportBatch.Status.IMPORTED
        self._report(
            options,
            households=batch.households_count,
            members=batch.members_count,
            errors=errors,
            warnings=batch.warnings,
            imported=imported,
            layout=batch.layout,
            columns=batch.columns,
        )
        if not ok:
            sys.exit(1)

    def _report(
        self, options, *, households, members, errors, warnings=(), imported=False, layout="", columns=None
    ):
        if options["json"]:
            payload = {"households": households, "members": members, "errors": errors, "layout": layout}
            if columns:
                payload["columns"] = columns
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        if layout:
            self.stdout.write(f"表格格式：{BY_NAME[layout].label if layout in BY_NAME else layout}")
        for warning in warnings:
            self.stderr.write(f"警告：{warning['message']}")
        write_row_errors(self.stderr, errors)
        if errors:
            return
        if imported:
            self.stdout.write(f"已导入 {households} 户 {members} 人。")
        else:
            self.stdout.write(f"检查通过：{households} 户 {members} 人可以导入（未写入，--dry-run）。")
