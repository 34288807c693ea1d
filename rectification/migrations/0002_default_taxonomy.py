from django.db import migrations


def forwards(apps, schema_editor):
    from rectification.taxonomy import load_sources, load_taxonomy

    load_sources(apps.get_model("core", "CodeList"))
    load_taxonomy(apps.get_model("rectification", "Category"))


class Migration(migrations.Migration):
    dependencies = [("rectification", "0001_initial"), ("core", "0002_load_code_lists")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
