"""Import errors move from one JSON field of the batch into rows of their own, with a count on
the batch: a batch of one junk workbook held 390,000 errors that every list load read."""

import django.db.models.deletion
from django.db import migrations, models

CHUNK = 2000


def errors_to_rows(apps, schema_editor):
    ImportBatch = apps.get_model("households", "ImportBatch")
    ImportBatchError = apps.get_model("households", "ImportBatchError")
    for pk in ImportBatch.objects.values_list("pk", flat=True).iterator():
        errors = ImportBatch.objects.filter(pk=pk).values_list("errors", flat=True).first() or []
        for start in range(0, len(errors), CHUNK):
            ImportBatchError.objects.bulk_create(
                [
                    ImportBatchError(
                        batch_id=pk,
                        position=start + n,
                        row=e.get("row") or None,
                        column=str(e.get("column") or "")[:255],
                        code=str(e.get("code") or "")[:40],
                        value="" if e.get("value") is None else str(e.get("value")),
                        message=str(e.get("message") or ""),
                    )
                    for n, e in enumerate(errors[start : start + CHUNK])
                ]
            )
        ImportBatch.objects.filter(pk=pk).update(error_count=len(errors))


def rows_to_errors(apps, schema_editor):
    ImportBatch = apps.get_model("households", "ImportBatch")
    ImportBatchError = apps.get_model("households", "ImportBatchError")
    for pk in ImportBatch.objects.filter(error_count__gt=0).values_list("pk", flat=True).iterator():
        rows = ImportBatchError.objects.filter(batch_id=pk).order_by("position")
        errors = [
            {"code": r.code, "row": r.row, "column": r.column, "value": r.value, "message": r.message}
            for r in rows
        ]
        ImportBatch.objects.filter(pk=pk).update(errors=errors)


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0008_household_type_unrecorded"),
    ]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="error_count",
            field=models.PositiveIntegerField(default=0, verbose_name="errors"),
        ),
        migrations.CreateModel(
            name="ImportBatchError",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveIntegerField()),
                ("row", models.PositiveIntegerField(blank=True, null=True)),
                ("column", models.CharField(blank=True, max_length=255)),
                ("code", models.CharField(blank=True, max_length=40)),
                ("value", models.TextField(blank=True)),
                ("message", models.TextField()),
                (
                    "batch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="error_rows",
                        to="households.importbatch",
                    ),
                ),
            ],
            options={
                "ordering": ["batch", "position"],
                "indexes": [
                    models.Index(fields=["batch", "position"], name="households__batch_i_4badee_idx"),
                    models.Index(fields=["batch", "row"], name="households__batch_i_b7f7eb_idx"),
                ],
            },
        ),
        migrations.RunPython(errors_to_rows, rows_to_errors),
        migrations.RemoveField(
            model_name="importbatch",
            name="errors",
        ),
    ]
