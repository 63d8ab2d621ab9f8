"""Server time and query count of the dashboard and the list pages at two data sizes.

Generates `--klein` placements (after removing earlier generated data), measures, tops up to
`--groot` and measures again; prints both with the ratio, and the monitor PDF's generation
time. Uses the Django test client with a procesregisseur of the coalition, who sees every
generated placement (the worst case). Run it on a scratch database: it adds synthetic rows.

By default it runs VACUUM ANALYZE after generating, as a settled database would have had from
autovacuum. `--zonder-analyze` skips that, to measure a freshly migrated database as it is
right after a large first import (only the statistics `migrate` left on the reference tables);
it prints which big tables autovacuum analyzed meanwhile, so the figure can be read honestly.
"""

import os
import statistics
import time

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coalitie.models import Coalitie, Lidmaatschap, Rol, User
from rapportage.models import Monitor
from rapportage.monitor import monitor_maken, standaard_periode
from tools.generator import genereren, verwijderen

# (name, url, target ms, empty the cache before each run?)
PAGINAS = [
    ("dashboard (koud: berekenen)", "/rapportage/dashboard/", 150, True),
    ("dashboard (uit de cache)", "/rapportage/dashboard/", 300, False),
    ("plaatsingen (home)", "/", 100, False),
    ("overzicht open plaatsingen", "/route/overzicht/", 100, False),
    ("maandlijsten", "/maandlijsten/", 100, False),
    ("coalitiemonitor (lijst)", "/rapportage/monitor/", 100, False),
]


def cpu_ms() -> float:
    """CPU time so far of this process plus its PostgreSQL backend, in ms: on a machine shared
    with others the wall clock says more about them than about us. The backend's comes from
    /proc (same machine only; parallel workers are not in it), else only our own."""
    eigen = time.process_time() * 1000
    if connection.vendor != "postgresql":
        return eigen
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as f:
            velden = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return eigen
    return eigen + (int(velden[11]) + int(velden[12])) * 1000 / os.sysconf("SC_CLK_TCK")


