"""The indexes of the placements after migration plaatsingen/0010-0011 (fewer, for the first
import): every foreign key still leads an index, the unique rules stay, the redundant single
indexes are gone."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's catalog"),
]


def _indexen(tabel: str) -> list[tuple[str, list[str], bool, str | None]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname, array_agg(a.attname ORDER BY k.n), x.indisunique, "
            "pg_get_expr(x.indpred, x.indrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY k(attnum, n) "
            "JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum "
            "WHERE x.indrelid = %s::regclass GROUP BY 1, 3, 4",
            [tabel],
        )
        return cursor.fetchall()


def test_every_foreign_key_of_a_placement_leads_an_index():
    # A partial index serves the lookups of a foreign key (`col = …`, also Django's PROTECT
    # and SET NULL queries) only when its condition is just "the column is filled".
    eerste = {
        kolommen[0]
        for _, kolommen, _, voorwaarde in _indexen("plaatsingen_plaatsing")
        if voorwaarde is None or voorwaarde == f"({kolommen[0]} IS NOT NULL)"
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = "
            "c.conrelid AND a.attnum = c.conkey[1] WHERE c.conrelid = "
            "'plaatsingen_plaatsing'::regclass AND c.contype = 'f'"
        )
        fks = {naam for (naam,) in cursor.fetchall()}
    assert fks and fks <= eerste, fks - eerste


def test_the_placements_keep_their_unique_indexes_and_drop_the_redundant_ones():
    indexen = {
        naam: (kolommen, uniek) for naam, kolommen, uniek, _ in _indexen("plaatsingen_plaatsing")
    }
    assert indexen["een_open_plaatsing_per_leerling"] == (["leerling_id"], True)
    assert indexen["plaatsing_natuurlijke_sleutel"][1]
    enkel = {tuple(k) for k, _ in indexen.values()}
    for kolom in ("leerling_id", "instellingsschool_id", "verantwoordelijk_swv_id", "historisch"):
        assert sum(1 for k, u in indexen.values() if k == [kolom] and not u) == 0, kolom
    assert ("fase",) in enkel
    assert not any(naam.endswith("_like") for naam in indexen)
