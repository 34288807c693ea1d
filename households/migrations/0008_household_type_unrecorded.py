"""household_type has no meaningful default; stored households get the type their status implies.

Imports used to leave every household at 贫困户 whatever 贫困户状态 said (issue 12, EX-010).
A household remembers the fields its imported layout did not carry, so checks reading them stay
silent; a violation remembers the date its scan reckoned at (run_checks --as-of).
"""

from django.db import migrations, models

EXITED_STATUSES = ("1", "2")  # 已脱贫（享受政策/不享受政策）
POOR_STATUSES = ("0", "3")  # 未脱贫, 返贫
POOR_TYPE, EXITED_TYPE, FARMER_TYPE = "1", "2", "3"


def align_types(apps, schema_editor):
    Household = apps.get_model("households", "Household")
    Household.objects.filter(exit_status__in=EXITED_STATUSES).exclude(household_type=EXITED_TYPE).update(
        household_type=EXITED_TYPE
    )
    Household.objects.filter(exit_status__in=POOR_STATUSES).exclude(
        household_type__in=(POOR_TYPE, FARMER_TYPE)
    ).update(household_type=POOR_TYPE)


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0007_register_layouts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalhousehold",
            name="household_type",
            field=models.CharField(blank=True, max_length=2, verbose_name="household type"),
        ),
        migrations.AlterField(
            model_name="household",
            name="household_type",
            field=models.CharField(blank=True, max_length=2, verbose_name="household type"),
        ),
        migrations.RunPython(align_types, migrations.RunPython.noop),
        migrations.AddField(
            model_name="historicalhousehold",
            name="unrecorded",
            field=models.CharField(blank=True, editable=False, max_length=400, verbose_name="fields not recorded"),
        ),
        migrations.AddField(
            model_name="household",
            name="unrecorded",
            field=models.CharField(blank=True, editable=False, max_length=400, verbose_name="fields not recorded"),
        ),
        migrations.AddField(
            model_name="violation",
            name="as_of",
            field=models.DateField(blank=True, null=True, verbose_name="as of"),
        ),
    ]
