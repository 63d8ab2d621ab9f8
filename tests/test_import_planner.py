"""The foreign-key checks an import pays at COMMIT are planned from the statistics of the
tables they probe. The school table is loaded empty with the reference data ("0 rows"), so a
first import that creates its stamscholen would check every placement's school with a scan of
all schools (~36 us each): the import counts the new schools first (PostgreSQL only)."""

from pathlib import Path

import pytest
from django.core.files import File
from django.db import connection

from coalitie.models import School
from coalitie.toegang import SYSTEEM
from plaatsingen.importeren.services import import_bestand_aanmaken, import_uitvoeren
from tools.management.commands.benchmark_import import genereer

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner"),
]


def _plan_fk_check() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN SELECT 1 FROM ONLY coalitie_school x WHERE id = %s FOR KEY SHARE OF x", [1]
        )
        return "\n".join(r[0] for r in cursor.fetchall())


def test_a_first_import_that_creates_schools_leaves_them_counted_for_its_fk_checks(tmp_path):
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE coalitie_school")  # as the reference data leaves it: empty
    pad = Path(tmp_path) / "export.csv"
    genereer(pad, 700, zaad=5)
    with pad.open("rb") as f:
        ib = import_bestand_aanmaken(bestand=File(f), naam="export.csv", door=SYSTEEM)
    ib = import_uitvoeren(import_bestand_id=ib.pk, controleer_dubbel=False)
    assert not ib.fouten and ib.aantal_nieuw == 700
    scholen = School.objects.count()
    assert scholen > 300
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'coalitie_school'")
        assert cursor.fetchone()[0] >= scholen
    assert "Index Scan" in _plan_fk_check()