class Command(BaseCommand):
    help = "Meet servertijd en aantal queries van dashboard en lijstpagina's bij 1.000 en 100.000 plaatsingen."

    def add_arguments(self, parser):
        parser.add_argument("--klein", type=int, default=1000)
        parser.add_argument("--groot", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=7)
        parser.add_argument("--coalitie", default="zuid-west")
        parser.add_argument(
            "--zonder-analyze",
            action="store_true",
            help="Geen VACUUM ANALYZE na het genereren: meet een vers gemigreerde database.",
        )

    def handle(self, *args, klein, groot, runs, coalitie, zonder_analyze=False, **options):
        coalitie = Coalitie.objects.get(slug=coalitie)
        user = self._gebruiker(coalitie)
        self.stdout.write(f"{verwijderen()} eerder gegenereerde plaatsingen verwijderd.")
        uitslagen = {}
        totaal = 0
        for grootte in (klein, groot):
            begin = time.perf_counter()
            genereren(
                plaatsingen=grootte - totaal,
                leerlingen=round((grootte - totaal) * 0.9),
                coalitie=coalitie,
                seed=grootte,
            )
            totaal = grootte
            if zonder_analyze:
                self._statistieken()
            else:
                self._analyze()
            self.stdout.write(
                f"{grootte} plaatsingen klaar ({time.perf_counter() - begin:.1f} s genereren)."
            )
            uitslagen[grootte] = self._meten(user, runs) | {
                "monitor": self._monitor(user, coalitie),
                "monitor cpu": self.monitor_cpu,
            }
            uitslagen[grootte] |= verantwoording_meten(coalitie, runs)
            uitslagen[grootte] |= tedoen_en_zoeken_meten(user, coalitie, runs)
        self._afdrukken(uitslagen, klein, groot)
        self._cpu_afdrukken(uitslagen, klein, groot)
        verantwoording_afdrukken(self.stdout, uitslagen, klein, groot)
        tedoen_en_zoeken_afdrukken(self.stdout, uitslagen, klein, groot)
        if zonder_analyze:
            # The same data after the VACUUM ANALYZE a settled database would have had: how much
            # of the cold dashboard still depends on statistics of the big tables.
            vers = uitslagen[groot]["dashboard (koud: berekenen)"][0]
            self._analyze()
            na = self._meten(user, runs, alleen="dashboard (koud: berekenen)")
            na_ms = na["dashboard (koud: berekenen)"][0]
            vers_cpu = uitslagen[groot]["dashboard (koud: berekenen) cpu"]
            na_cpu = na["dashboard (koud: berekenen) cpu"]
            self.stdout.write(
                f"dashboard koud bij {groot} plaatsingen: vers (zonder ANALYZE) {vers:.1f} ms "
                f"(CPU {vers_cpu:.1f} ms), na VACUUM ANALYZE {na_ms:.1f} ms (CPU {na_cpu:.1f} "
                f"ms) (verhouding {vers / na_ms:.2f})"
            )

    def _gebruiker(self, coalitie):
        user, _ = User.objects.get_or_create(
            email="benchmark-regie@routetool.invalid", defaults={"first_name": "Benchmark"}
        )
        Lidmaatschap.objects.get_or_create(user=user, rol=Rol.PROCESREGISSEUR, coalitie=coalitie)
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())  # MFA_REQUIRED would redirect otherwise
        return user

    def _analyze(self):
        if connection.vendor == "postgresql":
            # VACUUM too: rows removed by an earlier run would otherwise still be scanned, and
            # it marks the pages all-visible, as autovacuum has done in a settled database; the
            # index-only scan of "acties op tijd" needs that. Right after the bulk insert it
            # may not manage yet (measured on a dev cluster that commits asynchronously): then
            # it tries again a moment later.
            for _ in range(10):
                with connection.cursor() as cursor:
                    cursor.execute(
                        "VACUUM ANALYZE plaatsingen_leerling, plaatsingen_plaatsing, "
                        "routetool_actie, routetool_transitie"
                    )
                    cursor.execute(
                        "SELECT sum(relallvisible) >= 0.95 * sum(relpages) FROM pg_class "
                        "WHERE relname IN ('plaatsingen_plaatsing', 'routetool_actie')"
                    )
                    if cursor.fetchone()[0]:
                        return
                time.sleep(0.5)
            self.stdout.write("Let op: VACUUM kon de zichtbaarheidskaart niet bijwerken.")

    def _statistieken(self):
        """Say whether autovacuum analyzed the big tables meanwhile (then the run is not
        'without statistics' for them any more)."""
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT relname, last_autoanalyze IS NOT NULL OR last_analyze IS NOT NULL "
                "FROM pg_stat_user_tables WHERE relname IN ('plaatsingen_leerling', "
                "'plaatsingen_plaatsing', 'routetool_actie', 'routetool_transitie') ORDER BY 1"
            )
            rijen = cursor.fetchall()
        self.stdout.write(
            "Zonder ANALYZE; statistieken van de grote tabellen: "
            + ", ".join(f"{naam} {'ja (autovacuum)' if ja else 'nee'}" for naam, ja in rijen)
        )

    def _meten(self, user, runs, alleen=None):
        client = Client()
        client.force_login(user)
        uit = {}
        for naam, url, _, koud in PAGINAS:
            if alleen is not None and naam != alleen:
                continue
            assert client.get(url).status_code == 200, url  # warm-up
            tijden, cpu = [], []
            for _ in range(runs):
                if koud:
                    cache.clear()
                with CaptureQueriesContext(connection) as queries:
                    begin, begin_cpu = time.perf_counter(), cpu_ms()
                    response = client.get(url)
                    tijden.append((time.perf_counter() - begin) * 1000)
                    cpu.append(cpu_ms() - begin_cpu)
                assert response.status_code == 200, url
            uit[naam] = (statistics.median(tijden), len(queries))
            uit[f"{naam} cpu"] = statistics.median(cpu)
        return uit

    def _monitor(self, user, coalitie):
        """The fastest of two runs: the first also pays for importing WeasyPrint and fonts."""
        van, tot = standaard_periode(timezone.localdate())
        tijden, cpu = [], []
        for _ in range(2):
            monitor = Monitor.objects.create(coalitie=coalitie, van=van, tot=tot, door=user)
            begin, begin_cpu = time.perf_counter(), cpu_ms()
            monitor_maken(monitor_id=monitor.pk)
            tijden.append((time.perf_counter() - begin) * 1000)
            cpu.append(cpu_ms() - begin_cpu)
        self.monitor_cpu = min(cpu)
        return min(tijden)

    def _cpu_afdrukken(self, uitslagen, klein, groot):
        k, g = uitslagen[klein], uitslagen[groot]
        self.stdout.write("CPU-tijd (dit proces + zijn PostgreSQL-backend, ms; mediaan):")
        for naam in ["dashboard (koud: berekenen)", "dashboard (uit de cache)", "monitor"]:
            self.stdout.write(
                f"  {naam:28} | {k[naam + ' cpu']:>10.1f} | {g[naam + ' cpu']:>10.1f} | "
                f"{g[naam + ' cpu'] / max(k[naam + ' cpu'], 0.1):>6.2f}"
            )

    def _afdrukken(self, uitslagen, klein, groot):
        k, g = uitslagen[klein], uitslagen[groot]
        self.stdout.write("")
        self.stdout.write(
            f"{'pagina':30} {'doel':>6} | {klein:>7} pl.: ms  queries | {groot:>7} pl.: ms  "
            "queries | ratio ms"
        )
        for naam, _, doel, _ in PAGINAS:
            (km, kq), (gm, gq) = k[naam], g[naam]
            self.stdout.write(
                f"{naam:30} {doel:>4}ms | {km:>16.1f} {kq:>8} | {gm:>16.1f} {gq:>8} | "
                f"{gm / km:>7.2f}{'' if gm < doel else '  TE TRAAG'}"
            )
        self.stdout.write(
            f"{'monitor-PDF maken':30} {'':>6} | {k['monitor']:>16.0f} {'':>8} | "
            f"{g['monitor']:>16.0f} {'':>8} | {g['monitor'] / k['monitor']:>7.2f}"
        )


