"""Less for PostgreSQL to write per imported row (PostgreSQL only; elsewhere nothing happens).

- The scratch table `plaatsingen_importrij` becomes UNLOGGED: its rows live only while one
  check or import runs and are deleted after it, so writing them (and deleting them) to the
  WAL buys nothing. After a server crash PostgreSQL empties the table; the run that parked the
  rows has then lost its connection and fails anyway (and is re-runnable), and nobody else
  reads them. An unlogged table is not on a standby, which never reads it.
- The LIKE index (`varchar_pattern_ops`) Django adds next to the unique index of
  `leerlingnummer`: the product never searches a leerlingnummer by prefix (the name search
  uses `zoeknaam`, the import and the pages ask `leerlingnummer = …`, which the unique index
  serves). Only the dev tools' `startswith` on their own prefix would use it.

Found by columns and suffix, not by Django's hashed name.
"""

from django.db import migrations


def _like_index(schema_editor):
    verbinding = schema_editor.connection
    with verbinding.cursor() as cursor:
        indexen = verbinding.introspection.get_constraints(cursor, "plaatsingen_leerling")
    for naam, info in indexen.items():
        if info["index"] and info["columns"] == ["leerlingnummer"] and naam.endswith("_like"):
            yield naam


def vooruit(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for naam in list(_like_index(schema_editor)):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(naam)}")
    schema_editor.execute("ALTER TABLE plaatsingen_importrij SET UNLOGGED")


def terug(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE plaatsingen_importrij SET LOGGED")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS plaatsingen_leerling_leerlingnummer_like "
        "ON plaatsingen_leerling (leerlingnummer varchar_pattern_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [("plaatsingen", "0012_import_aanbieder")]

    operations = [migrations.RunPython(vooruit, terug)]
