"""COPYs that run while Python goes on: the server inserts one batch while this process works
out the next.

A first import is about half Python (checking rows, working out routes, serialising the
per-pupil log) and half PostgreSQL (inserting and indexing what the COPYs send). Done one
after the other, the wall clock is their sum. Inside `achtergrond()`, `config.bulk.bulk_insert`
hands its COPY to one worker thread that sends it over the SAME database connection (the same
session and transaction), in the order given; the caller continues at once. While the worker
waits for the server (most of a COPY's time: the socket wait releases the GIL) the caller's
Python runs.

Ordering is kept by a barrier: every statement the caller sends through Django (every ORM
query, savepoint, `cursor.execute`) first waits until all queued COPYs are done, so a read
always sees what was written before it, and an error of a COPY is raised there, in the
caller's thread. Leaving the block waits as well (before the transaction's COMMIT, which
Django sends outside the cursor); leaving it with an exception drops what was still queued
and waits for the running COPY (the transaction is rolled back anyway). psycopg holds the
connection's lock for a whole COPY, so nothing else can interleave with one on the wire.

Outside `achtergrond()`, and on other databases, `uitvoeren` runs the COPY at once.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

_SLEUTEL = "_bulk_schrijver"  # attribute on this thread's Django connection: its worker


def _verbinding():
    return connections[DEFAULT_DB_ALIAS]  # this thread's wrapper, not the shared proxy


# COPYs queued at most (an import group makes ~11). Each holds its formatted data (~1.5 MB for
# a group's actions): 32 raised the peak RSS of a first import by 16 MB (125 -> 141), 8 by 4.
MAX_WACHTRIJ = 8

# What the workers did, summed (the benchmark prints and resets it): wall seconds inside COPYs,
# the worker thread's own CPU seconds, and how long the caller waited at a barrier.
# `tussen_s`: the caller's reads between two COPYs (`zonder_wachten`); `leeg_s`: the worker
# waiting for work (an empty queue: the caller was behind the server).
STATISTIEK = {
    "copy_s": 0.0,
    "copy_cpu_s": 0.0,
    "gewacht_s": 0.0,
    "copies": 0,
    "tussen_s": 0.0,
    "leeg_s": 0.0,
}


class _Schrijver:
    def __init__(self, raw) -> None:
        self.raw = raw
        # Bounded: a caller faster than the server waits here, so memory holds a few batches.
        self.wachtrij: queue.Queue = queue.Queue(maxsize=MAX_WACHTRIJ)
        self.fout: BaseException | None = None
        self.mislukt = False  # after a failed COPY the rest is skipped (the transaction is lost)
        self.vrij = False  # inside `zonder_wachten()`
        # The turn: the worker runs a COPY (`bezig`) or the caller a `zonder_wachten()` block
        # (`lezer`), never both. The caller's block waits for the COPY running when it begins
        # and no other: a waiting caller goes first. (psycopg's own lock is taken per
        # statement: between two reads of one block the worker would start the next COPY, and
        # each read would wait for a whole COPY; a plain lock lets the worker take it back.)
        self.beurt = threading.Condition()
        self.bezig = self.lezer = False
        self.draad = threading.Thread(target=self._werk, name="bulk-copy", daemon=True)
        self.draad.start()

    def _werk(self) -> None:
        while True:
            begin = time.perf_counter()
            taak = self.wachtrij.get()
            STATISTIEK["leeg_s"] += time.perf_counter() - begin
            try:
                if taak is None:
                    return
                if not self.mislukt:
                    with self.beurt:
                        self.beurt.wait_for(lambda: not self.lezer)
                        self.bezig = True
                    begin, cpu = time.perf_counter(), time.thread_time()
                    try:
                        with self.raw.cursor() as cursor:
                            taak(cursor)
                    finally:
                        with self.beurt:
                            self.bezig = False
                            self.beurt.notify_all()
                    STATISTIEK["copy_s"] += time.perf_counter() - begin
                    STATISTIEK["copy_cpu_s"] += time.thread_time() - cpu
                    STATISTIEK["copies"] += 1
            except BaseException as exc:  # raised in the caller's thread at the next barrier
                self.fout, self.mislukt = exc, True
            finally:
                self.wachtrij.task_done()

    def opdracht(self, taak: Callable) -> None:
        self._fout_opwerpen()
        if self.vrij:
            # The worker cannot start it while the caller holds the turn: a full queue would
            # wait forever.
            raise RuntimeError("bulk_insert binnen zonder_wachten()")
        self.wachtrij.put(taak)

    def wachten(self) -> None:
        if self.wachtrij.unfinished_tasks:
            begin = time.perf_counter()
            self.wachtrij.join()
            STATISTIEK["gewacht_s"] += time.perf_counter() - begin
        self._fout_opwerpen()

    def _fout_opwerpen(self) -> None:
        # Every time, not once: code that swallows an error at one barrier must not get a
        # block that then ends as if all was written (the later COPYs were skipped).
        if self.fout is not None:
            raise self.fout

    def stoppen(self, *, afbreken: bool) -> None:
        if afbreken:
            self.mislukt = True  # queued COPYs are skipped; the running one finishes
        self.wachtrij.put(None)
        self.draad.join()


# How long a thread may hold the GIL while another wants it (Python's default: 5 ms). The
# worker comes back from each socket wait wanting the GIL to format the next rows; with the
# caller holding it, the server sat idle for up to 5 ms each time (13% of the backend's samples
# were ClientRead). Shorter turns only inside `achtergrond()`: the setting is process-wide.
WISSELINTERVAL = 0.0005
_wisselen = {"binnen": 0, "was": None}
_wisselen_slot = threading.Lock()


@contextmanager
def kort_wisselen(interval: float | None = None):
    """`sys.setswitchinterval(interval)` inside this block, the old value back after it (also
    on an error). Blocks in several threads at once: the first sets, the last restores."""
    with _wisselen_slot:
        if _wisselen["binnen"] == 0:
            _wisselen["was"] = sys.getswitchinterval()
            sys.setswitchinterval(WISSELINTERVAL if interval is None else interval)
        _wisselen["binnen"] += 1
    try:
        yield
    finally:
        with _wisselen_slot:
            _wisselen["binnen"] -= 1
            if _wisselen["binnen"] == 0:
                sys.setswitchinterval(_wisselen["was"])


@contextmanager
def achtergrond():
    """COPYs of `bulk_insert` inside this block run in the background (see the module)."""
    connection = _verbinding()
    if connection.vendor != "postgresql" or getattr(connection, _SLEUTEL, None):
        yield
        return
    with kort_wisselen(), _achtergrond(connection):
        yield


@contextmanager
def _achtergrond(connection):
    connection.ensure_connection()
    schrijver = _Schrijver(connection.connection)

    def barriere(execute, sql, params, many, context):
        if schrijver.vrij:
            schrijver._fout_opwerpen()
            begin = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                STATISTIEK["tussen_s"] += time.perf_counter() - begin
        else:
            schrijver.wachten()
        return execute(sql, params, many, context)

    setattr(connection, _SLEUTEL, schrijver)
    try:
        with connection.execute_wrapper(barriere):
            yield
            schrijver.wachten()
    except BaseException as exc:
        setattr(connection, _SLEUTEL, None)
        schrijver.stoppen(afbreken=True)
        if schrijver.fout is not None and schrijver.fout is not exc:
            raise schrijver.fout from exc  # the COPY's error is the cause that matters
        raise
    setattr(connection, _SLEUTEL, None)
    schrijver.stoppen(afbreken=False)


@contextmanager
def zonder_wachten():
    """Statements in this block do not wait for the queued COPYs: they go between two of them.
    Only for reads the caller KNOWS do not depend on anything still queued; the import reads
    the next group of pupils this way while the previous group's rows are inserted (groups
    never share a pupil). The block waits for the COPY running when it begins, and no COPY
    starts until it ends: keep it to the reads (no work the server could overlap), and queue
    no COPY inside it."""
    schrijver = getattr(_verbinding(), _SLEUTEL, None)
    if schrijver is None or schrijver.vrij:
        yield
        return
    with schrijver.beurt:
        schrijver.lezer = True
        schrijver.beurt.wait_for(lambda: not schrijver.bezig)
    schrijver.vrij = True
    try:
        yield
    finally:
        schrijver.vrij = False
        with schrijver.beurt:
            schrijver.lezer = False
            schrijver.beurt.notify_all()


def uitvoeren(taak: Callable) -> None:
    """Run `taak(psycopg_cursor)`: queued inside `achtergrond()`, else now (on a cursor of
    Django's, which refuses a transaction that is already broken, as before)."""
    connection = _verbinding()
    schrijver = getattr(connection, _SLEUTEL, None)
    if schrijver is None:
        with connection.cursor() as cursor:
            taak(cursor.cursor)
    else:
        schrijver.opdracht(taak)
