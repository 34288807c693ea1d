"""Benchmarks of the register at county scale: `make bench` (or `.venv/bin/python tests/bench/run.py`).

Uses DATABASE_URL (PostgreSQL for the published figures; the database is created if
missing), else a SQLite file var/bench.sqlite3 — never the run or test databases. Migrates
and seeds 50,000 demo households when the database has none, then prints each figure with
its target and PASS/MISS. Every tests/bench/bench_<name>.py with a `run(report)` is a
bench; `--only list,export,import` picks some.
"""

import argparse
import importlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIRST = ("list", "export", "import")  # the figures; other bench_*.py files follow
BENCHES = (*FIRST, *sorted({p.stem[6:] for p in Path(__file__).parent.glob("bench_*.py")} - set(FIRST)))


def main() -> int:
    args = _arguments()
    _environment()
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log, as in production; static storage stays as configured
    _prepare_database(args.households)
    from tests.bench import report

    started = time.monotonic()
    for name in args.only:
        module = importlib.import_module(f"tests.bench.bench_{name}")
        module.run(report.Report(name))
    report.summary(time.monotonic() - started)
    return 0 if report.all_passed() else 1


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=50_000, help="households to seed when empty")
    parser.add_argument("--only", default=",".join(BENCHES), help="comma-separated: " + ", ".join(BENCHES))
    args = parser.parse_args()
    args.only = [name for name in args.only.split(",") if name]
    unknown = set(args.only) - set(BENCHES)
    if unknown:
        parser.error(f"unknown bench: {', '.join(sorted(unknown))}")
    return args


def _environment() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertycase.settings")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
    # Uploaded import files of the bench go to a throw-away folder, not var/media.
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="povertycase-bench-media-"))
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    if os.environ["DATABASE_URL"].startswith(("postgres://", "postgresql://")):
        _create_postgres_database(os.environ["DATABASE_URL"])


def _create_postgres_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, _, name = url.rpartition("/")
    name = name.split("?")[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def _prepare_database(households: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from households.models import Household

    call_command("migrate", verbosity=0, interactive=False)
    existing = Household.objects.count()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; households: {existing}")
    if not existing:
        started = time.monotonic()
        call_command("seed_demo", households=households, verbosity=0, stdout=open(os.devnull, "w"))
        print(f"seeded {households} households in {time.monotonic() - started:.1f} s")


if __name__ == "__main__":
    sys.exit(main())
