"""PostgreSQL's side of the bulk writes (config/bulk.py) and the indexes of the placements.

A COPY's foreign keys are checked right after it (not at COMMIT, when a large import's rows
have left memory), and only its own table's foreign keys; the rest of the transaction keeps
the deferred default. The placements keep an index for every foreign key they drop a single
index of, and their one-open-placement rule."""

import pytest
from django.db import IntegrityError, connection, transaction

from config import bulk
from routetool.models import Transitie

from .factories import PlaatsingFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]

GEEN_PLAATSING = 2_000_000_000


def _transities(plaatsing_id: int, aantal: int = bulk.COPY_VANAF) -> list[dict]:
    return [{"plaatsing_id": plaatsing_id, "van": "", "naar": "instroom"} for _ in range(aantal)]


def test_a_copy_with_a_missing_parent_fails_at_the_copy_not_at_commit():
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.bulk_insert(Transitie, _transities(GEEN_PLAATSING))
        pytest.fail("the COPY's foreign keys were not checked right after it")


def test_without_the_check_after_the_copy_the_same_rows_pass_until_commit(monkeypatch):
    # The control: this is what the deferred foreign keys alone would do.
    monkeypatch.setattr(bulk, "FK_NA_COPY", False)
    with transaction.atomic():
        sid = transaction.savepoint()
        bulk.bulk_insert(Transitie, _transities(GEEN_PLAATSING))
        with pytest.raises(IntegrityError), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        transaction.savepoint_rollback(sid)


def test_after_the_copy_the_foreign_keys_are_deferred_again():
    plaatsing = PlaatsingFactory()
    with transaction.atomic():
        bulk.bulk_insert(Transitie, _transities(plaatsing.pk))
        sid = transaction.savepoint()
        Transitie.objects.create(plaatsing_id=GEEN_PLAATSING, naar="instroom")  # deferred
        with pytest.raises(IntegrityError), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        transaction.savepoint_rollback(sid)
    assert Transitie.objects.filter(plaatsing=plaatsing).count() == bulk.COPY_VANAF


def _indexen(tabel: str) -> list[tuple[str, list[str], bool, bool]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname, array_agg(a.attname ORDER BY k.n), x.indisunique, "
            "x.indpred IS NOT NULL FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
            "CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY k(attnum, n) "
            "JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum "
            "WHERE x.indrelid = %s::regclass GROUP BY 1, 3, 4",
            [tabel],
        )
        return cursor.fetchall()


def test_every_foreign_key_of_a_placement_leads_an_index():
    eerste = {
        kolommen[0]
        for _, kolommen, _, gedeeltelijk in _indexen("plaatsingen_plaatsing")
        if not gedeeltelijk
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
