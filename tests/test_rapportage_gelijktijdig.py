"""The monitor's figures on several connections at once (rapportage/gelijktijdig.py): the same
figures as one query after the other, really on more than one connection, none left open."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.db import connection

from coalitie.models import Coalitie
from coalitie.toegang import SYSTEEM
from rapportage import gelijktijdig
from rapportage.cijfers import alle_cijfers, basis
from rapportage.doelen import doelen_cijfers
from rapportage.gelijktijdig import tegelijk
from rapportage.models import Monitor
from rapportage.monitor import monitor_context
from rapportage.spiegel import kerngetallen
from routetool.services import route_starten

from .conftest import RIJNSTROOM, SCHAKENBOSCH, SWV_A, SWV_B
from .factories import LeerlingFactory, PlaatsingFactory, instellingsschool, swv

pytestmark = pytest.mark.django_db(transaction=True)


def _open_pids(pids) -> set[int]:
    """Which of these backends still exist. A closed connection's backend leaves
    pg_stat_activity a moment after the client has hung up, so this waits up to 5 s for them
    to go: a connection left open still fails the test, a slow exit no longer does."""
    deadline = time.monotonic() + 5
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pid FROM pg_stat_activity WHERE pid = ANY(%s)", [sorted(pids)])
            over = {pid for (pid,) in cursor.fetchall()}
        if not over or time.monotonic() > deadline:
            return over
        time.sleep(0.05)


def _pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), pg_sleep(0.05)")
        return cursor.fetchone()[0]


def test_tasks_run_on_more_than_one_connection_and_close_the_extra_ones():
    pids = set(tegelijk({f"t{i}": _pid for i in range(6)}, extra=2).values())
    assert len(pids) == 3
    eigen = _pid()
    assert eigen in pids  # the caller's own connection did its share and stays open
    assert _open_pids(pids - {eigen}) == set()


def test_inside_a_transaction_the_tasks_run_on_the_callers_connection():
    from django.db import transaction

    with transaction.atomic():
        pids = tegelijk({f"t{i}": _pid for i in range(3)}, extra=2)
    assert set(pids.values()) == {_pid()}


def test_a_failing_task_raises_in_the_caller():
    def fout():
        raise ValueError("taak mislukt")

    with pytest.raises(ValueError, match="taak mislukt"):
        tegelijk({"a": _pid, "b": fout, "c": _pid}, extra=2)


def test_the_monitor_figures_in_parallel_equal_those_one_after_the_other(procesregisseur):
    gestart = []
    for i in range(7):
        p = PlaatsingFactory(
            leerling=LeerlingFactory(woonplaats="Naaldwijk" if i % 2 else "Delft"),
            verantwoordelijk_swv=swv(SWV_A if i < 5 else SWV_B),
            instellingsschool=instellingsschool(SCHAKENBOSCH if i < 3 else RIJNSTROOM),
            startdatum=dt.date(2025, 8, 1 + i),
            einddatum=dt.date(2025, 11, 10) if i < 3 else None,
            vervolgplek_soort="mbo" if i < 2 else "",
        )
        if i >= 3:
            gestart.append(p)
    route_starten(plaatsingen=gestart, door=SYSTEEM, mailen=False)
    zuidwest = Coalitie.objects.get(slug="zuid-west")
    monitor = Monitor.objects.create(
        coalitie=zuidwest, van=dt.date(2025, 7, 1), tot=dt.date(2025, 12, 31), door=procesregisseur
    )
    vandaag = dt.date(2026, 1, 15)
    samen = monitor_context(monitor, vandaag=vandaag)["cijfers"]
    gelijktijdig.EXTRA_VERBINDINGEN = 0
    try:
        na_elkaar = monitor_context(monitor, vandaag=vandaag)["cijfers"]
    finally:
        gelijktijdig.EXTRA_VERBINDINGEN = 2
    assert samen == na_elkaar
    # The monitor composes the parts of alle_cijfers itself (to run them at the same time):
    # the same figures as alle_cijfers with the startfoto, the goals and the spiegel.
    qs = basis(procesregisseur, [s.pk for s in zuidwest.swvs.all()])
    los = alle_cijfers(qs, monitor.van, monitor.tot, vandaag, verantwoording=True)
    los["doelen"] = doelen_cijfers(zuidwest, qs, monitor.van, monitor.tot, vandaag)
    los["spiegel"] = kerngetallen(qs, monitor.van, monitor.tot, "verantwoordelijk_swv__code")
    los["spiegel_swvs"] = sorted(s.code for s in zuidwest.swvs.all())
    assert samen == los
    assert samen["in_periode"] == 7 and samen["v"]["uniek"]["plaatsingen"] == 7


def test_the_callers_connection_gets_its_settings_back():
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        voor = cursor.fetchone()[0]
    tegelijk({f"t{i}": _pid for i in range(3)}, extra=2)
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == voor


def test_every_task_reads_one_snapshot_taken_before_the_tasks_began():
    """A commit by another session while the figures are being counted is seen by none of the
    tasks, also not by the one that made it after its commit: one monitor, one moment."""
    import psycopg

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE gelijktijdig_proef (n integer)")
    try:

        def tellen():
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM gelijktijdig_proef, pg_sleep(0.05)")
                return cursor.fetchone()[0]

        def schrijven_dan_tellen():
            with psycopg.connect(**connection.get_connection_params(), autocommit=True) as ander:
                ander.execute("INSERT INTO gelijktijdig_proef VALUES (1)")
            return tellen()

        taken = {"schrijven": schrijven_dan_tellen} | {f"t{i}": tellen for i in range(4)}
        assert set(tegelijk(taken, extra=2).values()) == {0}
        assert tellen() == 1  # after the figures: the row is there
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE gelijktijdig_proef")
