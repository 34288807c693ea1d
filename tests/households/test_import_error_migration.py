"""Migration 0009 moves the errors of existing batches from their JSON field into rows."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("households", "0006_work_conditions_leaders")]
AFTER = [("households", "0009_import_error_rows")]


@pytest.fixture
def migrator():
    """Leaves the database at the latest migrations whatever the test did."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_json_errors_become_rows_and_back(migrator):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Batch = old.get_model("households", "ImportBatch")
    errors = [
        {"code": "bad", "row": 5 + n, "column": "姓名", "value": n, "message": f"错{n}"} for n in range(4500)
    ]
    batch = Batch.objects.create(original_name="a.xlsx", file="a.xlsx", errors=errors)
    clean = Batch.objects.create(original_name="b.xlsx", file="b.xlsx")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Batch, Error = new.get_model("households", "ImportBatch"), new.get_model("households", "ImportBatchError")
    assert (
        Batch.objects.get(pk=batch.pk).error_count == 4500 and Batch.objects.get(pk=clean.pk).error_count == 0
    )
    rows = list(
        Error.objects.filter(batch_id=batch.pk).order_by("position").values_list("row", "value", "message")
    )
    assert len(rows) == 4500 and rows[0] == (5, "0", "错0") and rows[-1] == (4504, "4499", "错4499")

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    Batch = executor.loader.project_state(BEFORE).apps.get_model("households", "ImportBatch")
    back = Batch.objects.get(pk=batch.pk).errors
    assert len(back) == 4500 and back[-1]["message"] == "错4499"
