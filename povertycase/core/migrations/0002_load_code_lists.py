from django.db import migrations


def forwards(apps, schema_editor):
    from povertycase.core.loading import load_code_lists

    load_code_lists(apps.get_model("core", "CodeList"), apps.get_model("core", "Parameter"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
