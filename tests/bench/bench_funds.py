"""Funds progress for 2,000 projects and 20,000 payments: `.venv/bin/python tests/bench/run.py --only funds`.

Builds the year (a far year, so the demo's own funds stay apart) with bulk inserts inside a
transaction that is rolled back, then times, each the best of three runs:
- one aggregate query over the payments table (the yardstick),
- `funds_progress --json` (progress.compute plus the JSON),
- the progress page as the command office sees it,
and prints each as a multiple of the yardstick (target ≤ 5x).
"""

import datetime
import io
import random
import time
from decimal import Decimal

YEAR = 2041
PROJECTS = 2000
PAYMENTS = 20000
TARGET_RATIO = 5


def _best(fn, runs=3) -> float:
    best = None
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        seconds = time.perf_counter() - started
        best = seconds if best is None else min(best, seconds)
    return best


def _build(rng) -> None:
    from django.contrib.auth import get_user_model

    from funds.models import Allocation, BudgetLine, Payment, Project, Status
    from households.models import Department, Township, Village

    user = get_user_model().objects.create_superuser("bench-funds", password="x")
    townships = list(Township.objects.all()) or [Township.objects.create(county_id=1, code="B1", name="B镇")]
    departments = list(Department.objects.all()) or [Department.objects.create(code="BD1", name="B局")]
    villages = list(Village.objects.all()[:400])
    units = [("t", t) for t in townships] + [("d", d) for d in departments]
    sources = ["11", "12", "13", "14", "20", "30", "40", "50", "60"]
    allocations = Allocation.objects.bulk_create(
        Allocation(
            year=YEAR,
            source=sources[n % len(sources)],
            document_number=f"B{n}",
            document_date=datetime.date(YEAR, 1, 10),
            amount=Decimal(50_000_000),
            receiving_township=u if k == "t" else None,
            receiving_department=u if k == "d" else None,
        )
        for n, (k, u) in enumerate(units)
    )
    projects = Project.objects.bulk_create(
        Project(
            number=f"B{YEAR}-{n:05d}",
            name=f"项目{n}",
            year=YEAR,
            project_type="11",
            implementing_township=townships[n % len(townships)] if n % 2 else None,
            implementing_department=None if n % 2 else departments[n % len(departments)],
            status=rng.choice([Status.IN_PROGRESS, Status.ACCEPTED, Status.APPROVED]),
            approved_on=datetime.date(YEAR, 2, 1),
            planned_completion=datetime.date(YEAR, rng.randint(3, 12), 1),
            completion_percent=100,
        )
        for n in range(PROJECTS)
    )
    if villages:
        through = Project.villages.through
        chosen = {p.pk: rng.choice(villages) for p in projects}
        through.objects.bulk_create(through(project=p, village=chosen[p.pk]) for p in projects)
        for p in projects:
            p.township_id = p.implementing_township_id or chosen[p.pk].township_id
        Project.objects.bulk_update(projects, ["township"], batch_size=500)
    lines = BudgetLine.objects.bulk_create(
        BudgetLine(project=p, allocation=allocations[n % len(allocations)], amount=Decimal(200_000))
        for n, p in enumerate(projects)
    )
    Payment.objects.bulk_create(
        (
            Payment(
                budget_line=line,
                project_id=line.project_id,
                allocation_id=line.allocation_id,
                paid_on=datetime.date(YEAR, rng.randint(2, 12), rng.randint(1, 28)),
                amount=Decimal(rng.randint(100, 9000)),
                payee="x",
                created_by=user,
            )
            for line in (lines[n % len(lines)] for n in range(PAYMENTS))
        ),
        batch_size=2000,
    )
    return user


def run(report) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.db.models import Sum
    from django.test import Client
    from django.urls import reverse

    from funds.models import Payment

    with transaction.atomic():
        user = _build(random.Random(14))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        payments = Payment.objects.filter(allocation__year=YEAR).count()
        report.note(f"{PROJECTS} projects, {payments} payments on {connection.vendor}")
        as_of = f"{YEAR}-12-31"

        def aggregate():
            Payment.objects.filter(allocation__year=YEAR, paid_on__lte=as_of).aggregate(Sum("amount"))

        def command():
            call_command(
                "funds_progress", "--year", str(YEAR), "--as-of", as_of, "--json", stdout=io.StringIO()
            )

        client = Client()
        client.force_login(user)
        url = reverse("funds:progress")

        def page():
            assert client.get(url, {"year": YEAR, "as_of": as_of}).status_code == 200

        base = _best(aggregate, runs=5)
        report.figure("one aggregate over the payments", f"{base * 1000:.1f} ms", "(yardstick)", None)
        for label, fn in (("funds_progress --json", command), ("progress page", page)):
            seconds = _best(fn)
            ratio = seconds / base
            report.figure(
                f"{label} ({seconds * 1000:.0f} ms)",
                f"{ratio:.1f}x",
                f"≤ {TARGET_RATIO}x",
                ratio <= TARGET_RATIO,
            )
        transaction.set_rollback(True)
