"""A real Celery worker process consumes a task from the configured broker (Redis in CI)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from households.models import ImportBatch

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker_process():
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_TASK_ALWAYS_EAGER": "false"}
    celery = Path(sys.executable).with_name("celery")
    worker = subprocess.Popen(
        [
            str(celery),
            "-A",
            "povertycase",
            "worker",
            "--pool=solo",
            "--loglevel=warning",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "-n",
            f"test-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield worker
    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()


def test_worker_validates_an_uploaded_register(celery_worker_process, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from households.services.imports import import_batch_create
    from households.tasks import validate_import_task
    from tests.households.workbooks import household_rows, workbook_bytes

    upload = SimpleUploadedFile("register.xlsx", workbook_bytes(household_rows(size=3)))
    batch = import_batch_create(user=users["command"], uploaded_file=upload)
    result = validate_import_task.delay(batch.pk)

    result.get(timeout=90)  # raises if the worker failed the task or never answered
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.VALID, (batch.status, batch.errors, batch.message)
    assert (batch.households_count, batch.members_count) == (1, 3)
    assert settings.CELERY_BROKER_URL.split(":")[0] in {"redis", "filesystem"}
