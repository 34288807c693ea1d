from decimal import Decimal

from django.db import migrations

# Default weights (sum 100) until the command office changes them on the settings page.
DEFAULTS = {
    "w_closing_rate": Decimal("25"),
    "w_overdue": Decimal("15"),
    "w_violations_per_100": Decimal("15"),
    "w_visit_coverage": Decimal("20"),
    "w_findings_per_100": Decimal("10"),
    "w_spot_check": Decimal("15"),
    "top_n": 4,
    "bottom_n": 4,
    "escalation_places": 3,
}


def add_defaults(apps, schema_editor):
    apps.get_model("inspections", "RankingSettings").objects.get_or_create(pk=1, defaults=DEFAULTS)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0002_ranking")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
