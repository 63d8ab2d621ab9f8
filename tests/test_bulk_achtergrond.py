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
        # Held by the caller first, so the worker cannot have started the COPY yet.
        with bulk_achtergrond.zonder_wachten():
            bulk_achtergrond._verbinding()._bulk_schrijver.wachtrij.put(trage_copy)
            Coalitie.objects.count()
        volgorde.append("gelezen")
        los.set()
        Coalitie.objects.count()  # outside it waits again
        volgorde.append("daarna")
    assert volgorde == ["gelezen", "copy", "daarna"]


def test_reads_marked_independent_wait_for_the_running_copy_and_no_next_one_starts():
    """A block of reads waits for the COPY that is running when it begins (psycopg keeps a
    COPY whole), and the worker starts no other until the block ends: each read of the block
    would otherwise wait for a whole COPY again."""
    volgorde, eerste_bezig = [], threading.Event()

    def eerste(cursor):
        eerste_bezig.set()
        cursor.execute("SELECT pg_sleep(0.2)")
        volgorde.append("eerste")

    def tweede(cursor):
        cursor.execute("SELECT 1")
        volgorde.append("tweede")

    with bulk_achtergrond.achtergrond():
        bulk_achtergrond.uitvoeren(eerste)
        bulk_achtergrond.uitvoeren(tweede)
        assert eerste_bezig.wait(5)
        with bulk_achtergrond.zonder_wachten():
            Coalitie.objects.count()
            volgorde.append("gelezen")
            threading.Event().wait(0.2)  # without the turn the worker would start `tweede` here
            Coalitie.objects.count()
            volgorde.append("nog eens gelezen")
    assert volgorde == ["eerste", "gelezen", "nog eens gelezen", "tweede"]


def test_a_copy_queued_inside_a_block_of_reads_is_refused():
    # The worker cannot start it while the caller holds the turn: a full queue would hang.
    with (
        bulk_achtergrond.achtergrond(),
        pytest.raises(RuntimeError),
        bulk_achtergrond.zonder_wachten(),
    ):
        bulk_insert(School, _rijen("QF"))
    assert not School.objects.filter(brin__contains="QF").exists()


@pytest.fixture
def was():
    """A known interval before the test (Python's default), whatever came before it."""
    import sys

    eerder = sys.getswitchinterval()
    sys.setswitchinterval(0.005)
    yield 0.005
    sys.setswitchinterval(eerder)


def test_the_switch_interval_is_short_inside_the_block_and_restored_after(was):
    import sys

    with bulk_achtergrond.achtergrond():
        assert sys.getswitchinterval() == pytest.approx(bulk_achtergrond.WISSELINTERVAL)
    assert sys.getswitchinterval() == pytest.approx(was)
    with pytest.raises(RuntimeError), bulk_achtergrond.achtergrond():
        assert sys.getswitchinterval() == pytest.approx(bulk_achtergrond.WISSELINTERVAL)
        raise RuntimeError("de import faalt")
    assert sys.getswitchinterval() == pytest.approx(was)


def test_the_switch_interval_comes_back_when_the_last_of_two_threads_leaves(was):
    import sys

    binnen, eruit = threading.Event(), threading.Event()

    def ander():
        with bulk_achtergrond.kort_wisselen(0.0002):
            binnen.set()
            eruit.wait(5)

    draad = threading.Thread(target=ander)
    with bulk_achtergrond.kort_wisselen(0.0002):
        draad.start()
        assert binnen.wait(5)
    # This thread left first: the other is still inside, so the short interval stays.
    assert sys.getswitchinterval() == pytest.approx(0.0002)
    eruit.set()
    draad.join(5)
    assert sys.getswitchinterval() == pytest.approx(was)


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
