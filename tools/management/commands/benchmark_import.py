"""Benchmark of the iHUB import against a plain django-import-export ModelResource.

Generates an export of N rows and measures, in one run: the first import, a re-import of the
same file (no changes) and, as the baseline, the same kind of first import row by row through
`import_export.resources.ModelResource` with default settings. Everything runs in one
transaction that is rolled back at the end, so the database is left as it was (run it against
a scratch database anyway: `DATABASE_URL=... python manage.py migrate && ... benchmark_import`).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import random
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

import tablib
from django.core.files import File
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from import_export import resources

from coalitie.models import Locatie, Samenwerkingsverband
from coalitie.toegang import SYSTEEM
from config import bulk_achtergrond
from plaatsingen.importeren import services, verwerken
from plaatsingen.models import Leerling, Plaatsing
from plaatsingen.resources import IhubPlaatsingResource
from routetool import services as route


class Terugdraaien(Exception):
    pass


class LeerlingBaseline(resources.ModelResource):
    class Meta:
        model = Leerling


class PlaatsingBaseline(resources.ModelResource):
    class Meta:
        model = Plaatsing


ROUTE_TIJD = {"s": 0.0}


def _getimed(functie):
    """Measure the time spent in the routetool's services (not in the import itself)."""

    def binnen(*args, **kwargs):
        begin = time.perf_counter()
        try:
            return functie(*args, **kwargs)
        finally:
            ROUTE_TIJD["s"] += time.perf_counter() - begin

    return binnen


def _pg_cpu() -> float | None:
    """CPU time (user+sys) of this connection's PostgreSQL backend process, when the server
    runs on this machine and /proc shows it (a private benchmark cluster); else None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        velden = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(velden[11]) + int(velden[12])) / os.sysconf("SC_CLK_TCK")


def _fk_controles() -> float:
    """Run the foreign-key checks a COMMIT would run now, and return how long they took.

    The foreign keys are DEFERRABLE INITIALLY DEFERRED: PostgreSQL queues a check per written
    row and runs them at COMMIT. This benchmark rolls back, so without this the ~300,000
    checks of a 25,000-row first import (seconds of server time) would never be paid or
    counted. IMMEDIATE runs the queued checks now; DEFERRED then restores the default for the
    rest of the transaction."""
    if connection.vendor != "postgresql":
        return 0.0
    begin = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    return time.perf_counter() - begin


def _wal() -> int | None:
    """Where PostgreSQL's WAL ends now (bytes); None elsewhere. Read before and after an
    import, outside its timing (a query waits for the queued background COPYs)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn")
        return int(cursor.fetchone()[0])


def _piek_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def genereer(pad: Path, aantal: int, zaad: int = 2025, voorvoegsel: str = "BM") -> None:
    rnd = random.Random(zaad)
    locaties = list(Locatie.objects.select_related("instellingsschool"))
    swvs = list(
        Samenwerkingsverband.objects.filter(code__startswith="VO").values_list("code", flat=True)
    )
    niveaus = ["vmbo-bb", "vmbo-kb", "vmbo-gt", "havo", "vwo", "pro", "vso", "entree"]
    redenen = ["terug naar stamschool", "andere vo-school", "mbo", "verhuisd", "onbekend"]
    kolommen = list(IhubPlaatsingResource.kolommen())
    begin = dt.date(2024, 11, 1)
    with pad.open("w", encoding="utf-8", newline="") as f:
        schrijver = csv.writer(f, delimiter=";")
        schrijver.writerow(kolommen)
        for i in range(aantal):
            locatie = rnd.choice(locaties)
            start = begin + dt.timedelta(days=rnd.randrange(360))
            eind = start + dt.timedelta(days=rnd.randrange(30, 300)) if rnd.random() < 0.6 else None
            brin = f"{rnd.randrange(10, 99)}BM{rnd.randrange(0, 4):02d}"
            vervolg = (
                f"{rnd.randrange(10, 99)}VB{rnd.randrange(0, 4):02d}"
                if eind and rnd.random() < 0.5
                else ""
            )
            schrijver.writerow(
                [
                    f"{voorvoegsel}{i:07d}",
                    f"Achternaam{i}",
                    "",
                    f"Roepnaam{i}",
                    (dt.date(2008, 1, 1) + dt.timedelta(days=rnd.randrange(2500))).strftime(
                        "%d-%m-%Y"
                    ),
                    rnd.choice("MVX"),
                    "2511 AB",
                    "Den Haag",
                    locatie.instellingsschool.naam,
                    locatie.naam,
                    start.strftime("%d-%m-%Y"),
                    eind.strftime("%d-%m-%Y") if eind else "",
                    rnd.choice(["gesloten", "open", "kwv"]),
                    brin,
                    f"School {brin}",
                    rnd.choice(swvs),
                    rnd.choice(niveaus),
                    rnd.randrange(1, 5),
                    rnd.choice(redenen) if eind else "",
                    vervolg,
                    f"School {vervolg}" if vervolg else "",
                ]
            )


