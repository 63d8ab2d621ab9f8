"""Independent figure queries at the same time, each worker on its own database connection.

The monitor's figures are ~25 queries that need nothing from each other, and nearly all their
time is PostgreSQL's (README Prestaties): one after the other they leave all but one core
idle. psycopg releases the GIL while it waits, so threads are enough. Only on PostgreSQL and
only outside a transaction: inside one (a test, a caller's atomic block) another connection
would not see its rows, so the tasks then run one after the other on the caller's connection.
All of them read ONE snapshot: the caller opens a read-only REPEATABLE READ transaction and
exports its snapshot, each worker imports it, so an import committing meanwhile cannot make one
table of the monitor disagree with another.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable

from django.db import connection, connections, transaction

# Workers besides the calling thread; the figures' largest query takes about as long as the
# rest together divided by this (2 cores on the measured machine).
EXTRA_VERBINDINGEN = 2
SNAPSHOT_ID = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9]+)?")


def tegelijk(taken: dict[str, Callable[[], object]], *, extra: int | None = None) -> dict:
    """{name: task()} for every task, run by the calling thread and `extra` worker threads
    (in the order given: put the longest first). The first exception is raised again."""
    extra = EXTRA_VERBINDINGEN if extra is None else extra
    if extra < 1 or connection.vendor != "postgresql" or connection.in_atomic_block:
        return {naam: taak() for naam, taak in taken.items()}
    rij: queue.SimpleQueue = queue.SimpleQueue()
    for item in taken.items():
        rij.put(item)
    uit: dict = {}
    fouten: list[BaseException] = []

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
        if not SNAPSHOT_ID.fullmatch(snapshot):
            raise ValueError("onverwacht snapshot-id")
        _samen(taken, extra, snapshot, rij, uit, fouten)
    if fouten:
        raise fouten[0]
    return {naam: uit[naam] for naam in taken}


def _samen(taken, extra: int, snapshot: str, rij, uit: dict, fouten: list) -> None:
    def werken() -> None:
        # Our own workers already use the cores: PostgreSQL's parallel workers on top cost
        # start-up and coordination (~10-25% more CPU for the monitor's figures, measured).
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
        while not fouten:
            try:
                naam, taak = rij.get_nowait()
            except queue.Empty:
                return
            try:
                uit[naam] = taak()
            except BaseException as exc:  # noqa: BLE001 - raised again in the caller
                fouten.append(exc)

    def werker() -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    # SET takes no bind parameters; the id is PostgreSQL's own (checked).
                    cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
                werken()
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller
            fouten.append(exc)
        finally:
            connections.close_all()  # this thread's own connection, opened by its first query

    draden = [threading.Thread(target=werker) for _ in range(min(extra, len(taken) - 1))]
    for draad in draden:
        draad.start()
    try:
        werken()
    finally:
        for draad in draden:
            draad.join()
        with connection.cursor() as cursor:
            cursor.execute("RESET max_parallel_workers_per_gather")
