"""The coalitiemonitor PDF alone, at 100,000 placements: figures, PDF and the whole job.

The same data as `benchmark_rapportage` (1,000 placements with seed 1000, topped up with seed
100,000 to `--plaatsingen`), by default on a freshly generated database without ANALYZE, as
that command's `--zonder-analyze` measures it. `--hergebruik` keeps the generated data of an
earlier run when the count matches (the planner statistics are then whatever autovacuum left:
the command says which). Prints per part the median and the fastest of `--runs`: wall time,
CPU time of this process and CPU time of the whole PostgreSQL cluster (every backend, also the
extra connections the figures may use in parallel), the query count, and the load average.
`--profiel FILE` writes a cProfile of one whole run.
"""

import cProfile
import os
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coalitie.models import Coalitie, Lidmaatschap, Rol, User
from plaatsingen.models import Plaatsing
from rapportage import gelijktijdig
from rapportage.models import Monitor
from rapportage.monitor import monitor_context, monitor_maken, standaard_periode
from rapportage.pdf import render_to_pdf, zonder_gc
from tools.generator import PREFIX, genereren, verwijderen


def _ticks(pid: int, kinderen: bool = False) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            velden = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    # utime, stime (and for the postmaster: the reaped children's cutime, cstime)
    return sum(int(v) for v in velden[11 : 15 if kinderen else 13])


def pg_cpu_ms() -> float:
    """CPU time of the whole (private) PostgreSQL cluster so far: the postmaster's own and
    its reaped children's, plus that of every living child. A connection that a thread opened
    and closed is then counted too. Same machine only; 0 elsewhere."""
    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    try:
        with open(f"/proc/{backend}/stat") as f:
            postmaster = int(f.read().rsplit(")", 1)[1].split()[1])
        kinderen = [
            int(p) for p in os.listdir("/proc") if p.isdigit() and _ouder(int(p)) == postmaster
        ]
    except OSError:
        return 0.0
    ticks = _ticks(postmaster, kinderen=True) + sum(_ticks(p) for p in kinderen)
    return ticks * 1000 / os.sysconf("SC_CLK_TCK")


def _ouder(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return -1


class Command(BaseCommand):
    help = "Meet de coalitiemonitor-PDF (cijfers, PDF, alles) bij 100.000 plaatsingen."

    def add_arguments(self, parser):
        parser.add_argument("--plaatsingen", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--coalitie", default="zuid-west")
        parser.add_argument("--hergebruik", action="store_true")
        parser.add_argument("--profiel", default="")

    def handle(self, *args, plaatsingen, runs, coalitie, hergebruik, profiel, **options):
        coalitie = Coalitie.objects.get(slug=coalitie)
        user, _ = User.objects.get_or_create(
            email="benchmark-regie@routetool.invalid", defaults={"first_name": "Benchmark"}
        )
        Lidmaatschap.objects.get_or_create(user=user, rol=Rol.PROCESREGISSEUR, coalitie=coalitie)
        n = Plaatsing.objects.filter(leerling__leerlingnummer__startswith=PREFIX).count()
        if not (hergebruik and n == plaatsingen):
            self.stdout.write(f"{verwijderen()} eerder gegenereerde plaatsingen verwijderd.")
            klein = min(1000, plaatsingen)
            for aantal, seed in ((klein, 1000), (plaatsingen - klein, plaatsingen)):
                if aantal:
                    genereren(
                        plaatsingen=aantal,
                        leerlingen=round(aantal * 0.9),
                        coalitie=coalitie,
                        seed=seed,
                    )
        self.stdout.write(f"{plaatsingen} plaatsingen; {self._statistieken()}")
        van, tot = standaard_periode(timezone.localdate())

        def nieuw():
            return Monitor.objects.create(coalitie=coalitie, van=van, tot=tot, door=user)

        monitor_maken(monitor_id=nieuw().pk)  # warm-up: imports WeasyPrint, loads the fonts
        uitslagen = {
            "cijfers na elkaar": [],
            "cijfers": [],
            "PDF (WeasyPrint)": [],
            "monitor_maken (alles)": [],
        }
        traagste = []
        for _ in range(runs):
            # One connection, one query after the other: the baseline, and the query count of
            # every connection together (the parallel run counts only this thread's).
            extra, gelijktijdig.EXTRA_VERBINDINGEN = gelijktijdig.EXTRA_VERBINDINGEN, 0
            try:
                eerst = nieuw()
                _, meting = self._meten(lambda m=eerst: monitor_context(m))
            finally:
                gelijktijdig.EXTRA_VERBINDINGEN = extra
            uitslagen["cijfers na elkaar"].append(meting)
            if not traagste:
                traagste = sorted(self.queries, key=lambda q: -float(q["time"]))[:8]
            monitor = nieuw()
            context, meting = self._meten(lambda m=monitor: monitor_context(m))
            uitslagen["cijfers"].append(meting)
            with zonder_gc():
                _, meting = self._meten(
                    lambda c=context: render_to_pdf("rapportage/monitor_pdf.html", c, small_ua=True)
                )
            uitslagen["PDF (WeasyPrint)"].append(meting)
            _, meting = self._meten(lambda: monitor_maken(monitor_id=nieuw().pk))
            uitslagen["monitor_maken (alles)"].append(meting)
        self.stdout.write(
            f"{'onderdeel':24} | wand ms (snelste) | CPU ms proces | CPU ms PostgreSQL | queries "
            "(alleen deze thread)"
        )
        for naam, metingen in uitslagen.items():
            wand = [m[0] for m in metingen]
            self.stdout.write(
                f"{naam:24} | {statistics.median(wand):>8.0f} ({min(wand):>5.0f}) | "
                f"{statistics.median(m[1] for m in metingen):>13.0f} | "
                f"{statistics.median(m[2] for m in metingen):>17.0f} | {metingen[-1][3]:>7}"
            )
        self.stdout.write(f"load: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        self.stdout.write("Traagste queries van de eerste run na elkaar (s, begin van de SQL):")
        for q in traagste:
            self.stdout.write(f"  {q['time']:>6} {q['sql'][:150]}")
        if profiel:
            cProfile.runctx(
                "monitor_maken(monitor_id=nieuw().pk)", globals(), locals(), filename=profiel
            )
            self.stdout.write(f"cProfile van één run: {profiel}")

    def _meten(self, fn):
        pg = pg_cpu_ms()  # outside the capture: its own query is not the monitor's
        with CaptureQueriesContext(connection) as queries:
            begin, cpu = time.perf_counter(), time.process_time()
            uit = fn()
            wand, eigen = time.perf_counter() - begin, time.process_time() - cpu
        self.queries = queries.captured_queries
        return uit, (wand * 1000, eigen * 1000, pg_cpu_ms() - pg, len(queries))

    def _statistieken(self) -> str:
        if connection.vendor != "postgresql":
            return "SQLite"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, last_autoanalyze IS NOT NULL OR last_analyze IS NOT NULL "
                "FROM pg_stat_user_tables WHERE relname IN ('plaatsingen_leerling', "
                "'plaatsingen_plaatsing', 'routetool_actie', 'routetool_transitie') ORDER BY 1"
            )
            rijen = cursor.fetchall()
        return "statistieken (ANALYZE): " + ", ".join(
            f"{naam} {'ja' if ja else 'nee'}" for naam, ja in rijen
        )
