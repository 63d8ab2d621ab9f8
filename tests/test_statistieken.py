"""The planner has statistics on the small reference tables right after `migrate` and after
`laad_referentiedata` (PostgreSQL; SQLite plans without them)."""

import pytest
from django.core.management import call_command
from django.db import connection

from coalitie.models import School

from .factories import SchoolFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="planner statistics"),
]
TABELLEN = (
    "coalitie_coalitie",
    "coalitie_samenwerkingsverband",
    "coalitie_instellingsschool",
    "coalitie_locatie",
    "routetool_routekaart",
    "routetool_routekaartactie",
)


def reltuples(tabel: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [tabel])
        return cursor.fetchone()[0]


def test_the_test_database_was_migrated_with_statistics_on_the_reference_tables():
    # -1: never analyzed. The test database is made by `migrate`, like a fresh install.
    nooit = [t for t in TABELLEN if reltuples(t) < 0]
    assert not nooit, f"zonder statistieken na migrate: {nooit}"
    assert reltuples("coalitie_samenwerkingsverband") == 76


def test_laad_referentiedata_leaves_fresh_statistics():
    SchoolFactory.create_batch(40)
    call_command("laad_referentiedata")
    assert reltuples("coalitie_school") == School.objects.count() >= 40
