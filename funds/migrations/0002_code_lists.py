from django.db import migrations


def forwards(apps, schema_editor):
    from funds.codes import load

    load(apps.get_model("core", "CodeList"), apps.get_model("core", "Parameter"))


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial"), ("core", "0002_load_code_lists")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
