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


def _plan(qs) -> str:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(r[0] for r in cursor.fetchall())


def test_the_pupil_lookup_of_a_group_probes_the_unique_index_however_stale_the_statistics(
    tmp_path,
):
    """`vergelijk` looks up each group's ~2,000 pupils by leerlingnummer. With `IN (2,000
    values)` PostgreSQL reads the whole table while it is under ~250,000 rows (2,000 probes
    cost more than one scan by its model), and with "0 rows" in its statistics an ORDER BY pk
    makes it walk the whole primary key; an import that grows the table in its own
    transaction then reads it once per group: quadratic. Here the statistics say "empty"
    while the table holds 30,000 pupils, and the lookup the import really runs is explained."""
    from django.test.utils import CaptureQueriesContext

    from config.bulk import bulk_insert
    from plaatsingen.models import Leerling

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE plaatsingen_leerling")  # statistics say: empty
    bulk_insert(
        Leerling,
        (
            {"leerlingnummer": f"PV{i:07d}", "achternaam": "A", "roepnaam": "R"}
            for i in range(30_000)
        ),
    )
    nummers = [f"PV{i:07d}" for i in range(0, 30_000, 15)]
    # The control: the plain IN list in pk order reads the whole table here.
    assert "leerlingnummer_key" not in _plan(
        Leerling.objects.filter(leerlingnummer__in=nummers).order_by("pk")
    )
    pad = Path(tmp_path) / "export.csv"
    genereer(pad, 300, zaad=5, voorvoegsel="PV")  # pupils PV0000000-299: all in the table
    with pad.open("rb") as f:
        ib = import_bestand_aanmaken(bestand=File(f), naam="export.csv", door=SYSTEEM)
    with CaptureQueriesContext(connection) as vastgelegd:
        ib = import_uitvoeren(import_bestand_id=ib.pk, controleer_dubbel=False)
    assert not ib.fouten and ib.aantal_nieuw == 300
    opzoeken = [
        q["sql"]
        for q in vastgelegd.captured_queries
        if q["sql"].startswith('SELECT "plaatsingen_leerling"."id"') and "FOR UPDATE" in q["sql"]
    ]
    assert opzoeken
    for sql in opzoeken:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(r[0] for r in cursor.fetchall())
        assert "plaatsingen_leerling_leerlingnummer_key" in plan, plan
        assert "Seq Scan" not in plan and "plaatsingen_leerling_pkey" not in plan, plan


def test_in_lijst_gives_the_rows_of_in():
    from config.planvast import in_lijst

    scholen = list(School.objects.values_list("pk", flat=True)[:5]) + [-1]
    assert set(School.objects.filter(in_lijst("pk", scholen))) == set(
        School.objects.filter(pk__in=scholen)
    )


def test_in_lijst_of_nothing_queries_nothing(django_assert_num_queries):
    from config.planvast import in_lijst
    from plaatsingen.models import Plaatsing

    with django_assert_num_queries(0):
        assert list(Plaatsing.objects.filter(in_lijst("leerling_id", []))) == []


def test_in_lijst_does_not_cut_a_value_longer_than_the_column():
    from config.planvast import in_lijst
    from plaatsingen.models import Leerling

    Leerling.objects.create(leerlingnummer="A" * 20, achternaam="A", roepnaam="R")
    assert not Leerling.objects.filter(in_lijst("leerlingnummer", ["A" * 25])).exists()
    assert Leerling.objects.filter(in_lijst("leerlingnummer", ["A" * 20])).exists()


def test_each_next_group_of_the_scratch_table_is_read_in_index_order_and_stops(tmp_path):
    """`delen` asks for the next 2,000 leerlingnummers of this run. Without statistics that
    know this run's id, PostgreSQL estimated a handful of rows and read every row still to
    come (bitmap scan) to sort them, once per group: quadratic in the file. The check counts
    the scratch table when it parked more than one group."""
    from django.test.utils import CaptureQueriesContext

    pad = Path(tmp_path) / "export.csv"
    genereer(pad, 10_000, zaad=5, voorvoegsel="GR")
    with pad.open("rb") as f:
        ib = import_bestand_aanmaken(bestand=File(f), naam="export.csv", door=SYSTEEM)
    with CaptureQueriesContext(connection) as vastgelegd:
        ib = import_uitvoeren(import_bestand_id=ib.pk, controleer_dubbel=False)
    assert not ib.fouten and ib.aantal_nieuw == 10_000
    volgende = [
        q["sql"]
        for q in vastgelegd.captured_queries
        if 'FROM "plaatsingen_importrij"' in q["sql"] and "LIMIT 2000" in q["sql"]
    ]
    assert len(volgende) >= 5
    # The groups with three or more groups' rows still to come (a scan of the last few rows
    # and a sort is as good as the index, and PostgreSQL may rightly pick it).
    for sql in volgende[:3]:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(r[0] for r in cursor.fetchall())
        assert "importrij_per_leerling" in plan and "Sort" not in plan, plan
        assert "Bitmap" not in plan, plan
