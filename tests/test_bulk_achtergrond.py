"""COPYs in the background (`config.bulk_achtergrond`): the caller goes on while the server
inserts, but every statement it sends afterwards sees what was written before it, an error of
a background COPY surfaces in the caller, and leaving the block with an error writes nothing
that was still queued."""

import contextlib
import threading

import psycopg
import pytest
from django.db import connection, transaction

from coalitie.models import Coalitie, Samenwerkingsverband, School
from config import bulk_achtergrond
from config.bulk import COPY_VANAF, bulk_insert

pytestmark = pytest.mark.django_db

AANTAL = COPY_VANAF + 100  # over the threshold: the COPY path, not bulk_create


def _rijen(voorvoegsel: str, aantal: int = AANTAL) -> list[dict]:
    # brin is unique and shaped 12AB34: distinct codes with the two letters given.
    swv_id = Samenwerkingsverband.objects.values_list("pk", flat=True).first()
    return [
        {
            "brin": f"{i // 100:02d}{voorvoegsel}{i % 100:02d}",
            "naam": f"School {i}",
            "swv_id": swv_id,
        }
        for i in range(aantal)
    ]


@pytest.fixture(autouse=True)
def _alleen_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the background COPY is PostgreSQL's; elsewhere bulk_insert writes at once")


def test_a_read_after_a_background_copy_sees_its_rows():
    with bulk_achtergrond.achtergrond():
        bulk_insert(School, _rijen("QA"))
        bulk_insert(School, _rijen("QB"))
        # The ORM query waits at the barrier for both COPYs.
        assert School.objects.filter(brin__regex=r"^\d\dQ[AB]").count() == 2 * AANTAL
    assert bulk_achtergrond.STATISTIEK["copies"] >= 2


def test_the_caller_goes_on_before_the_copy_is_done():
    gestart, vrijgeven = [], threading.Event()

    def trage_copy(cursor):
        gestart.append(True)
        vrijgeven.wait(5)
        cursor.execute("SELECT 1")

    with bulk_achtergrond.achtergrond():
        bulk_achtergrond.uitvoeren(trage_copy)
        # Still running in the worker: the caller is not held up.
        assert not vrijgeven.is_set()
        vrijgeven.set()
    assert gestart == [True]


def test_an_error_of_a_background_copy_is_raised_in_the_caller():
    bulk_insert(School, _rijen("QC", 1))  # the same brin again below: unique violation
    with (
        pytest.raises(psycopg.IntegrityError),
        transaction.atomic(),
        bulk_achtergrond.achtergrond(),
    ):
        bulk_insert(School, _rijen("QC"))
        Coalitie.objects.count()  # the barrier raises the COPY's error here
    assert School.objects.filter(brin__contains="QC").count() == 1


def test_leaving_with_an_error_drops_what_was_still_queued():
    gezien, bezig = [], threading.Event()

    def eerste(cursor):
        bezig.set()
        threading.Event().wait(0.3)  # still busy when the caller fails
        gezien.append("eerste")

    with pytest.raises(RuntimeError), bulk_achtergrond.achtergrond():
        bulk_achtergrond.uitvoeren(eerste)
        bulk_achtergrond.uitvoeren(lambda cursor: gezien.append("tweede"))
        assert bezig.wait(5)
        raise RuntimeError("de import faalt")
    assert gezien == ["eerste"]
    # After the block COPYs run at once again.
    bulk_insert(School, _rijen("QD"))
    assert School.objects.filter(brin__contains="QD").count() == AANTAL


def test_reads_marked_independent_do_not_wait_for_the_queue():
    volgorde, los = [], threading.Event()

    def trage_copy(cursor):
        los.wait(5)
        volgorde.append("copy")

    with bulk_achtergrond.achtergrond():
        bulk_achtergrond.uitvoeren(trage_copy)
        with bulk_achtergrond.zonder_wachten():
            Coalitie.objects.count()
        volgorde.append("gelezen")
        los.set()
        Coalitie.objects.count()  # outside it waits again
        volgorde.append("daarna")
    assert volgorde == ["gelezen", "copy", "daarna"]


def test_a_swallowed_copy_error_still_fails_the_block():
    bulk_insert(School, _rijen("QE", 1))
    with (
        pytest.raises(psycopg.IntegrityError),
        transaction.atomic(),
        bulk_achtergrond.achtergrond(),
    ):
        bulk_insert(School, _rijen("QE"))
        with contextlib.suppress(psycopg.IntegrityError):
            Coalitie.objects.count()  # someone swallows it here: leaving the block raises again
    assert School.objects.filter(brin__contains="QE").count() == 1