class Command(BaseCommand):
    help = "Meet de snelheid van de iHUB-import (eerste import, herimport, baseline ModelResource)."

    def add_arguments(self, parser):
        parser.add_argument("--rijen", type=int, default=25_000)
        parser.add_argument("--baseline-rijen", type=int, default=1_000)
        parser.add_argument(
            "--zonder-route",
            action="store_true",
            help="meet de import zonder routetool.services (route_starten/uitschrijving_verwerken)",
        )
        parser.add_argument(
            "--schaal",
            type=int,
            default=0,
            help="meet ook een eerste import van zoveel keer de rijen (bv. 10: 250.000 naast "
            "25.000) en druk de verhouding af",
        )
        parser.add_argument(
            "--zonder-achtergrond",
            action="store_true",
            help="schrijf elke COPY meteen, zonder achtergrond (config.bulk_achtergrond): "
            "om de winst van het overlappen te meten",
        )
        parser.add_argument(
            "--zonder-geheugen",
            action="store_true",
            help="sla de geheugenmeting (tracemalloc, kleine en grote export) over",
        )

    def handle(
        self,
        *args,
        rijen,
        baseline_rijen,
        zonder_route,
        zonder_geheugen,
        zonder_achtergrond,
        schaal,
        **options,
    ):
        out = self.stdout.write
        if zonder_achtergrond:
            verwerken.achtergrond = contextlib.nullcontext
            out("Zonder achtergrond: elke COPY wordt meteen geschreven, Python wacht erop.")
        out(f"Database: {connection.vendor} {connection.settings_dict.get('NAME')}")
        with tempfile.TemporaryDirectory() as map_:
            pad = Path(map_) / "benchmark-export.csv"
            genereer(pad, rijen)
            out(f"Export: {rijen} rijen, {pad.stat().st_size / 1024 / 1024:.1f} MB")
            # The route of new placements: prepared before their COPY, written after it.
            nr = route.NieuweRoutes
            namen = (
                (route, "route_starten"),
                (route, "uitschrijving_verwerken"),
                (route, "routes_voorbereiden"),
                (nr, "starten"),
                (nr, "uitschrijven"),
            )
            origineel = [getattr(houder, naam) for houder, naam in namen]
            for (houder, naam), functie in zip(namen, origineel, strict=True):
                if zonder_route:
                    functie = lambda *a, **kw: None  # noqa: E731
                setattr(houder, naam, _getimed(functie))
            if zonder_route:
                out("Zonder routetool.services: alleen de import zelf wordt gemeten.")
            try:
                with transaction.atomic():
                    eerste = self._meet(pad, rijen, baseline_rijen)
                    if schaal > 1:
                        self._schaal(Path(map_), rijen, schaal, eerste)
                    if not zonder_geheugen:
                        self._geheugen(Path(map_), rijen)
                    raise Terugdraaien
            except Terugdraaien:
                out("Alles teruggedraaid (de database is ongewijzigd).")
            finally:
                for (houder, naam), functie in zip(namen, origineel, strict=True):
                    setattr(houder, naam, functie)

    def _importeer(self, pad: Path):
        with pad.open("rb") as f:
            ib = services.import_bestand_aanmaken(bestand=File(f), naam=pad.name, door=SYSTEEM)
        ROUTE_TIJD["s"] = 0.0
        for sleutel in bulk_achtergrond.STATISTIEK:
            bulk_achtergrond.STATISTIEK[sleutel] = 0
        wal = _wal()
        pg = _pg_cpu()
        begin, cpu = time.perf_counter(), time.process_time()
        ib = services.import_uitvoeren(import_bestand_id=ib.pk, controleer_dubbel=False)
        self.fk = _fk_controles()
        duur = time.perf_counter() - begin
        # On a shared machine the wall clock includes waiting for a core; this process's CPU
        # time does not, and PostgreSQL's own work is in its backend's CPU time.
        self.cpu = time.process_time() - cpu
        self.pg_cpu = None if pg is None else _pg_cpu() - pg
        self.wal_mb = None if wal is None else (_wal() - wal) / 1024 / 1024
        ib.bestand.delete(save=False)
        assert not ib.fouten, ib.fouten[:5]
        return ib, duur

    def _meet(self, pad: Path, rijen: int, baseline_rijen: int) -> float:
        out = self.stdout.write
        ib, eerste = self._importeer(pad)
        self.cpu_eerste = self.cpu
        out(
            f"Eerste import:   {eerste:7.2f} s  {rijen / eerste:9.0f} rijen/s  "
            f"({ib.aantal_nieuw} nieuw, {ib.aantal_nieuwe_scholen} nieuwe scholen)  "
            f"piekgeheugen {_piek_mb():.0f} MB; CPU-tijd van dit proces {self.cpu:.2f} s"
            + ("" if self.pg_cpu is None else f", van PostgreSQL (backend) {self.pg_cpu:.2f} s")
        )
        st = bulk_achtergrond.STATISTIEK
        if st["copies"]:
            out(
                f"  COPY op de achtergrond (config.bulk_achtergrond): {st['copies']} COPY's, "
                f"{st['copy_s']:.2f} s bezig (schrijfdraad {st['copy_cpu_s']:.2f} s CPU); "
                f"de import wachtte daar {st['gewacht_s']:.2f} s op, de rest liep tegelijk"
            )
            out(
                f"  lezingen tussen twee COPY's door (zonder_wachten, incl. wachten op de lopende "
                f"COPY): {st['tussen_s']:.2f} s; de schrijfdraad had {st['leeg_s']:.2f} s geen "
                f"werk (controle en import samen: Python liep daar achter op de server)"
            )
        out(
            f"  waarvan de controles van de foreign keys die COMMIT zou doen (uitgesteld; de "
            f"benchmark draait terug, dus ze lopen hier apart): {self.fk:.2f} s"
        )
        if self.wal_mb is not None:
            out(
                f"  WAL die PostgreSQL voor deze import schreef: {self.wal_mb:.0f} MB "
                f"({self.wal_mb * 1024 * 1024 / rijen:.0f} bytes per rij)"
            )
        out(
            f"  waarvan routetool.services (de route van de nieuwe plaatsingen): "
            f"{ROUTE_TIJD['s']:.2f} s; import zelf {eerste - ROUTE_TIJD['s']:.2f} s "
            f"({rijen / (eerste - ROUTE_TIJD['s']):.0f} rijen/s)"
        )
        ib, her = self._importeer(pad)
        out(
            f"Herimport:       {her:7.2f} s  {rijen / her:9.0f} rijen/s  "
            f"({ib.aantal_nieuw} nieuw, {ib.aantal_gewijzigd} gewijzigd, "
            f"{ib.aantal_ongewijzigd} ongewijzigd)  piekgeheugen {_piek_mb():.0f} MB"
        )
        basis = self._baseline(baseline_rijen)
        out(
            f"Baseline:        {basis:7.2f} s voor {baseline_rijen} rijen  "
            f"{baseline_rijen / basis:9.0f} rijen/s  (standaard ModelResource, rij voor rij, "
            f"leerlingen + plaatsingen; gemeten op {baseline_rijen} rijen, rijen/s geëxtrapoleerd "
            f"naar {rijen} rijen ≈ {rijen / (baseline_rijen / basis):.0f} s)"
        )
        out(
            f"Verhouding eerste import / baseline: {(rijen / eerste) / (baseline_rijen / basis):.1f}×"
        )
        kaal = self._kale_copy(pad)
        out(
            f"Kale COPY van dezelfde {rijen} rijen (tekstkolommen, geen controle): {kaal:.2f} s; "
            f"eerste import = {eerste / kaal:.0f}× een kale COPY"
        )
        out(f"Piekgeheugen van het proces: {_piek_mb():.0f} MB")
        return eerste

    def _kale_copy(self, pad: Path) -> float:
        """The floor: the file's rows into a table of text columns with one COPY, nothing else."""
        kolommen = list(IhubPlaatsingResource.kolommen())
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE kale_copy ("
                + ", ".join(f"{quote(k)} text" for k in kolommen)
                + ") ON COMMIT DROP"
            )
            begin = time.perf_counter()
            with (
                pad.open("rb") as f,
                cursor.cursor.copy(
                    "COPY kale_copy FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)"
                ) as copy,
            ):
                while blok := f.read(1 << 16):
                    copy.write(blok)
            duur = time.perf_counter() - begin
            cursor.execute("DROP TABLE kale_copy")
        return duur

    def _schaal(self, map_: Path, rijen: int, schaal: int, eerste: float) -> None:
        """A first import of `schaal` times the rows (pupils not yet in the database)."""
        cpu_eerste = self.cpu_eerste
        pad = map_ / f"schaal-{schaal}.csv"
        genereer(pad, rijen * schaal, zaad=99, voorvoegsel="SC")
        ib, duur = self._importeer(pad)
        self.stdout.write(
            f"Eerste import van {rijen * schaal} rijen: {duur:.2f} s ({ib.aantal_nieuw} nieuw) = "
            f"{duur / eerste:.2f}× de {rijen} rijen ({schaal}× zoveel rijen), CPU-tijd "
            f"{self.cpu:.2f} s = {self.cpu / cpu_eerste:.2f}×"
            + ("" if self.pg_cpu is None else f", PostgreSQL {self.pg_cpu:.2f} s")
            + f" (foreign keys bij commit {self.fk:.2f} s"
            + ("" if self.wal_mb is None else f"; WAL {self.wal_mb:.0f} MB")
            + ")"
            + "; "
            f"piekgeheugen {_piek_mb():.0f} MB"
        )

    def _geheugen(self, map_: Path, rijen: int) -> None:
        """Peak Python heap of a first import at a tenth of the rows and at all of them.

        Measured apart from the timings (tracemalloc slows Python down), each import in a
        savepoint that is rolled back, so both start from the same database. Flat memory means
        the two peaks are close: the file streams through and is handled per group of pupils.
        """
        pieken = {}
        for aantal in (max(rijen // 10, 1), rijen):
            pad = map_ / f"geheugen-{aantal}.csv"
            genereer(pad, aantal, zaad=11, voorvoegsel="GM")  # pupils not yet imported
            try:
                with transaction.atomic():
                    tracemalloc.start()
                    self._importeer(pad)
                    pieken[aantal] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
                    tracemalloc.stop()
                    raise Terugdraaien
            except Terugdraaien:
                pass
        (klein, piek_klein), (groot, piek_groot) = pieken.items()
        self.stdout.write(
            f"Geheugen (piek Python-heap tijdens eerste import, tracemalloc): {klein} rijen "
            f"{piek_klein:.1f} MB, {groot} rijen {piek_groot:.1f} MB — {groot // klein}× zoveel "
            f"rijen, {piek_groot / piek_klein:.2f}× zoveel geheugen "
            f"({(piek_groot - piek_klein) * 1024 / (groot - klein):.2f} KB per extra rij)"
        )

    def _baseline(self, aantal: int) -> float:
        """The same first import through default ModelResources (our ids, no validation)."""
        rnd = random.Random(7)
        locaties = list(Locatie.objects.all())
        swv_ids = list(Samenwerkingsverband.objects.values_list("pk", flat=True))
        leerlingen = tablib.Dataset(
            headers=["id", "leerlingnummer", "achternaam", "roepnaam", "geboortedatum", "geslacht"]
        )
        for i in range(aantal):
            leerlingen.append(
                ["", f"BL{i:07d}", f"Achternaam{i}", f"Roepnaam{i}", "2010-05-17", "X"]
            )
        begin = time.perf_counter()
        LeerlingBaseline().import_data(leerlingen, raise_errors=True)
        ids = dict(
            Leerling.objects.filter(leerlingnummer__startswith="BL").values_list(
                "leerlingnummer", "pk"
            )
        )
        plaatsingen = tablib.Dataset(
            headers=[
                "id",
                "leerling",
                "instellingsschool",
                "locatie",
                "startdatum",
                "einddatum",
                "verblijf",
                "verantwoordelijk_swv",
                "niveau",
                "leerjaar",
            ]
        )
        for i in range(aantal):
            locatie = rnd.choice(locaties)
            plaatsingen.append(
                [
                    "",
                    ids[f"BL{i:07d}"],
                    locatie.instellingsschool_id,
                    locatie.pk,
                    "2025-01-06",
                    "2025-06-30" if i % 2 else "",
                    "gesloten",
                    rnd.choice(swv_ids),
                    "havo",
                    2,
                ]
            )
        PlaatsingBaseline().import_data(plaatsingen, raise_errors=True)
        return time.perf_counter() - begin
