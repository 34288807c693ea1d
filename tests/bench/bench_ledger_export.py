"""Export of a 5,000-item rectification ledger: time and peak memory.

Runs on its own against a throw-away test database (PostgreSQL when DATABASE_URL is set,
else SQLite in a temporary folder):

    .venv/bin/python tests/bench/bench_ledger_export.py [--items 5000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/povertycase_rect \\
        .venv/bin/python tests/bench/bench_ledger_export.py

`run(report)` lets tests/bench/run.py include it with the other benches.
"""

import argparse
import datetime
import gc
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ITEMS = 5_000
MAX_SECONDS = 20.0
MAX_PEAK_MB = 60.0


def build_ledger(n: int) -> None:
    from households.models import County, Department, Township
    from rectification.models import Category, Item, ProgressUpdate
    from rectification.taxonomy import load_taxonomy

    rng = random.Random(5)
    load_taxonomy(Category)
    county, _ = County.objects.get_or_create(code="411529", defaults={"name": "青山县"})
    townships = [
        Township.objects.get_or_create(
            code=f"411529{100 + i}", defaults={"county": county, "name": f"第{i}镇"}
        )[0]
        for i in range(17)
    ]
    departments = [
        Department.objects.get_or_create(code=f"B{i:03d}", defaults={"name": f"部门{i}"})[0]
        for i in range(18)
    ]
    categories = list(Category.objects.filter(parent__isnull=False))
    today = datetime.date.today()
    statuses = ["pending", "in_progress", "in_progress", "submitted", "closed", "closed", "withdrawn"]
    items = []
    for k in range(n):
        township = rng.choice(townships) if k % 3 else None
        items.append(
            Item(
                number=f"BENCH-{k:05d}",
                source=rng.choice(["01", "03", "04", "05", "06"]),
                category=rng.choice(categories),
                description="某村某户住房疑似危房，危改仅粉刷外墙，需重新鉴定并实施改造。" * 2,
                responsible_township=township,
                responsible_department=None if township else rng.choice(departments),
                supervising_leader="王建华",
                measures="摸清底数，建立台账，逐户整改到位并留存佐证材料。",
                kind="deadline",
                deadline=today + datetime.timedelta(days=rng.randint(-40, 60)),
                status=rng.choice(statuses),
                progress_percent=rng.randint(0, 100),
            )
        )
    Item.objects.bulk_create(items, batch_size=1000)
    updates = [
        ProgressUpdate(item=item, date=today - datetime.timedelta(days=d), text=f"第{d}次进展", percent=50)
        for item in Item.objects.only("pk")
        for d in (1, 8)
    ]
    ProgressUpdate.objects.bulk_create(updates, batch_size=2000)


def measure(n: int) -> dict:
    from django.utils import timezone

    from rectification.excel import write_ledger
    from rectification.models import Item

    today = timezone.localdate()
    with tempfile.TemporaryDirectory(prefix="ledger-bench-") as folder:
        target = Path(folder) / "ledger.xlsx"
        gc.collect()
        started = time.perf_counter()
        rows = write_ledger(str(target), Item.objects.all(), today=today)
        seconds = time.perf_counter() - started
        size = target.stat().st_size
        gc.collect()
        tracemalloc.start()
        write_ledger(str(Path(folder) / "again.xlsx"), Item.objects.all(), today=today)
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
    return {"rows": rows, "seconds": seconds, "peak_mb": peak, "file_kb": size / 1024}


def run(report, n: int = ITEMS) -> None:
    """Called by tests/bench/run.py inside its database; builds and measures the ledger."""
    from rectification.models import Item

    if Item.objects.count() < n:
        build_ledger(n - Item.objects.count())
    figures = measure(n)
    report.note(f"{figures['rows']} items, workbook {figures['file_kb']:.0f} KB")
    report.figure(
        f"ledger export time at {n} items",
        f"{figures['seconds']:.2f} s",
        f"<= {MAX_SECONDS} s",
        figures["seconds"] <= MAX_SECONDS,
    )
    report.figure(
        f"ledger export peak memory at {n} items",
        f"{figures['peak_mb']:.1f} MB",
        f"<= {MAX_PEAK_MB} MB (tracemalloc)",
        figures["peak_mb"] <= MAX_PEAK_MB,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=ITEMS)
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root))
    folder = tempfile.mkdtemp(prefix="ledger-bench-var-")
    os.environ.setdefault("POVERTYCASE_VAR_DIR", folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertycase.settings")
    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        build_ledger(args.items)
        print(
            f"engine {connection.vendor}; built {args.items} items in {time.perf_counter() - started:.1f} s"
        )
        figures = measure(args.items)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"export of {figures['rows']} items: {figures['seconds']:.2f} s, "
            f"peak Python memory {figures['peak_mb']:.1f} MB (tracemalloc), process max RSS {rss:.0f} MB, "
            f"workbook {figures['file_kb']:.0f} KB"
        )
        ok = figures["seconds"] <= MAX_SECONDS and figures["peak_mb"] <= MAX_PEAK_MB
        print(f"targets: <= {MAX_SECONDS} s, <= {MAX_PEAK_MB} MB -> {'PASS' if ok else 'MISS'}")
        return 0 if ok else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
