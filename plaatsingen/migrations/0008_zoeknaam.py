import django.db.models.functions.text
from django.db import migrations, models

# "%hof%" cannot use a b-tree; a trigram index can. PostgreSQL only (SQLite scans, which is
# fine at the size of an embedded install). pg_trgm is a trusted extension (PostgreSQL 13+), so
# the database owner may create it without superuser rights.
TRGM = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
INDEX = (
    "CREATE INDEX IF NOT EXISTS leerling_zoeknaam_trgm "
    "ON plaatsingen_leerling USING gin (zoeknaam gin_trgm_ops)"
)


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRGM)
        schema_editor.execute(INDEX)


def trigram_index_weg(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS leerling_zoeknaam_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("plaatsingen", "0007_ihub_profiel"),
    ]

    operations = [
        migrations.AddField(
            model_name="leerling",
            name="zoeknaam",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Lower(
                    django.db.models.functions.text.Concat(
                        "roepnaam",
                        models.Value(" "),
                        "tussenvoegsel",
                        models.Value(" "),
                        "achternaam",
                        models.Value(" "),
                        "leerlingnummer",
                        output_field=models.CharField(),
                    )
                ),
                output_field=models.CharField(max_length=270),
            ),
        ),
        migrations.RunPython(trigram_index, trigram_index_weg),
    ]
