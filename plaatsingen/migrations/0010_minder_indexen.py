# Fewer indexes on plaatsingen_plaatsing (15 -> 10): every one costs each row a first import
# writes. Gone: leerling_id, instellingsschool_id and verantwoordelijk_swv_id on their own (each
# is the first column of a composite index that serves the same lookups: the natural key,
# (school, fase), (SWV, fase)), fase's LIKE index (no query uses LIKE on fase) and historisch
# (queries ask historisch=False, nearly every row, or combine it in an OR). fase keeps a plain
# b-tree under its own name.
#
# By hand, not AlterField: on PostgreSQL Django's AlterField(db_index=False) of `leerling`
# drops every index on leerling_id alone, the partial unique index een_open_plaatsing_per_leerling
# (one open placement per pupil) included, and rebuilds the foreign keys. Here only the named
# indexes go; the state gets the same fields as AlterField would give.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

T = "plaatsingen_plaatsing"
WEG = {
    "plaatsingen_plaatsing_leerling_id_264f3097": "leerling_id",
    "plaatsingen_plaatsing_instellingsschool_id_a3990208": "instellingsschool_id",
    "plaatsingen_plaatsing_verantwoordelijk_swv_id_f60eb1bd": "verantwoordelijk_swv_id",
    "plaatsingen_plaatsing_historisch_b56c0fa7": "historisch",
    "plaatsingen_plaatsing_fase_b328eb35": "fase",
}
LIKE = "plaatsingen_plaatsing_fase_b328eb35_like"


def vooruit(apps, schema_editor):
    for naam in [*WEG, LIKE]:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{naam}"')
    schema_editor.execute(f'CREATE INDEX "plaatsing_fase_idx" ON "{T}" ("fase")')


def terug(apps, schema_editor):
    schema_editor.execute('DROP INDEX IF EXISTS "plaatsing_fase_idx"')
    for naam, kolom in WEG.items():
        schema_editor.execute(f'CREATE INDEX "{naam}" ON "{T}" ("{kolom}")')
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'CREATE INDEX "{LIKE}" ON "{T}" ("fase" varchar_pattern_ops)')


class Migration(migrations.Migration):

    dependencies = [
        ("coalitie", "0008_logentry_minder_indexen"),
        ("plaatsingen", "0009_deelnemers_casusregisseur"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(vooruit, terug)],
            state_operations=[
                migrations.AlterField(
                    model_name="plaatsing",
                    name="fase",
                    field=models.CharField(
                        choices=[
                            ("instroom", "instroom"),
                            ("verblijf", "verblijf"),
                            ("uitstroom", "uitstroom"),
                            ("nazorg", "nazorg"),
                            ("afgesloten", "afgesloten"),
                        ],
                        default="instroom",
                        max_length=12,
                    ),
                ),
                migrations.AlterField(
                    model_name="plaatsing",
                    name="historisch",
                    field=models.BooleanField(default=False),
                ),
                migrations.AlterField(
                    model_name="plaatsing",
                    name="instellingsschool",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="plaatsingen",
                        to="coalitie.instellingsschool",
                    ),
                ),
                migrations.AlterField(
                    model_name="plaatsing",
                    name="leerling",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="plaatsingen",
                        to="plaatsingen.leerling",
                    ),
                ),
                migrations.AlterField(
                    model_name="plaatsing",
                    name="verantwoordelijk_swv",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="plaatsingen",
                        to="coalitie.samenwerkingsverband",
                        verbose_name="verantwoordelijk SWV",
                    ),
                ),
                migrations.AddIndex(
                    model_name="plaatsing",
                    index=models.Index(fields=["fase"], name="plaatsing_fase_idx"),
                ),
            ],
        ),
    ]
