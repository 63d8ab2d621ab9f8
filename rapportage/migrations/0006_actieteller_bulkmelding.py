"""The trigger on new actions leaves alone the statement routetool marks as told to observers
in Python (routetool/bulkmelding.py: a first import's COPYs of new actions, whose counters
`rapportage.actietellers.nieuwe_acties_tellen` writes itself), and clears the mark: it holds
for that one statement, and no statement of the client is needed to clear it (each one the
background writer sends costs it a wait for Python's GIL, ~5 ms). The check comes first and
costs one lookup of a setting per statement; unmarked statements are counted exactly as 0005
does. PostgreSQL only, as 0005."""

import importlib

from django.db import migrations

m0005 = importlib.import_module("rapportage.migrations.0005_actieteller")

NAAM = "rapportage_teller_actie_in"
# The setting's name as routetool.bulkmelding.GEMELD has it (a migration keeps its own copy).
GEMELD = "routetool.acties_gemeld"
# The same body as 0005's, behind the check; EXECUTE as there (fresh plans, see 0005).
NIEUW = m0005._functie(NAAM, m0005._invoegen(m0005._acties("nieuw", 1))).replace(
    "BEGIN ",
    f"BEGIN IF current_setting('{GEMELD}', true) = 'aan' THEN "
    f"PERFORM set_config('{GEMELD}', '', true); RETURN NULL; END IF; ",
    1,
)
OUD = m0005._functie(NAAM, m0005._invoegen(m0005._acties("nieuw", 1)))


def _vervangen(sql):
    def stap(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)

    return stap


class Migration(migrations.Migration):
    dependencies = [("rapportage", "0005_actieteller")]

    operations = [migrations.RunPython(_vervangen(NIEUW), _vervangen(OUD))]
