from django.db import migrations


def load(apps, schema_editor):
    from povertycase.core.loading import load_code_lists

    load_code_lists(apps.get_model("core", "CodeList"), apps.get_model("core", "Parameter"))


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial"), ("core", "0002_load_code_lists")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