# --- Issue 18: the startfoto figures and the national view ----------------------------------
# A separate part, so the command can move (13a) without touching it: the monitor PDF with
# the new figures (target < 1 s), its query count, and the national view (target < 500 ms).


def verantwoording_meten(coalitie, runs: int) -> dict:
    from rapportage.monitor import monitor_context

    landelijk, _ = User.objects.get_or_create(
        email="benchmark-landelijk@routetool.invalid", defaults={"first_name": "Benchmark"}
    )
    Lidmaatschap.objects.get_or_create(user=landelijk, rol=Rol.LANDELIJK)
    if not Authenticator.objects.filter(user=landelijk, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(landelijk, generate_totp_secret())
    client = Client()
    client.force_login(landelijk)
    uit = {}
    for naam, url in [
        ("landelijk overzicht", "/rapportage/landelijk/"),
        ("landelijk: één coalitie", f"/rapportage/landelijk/{coalitie.pk}/"),
    ]:
        assert client.get(url).status_code == 200, url  # warm-up
        tijden, cpu = [], []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                begin, begin_cpu = time.perf_counter(), cpu_ms()
                response = client.get(url)
                tijden.append((time.perf_counter() - begin) * 1000)
                cpu.append(cpu_ms() - begin_cpu)
            assert response.status_code == 200, url
        uit[naam] = (statistics.median(tijden), len(queries))
        uit[f"{naam} cpu"] = statistics.median(cpu)
    # The monitor's figures alone (no PDF): their query count must not grow with the data.
    van, tot = standaard_periode(timezone.localdate())
    regie = User.objects.get(email="benchmark-regie@routetool.invalid")
    monitor = Monitor.objects.create(coalitie=coalitie, van=van, tot=tot, door=regie)
    # On one connection, one query after the other: the monitor otherwise spreads its queries
    # over several connections (rapportage/gelijktijdig.py) and this would count one of them.
    from rapportage import gelijktijdig

    extra, gelijktijdig.EXTRA_VERBINDINGEN = gelijktijdig.EXTRA_VERBINDINGEN, 0
    try:
        with CaptureQueriesContext(connection) as queries:
            begin = time.perf_counter()
            monitor_context(monitor)
            ms = (time.perf_counter() - begin) * 1000
    finally:
        gelijktijdig.EXTRA_VERBINDINGEN = extra
    uit["monitor-cijfers (zonder PDF)"] = (ms, len(queries))
    return uit


def verantwoording_afdrukken(stdout, uitslagen, klein, groot) -> None:
    k, g = uitslagen[klein], uitslagen[groot]
    stdout.write("")
    stdout.write("Startfoto-cijfers en landelijk beeld (issue 18):")
    for naam, doel in [
        ("landelijk overzicht", 500),
        ("landelijk: één coalitie", None),
        ("monitor-cijfers (zonder PDF)", None),
    ]:
        (km, kq), (gm, gq) = k[naam], g[naam]
        oordeel = "" if doel is None or gm < doel else "  TE TRAAG"
        stdout.write(
            f"{naam:30} {(str(doel) + 'ms') if doel else '':>6} | {km:>16.1f} {kq:>8} | "
            f"{gm:>16.1f} {gq:>8} | {gm / km:>7.2f}{oordeel}"
            + ("" if kq == gq else f"  queries {kq} -> {gq}")
            + (f"  (CPU {g[naam + ' cpu']:.0f} ms)" if naam + " cpu" in g else "")
        )
    stdout.write(
        f"{'monitor-PDF (nieuwe cijfers)':30} {'1000ms':>6} | {k['monitor']:>16.0f} {'':>8} | "
        f"{g['monitor']:>16.0f} {'':>8} | {g['monitor'] / k['monitor']:>7.2f}"
        + ("" if g["monitor"] < 1000 else "  TE TRAAG")
    )


# --- Te doen and search (issue 14): kept apart so the command can move without this part -----

TEDOEN_DOELEN = [
    ("te doen procesregisseur", 100),
    ("te doen SWV-contactpersoon", 100),
    ("zoeken op naam (query)", 20),
    ("zoeken op nummerdeel (query)", 20),
    ("plaatsingen ?zoek= (pagina)", 100),
]


def tedoen_en_zoeken_meten(regie, coalitie, runs) -> dict:
    """Server time and queries of the Te doen page of the procesregisseur and of the contact
    person of the coalition's largest SWV, and the search query of the list page for a name as
    people type it ("julia hof") and for part of a leerlingnummer."""
    from django.db.models import Count

    from plaatsingen.models import Leerling, Plaatsing
    from plaatsingen.zoeken import zoek_q
    from routetool.selectors import _PaginaIds

    grootste = (
        Plaatsing.objects.filter(verantwoordelijk_swv__coalitie=coalitie)
        .values("verantwoordelijk_swv")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()["verantwoordelijk_swv"]
    )
    contact, _ = User.objects.get_or_create(
        email="benchmark-swv@routetool.invalid", defaults={"first_name": "Benchmark"}
    )
    Lidmaatschap.objects.get_or_create(user=contact, rol=Rol.SWV_CONTACTPERSOON, swv_id=grootste)
    if not Authenticator.objects.filter(user=contact, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(contact, generate_totp_secret())
    # One pupil whose name people type in many ways; the generated names have no tussenvoegsel.
    p = Plaatsing.objects.filter(verantwoordelijk_swv__coalitie=coalitie).order_by("pk").first()
    Leerling.objects.filter(pk=p.leerling_id).update(
        roepnaam="Julia", tussenvoegsel="van 't", achternaam="Hof"
    )
    # Part of a number as someone copies it from a letter: 6 of the characters of one pupil's
    # number (the generated numbers share long runs of zeros, so take one from the middle).
    midden = Leerling.objects.order_by("pk").values_list("leerlingnummer", flat=True)
    nummer = midden[midden.count() // 2][-6:]

    def pagina(user, url):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 200, url
        tijden = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                begin = time.perf_counter()
                assert client.get(url).status_code == 200
                tijden.append((time.perf_counter() - begin) * 1000)
        return statistics.median(tijden), len(queries)

    def zoeken(tekst):
        # What the list page runs for its rows: the ids of page 1 and the total in one query.
        qs = (
            Plaatsing.objects.zichtbaar_voor(regie)
            .filter(zoek_q(tekst))
            .order_by("-startdatum", "pk")
        )
        tijden = []
        for _ in range(runs):
            begin = time.perf_counter()
            ids = _PaginaIds(qs, 1, 25)
            ids[0:25]
            assert len(ids) >= 1
            tijden.append((time.perf_counter() - begin) * 1000)
        return statistics.median(tijden), 1

    return {
        "te doen procesregisseur": pagina(regie, "/te-doen/"),
        "te doen SWV-contactpersoon": pagina(contact, "/te-doen/"),
        "zoeken op naam (query)": zoeken("julia hof"),
        "zoeken op nummerdeel (query)": zoeken(nummer),
        "plaatsingen ?zoek= (pagina)": pagina(regie, "/?zoek=Julia+van+%27t+Hof"),
    }


def tedoen_en_zoeken_afdrukken(stdout, uitslagen, klein, groot):
    k, g = uitslagen[klein], uitslagen[groot]
    stdout.write("")
    for naam, doel in TEDOEN_DOELEN:
        (km, kq), (gm, gq) = k[naam], g[naam]
        stdout.write(
            f"{naam:30} {doel:>4}ms | {km:>16.1f} {kq:>8} | {gm:>16.1f} {gq:>8} | "
            f"{gm / km:>7.2f}{'' if gm < doel else '  TE TRAAG'}"
        )
