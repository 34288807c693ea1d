"""Import of a 5,000-household register file through the import services.

The file is an export of 5,000 bench households (those whose 家庭人口数 matches their
members: the importer rightly refuses the demo's HH-003 flaws). Two runs, each in a
transaction rolled back afterwards so the bench database stays as seeded:
update — the households exist and `update_existing` replaces them;
create — the same households are first deleted, so the import creates them anew.
"""

import io
import time

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from households.models import AssistanceMeasure, Household, IncomeRecord, Member

HOUSEHOLDS = 5_000
TARGET_SECONDS = 30


class _Rollback(Exception):
    pass


def run(report) -> None:
    try:
        from households.excel import write_register
        from households.services.imports import import_batch_apply, import_batch_create, import_batch_validate
    except ImportError as exc:
        report.skip("import", f"import services are not there yet ({exc})")
        return
    pks = _sample()
    data = io.BytesIO()
    rows = write_register(
        Household.objects.filter(pk__in=pks), data, title_county="青山县", exported_at=timezone.now()
    )
    report.note(f"file: {len(pks)} households, {rows} rows, {len(data.getvalue()) / 2**20:.1f} MB")
    user = get_user_model().objects.get(username="command")
    services = (import_batch_create, import_batch_validate, import_batch_apply)
    for label, delete_first in (("update existing", False), ("create", True)):
        seconds, batch = _import_and_roll_back(services, user, data.getvalue(), pks, delete_first)
        counts = f"{batch.created_count} created, {batch.updated_count} updated"
        report.note(f"{label}: status {batch.status}, {counts}, {len(batch.errors)} errors")
        if batch.errors:
            report.note(f"first errors: {batch.errors[:3]}")
        passed = seconds < TARGET_SECONDS and batch.status == "imported"
        report.figure(
            f"import {len(pks)} households ({label})", f"{seconds:.1f} s", f"< {TARGET_SECONDS} s", passed
        )


def _sample() -> list[int]:
    matching = Household.objects.annotate(rows=Count("members")).filter(member_count=F("rows"))
    return list(matching.order_by("number").values_list("pk", flat=True)[:HOUSEHOLDS])


def _import_and_roll_back(services, user, content: bytes, pks: list[int], delete_first: bool):
    create, validate, apply = services
    outcome = {}
    try:
        with transaction.atomic():
            if delete_first:
                _delete(pks)
            started = time.perf_counter()
            upload = SimpleUploadedFile("bench.xlsx", content)
            batch = create(user=user, uploaded_file=upload, update_existing=not delete_first)
            batch = validate(batch=batch)
            if not batch.errors:
                batch = apply(batch=batch, user=user)
            outcome.update(seconds=time.perf_counter() - started, batch=batch)
            raise _Rollback
    except _Rollback:
        pass
    return outcome["seconds"], outcome["batch"]


def _delete(pks: list[int]) -> None:
    """Plain DELETEs: the rows come back with the rollback, and no history is written."""
    for model in (AssistanceMeasure, IncomeRecord, Member):
        model.objects.filter(household_id__in=pks)._raw_delete(connection.alias)
    Household.objects.filter(pk__in=pks)._raw_delete(connection.alias)
