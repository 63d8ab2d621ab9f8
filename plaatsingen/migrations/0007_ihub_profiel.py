"""iHUB's own import profile ships: every column under its own name (FORMAT.md)."""

from django.db import migrations

# Frozen here: a migration must not follow later changes of the resource.
KOLOMMEN = [
    "Leerlingnummer", "Achternaam", "Tussenvoegsel", "Roepnaam", "Geboortedatum", "Geslacht",
    "Postcode", "Woonplaats", "Instellingsschool", "Locatie", "Datum inschrijving",
    "Datum uitschrijving", "Verblijf", "Stamschool BRIN", "Stamschool naam", "SWV", "Niveau",
    "Leerjaar", "Reden uitschrijving", "Vervolgschool BRIN", "Vervolgschool naam",
]  # fmt: skip


def ihub_profiel(apps, schema_editor):
    apps.get_model("plaatsingen", "ImportProfiel").objects.get_or_create(
        naam="iHUB",
        defaults={"kolommen": {k: k for k in KOLOMMEN}, "datumformaat": "%d-%m-%Y", "waarden": {}},
    )


class Migration(migrations.Migration):
    dependencies = [("plaatsingen", "0006_import_profielen_en_bereik")]

    operations = [migrations.RunPython(ihub_profiel, migrations.RunPython.noop)]
