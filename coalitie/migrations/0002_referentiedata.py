from django.db import migrations


def laden(apps, schema_editor):
    from coalitie.services import referentiedata_laden

    referentiedata_laden(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("coalitie", "0001_initial")]

    # A fresh install knows every coalition, SWV and residential school after `migrate`.
    operations = [migrations.RunPython(laden, migrations.RunPython.noop)]
