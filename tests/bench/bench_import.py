"""Import of the demo county's register from one workbook through the import services.

The file is an export of every bench household whose 家庭人口数 matches its members (the
importer rightly refuses the demo's HH-003 flaws); BENCH_IMPORT_HOUSEHOLDS caps it. Two
runs, each in a transaction rolled back afterwards so the bench database stays as seeded:
update — the households exist and `update_existing` replaces them;
create — the same households are first deleted, so the import creates them anew.
On PostgreSQL the bench also measures the floor for the same file (issue 12): a
python-calamine read of every cell plus a COPY of its rows into a table of text columns,
and prints our time over the floor (target ≤ 10x).
"""

import io
import os
import time

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import Count, F
from django.utils import timezone

from households.models import AssistanceMeasure, Household, IncomeRecord, Member

HOUSEHOLDS = int(os.environ.get("BENCH_IMPORT_HOUSEHOLDS", "0")) or None  # None: all
TARGET_SECONDS_PER_5000 = 30
TARGET_RATIO = 10


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
    floor = _floor(data.getvalue())
    if floor is not None:
        report.note(f"floor: calamine read {floor[0]:.1f} s + COPY {floor[1]:.1f} s = {sum(floor):.1f} s")
    user = get_user_model().objects.get(username="command")
    services = (import_batch_create, import_batch_validate, import_batch_apply)
    target = TARGET_SECONDS_PER_5000 * max(1, len(pks) / 5000)
    for label, delete_first in (("update existing", False), ("create", True)):
        seconds, batch = _import_and_roll_back(services, user, data.getvalue(), pks, delete_first)
        counts = f"{batch.created_count} created, {batch.updated_count} updated"
        report.note(f"{label}: status {batch.status}, {counts}, {len(batch.errors)} errors")
        if batch.errors:
            report.note(f"first errors: {batch.errors[:3]}")
        passed = seconds < target and batch.status == "imported"
        report.figure(
            f"import {len(pks)} households ({label})", f"{seconds:.1f} s", f"< {target:.0f} s", passed
        )
        if floor is not None:
            ratio = seconds / sum(floor)
            report.figure(
                f"import ({label}) over the floor",
                f"{ratio:.1f}x",
                f"≤ {TARGET_RATIO}x",
                ratio <= TARGET_RATIO,
            )


def _floor(content: bytes):
    """(read seconds, COPY seconds) for `content`, or None off PostgreSQL."""
    if connection.vendor != "postgresql":
        return None
    import python_calamine

    started = time.perf_counter()
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    read = time.perf_counter() - started
    header_index = next(i for i, row in enumerate(rows) if "户编号" in row)
    width = len(rows[header_index])
    data = rows[header_index + 1 :]
    columns = ", ".join(f"c{i} text" for i in range(width))
    started = time.perf_counter()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE TEMP TABLE bench_floor ({columns}) ON COMMIT DROP")
                with cursor.cursor.copy("COPY bench_floor FROM STDIN") as copy:
                    for row in data:
                        copy.write_row(["" if v is None else str(v) for v in row])
            copied = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return read, copied


def _sample() -> list[int]:
    matching = Household.objects.annotate(rows=Count("members")).filter(member_count=F("rows"))
    pks = matching.order_by("number").values_list("pk", flat=True)
    return list(pks[:HOUSEHOLDS] if HOUSEHOLDS else pks)


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
