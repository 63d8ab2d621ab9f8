"""Time to make the monthly lists of every SWV in the country (76) at two data sizes.

Generates `--klein` placements in one coalition (after removing earlier generated data), makes
all 76 lists of last month, tops up to `--groot` and does it again. Each size is measured twice
in the same run: the baseline (a fresh WeasyPrint font set-up per PDF, as before) and the
current path (`maandlijsten_maken`: one query, the empty lists laid out together, the others
in worker processes); the ratio is printed next to the targets. Printed: wall time (what the
targets are about; on a shared machine it also measures the neighbours, so the load average is
printed with it) and CPU seconds of this process plus its worker processes. No mail is sent. Run it on a scratch
database: it adds synthetic rows and replaces that month's lists.
"""

import os
import resource
import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from coalitie.models import Coalitie, Samenwerkingsverband
from coalitie.toegang import SYSTEEM
from rapportage import pdf
from rapportage.models import Maandlijst
from rapportage.selectors import vorige_maand
from rapportage.services import maandlijst_maken, maandlijsten_maken
from tools.generator import genereren, verwijderen

DOELEN = {3000: 5.0, 30000: 15.0}


class Command(BaseCommand):
    help = "Meet hoe lang het maken van alle 76 maandlijsten duurt bij 3.000 en 30.000 plaatsingen."

    def add_arguments(self, parser):
        parser.add_argument("--klein", type=int, default=3000)
        parser.add_argument("--groot", type=int, default=30000)
        parser.add_argument("--coalitie", default="zuid-west")
        parser.add_argument("--zonder-basislijn", action="store_true")

    def handle(self, *args, klein, groot, coalitie, zonder_basislijn, **options):
        coalitie = Coalitie.objects.get(slug=coalitie)
        maand = vorige_maand(timezone.localdate())
        swvs = list(Samenwerkingsverband.objects.select_related("coalitie").order_by("code"))
        self.stdout.write(f"{verwijderen()} eerder gegenereerde plaatsingen verwijderd.")
        # Pay WeasyPrint's import once before anything is timed.
        pdf.render_to_pdf("rapportage/maandlijst_pdf.html", {"regels": [], "totalen": {}})
        totaal = 0
        regels = []
        for grootte in (klein, groot):
            genereren(
                plaatsingen=grootte - totaal,
                leerlingen=round((grootte - totaal) * 0.9),
                coalitie=coalitie,
                seed=grootte,
            )
            totaal = grootte
            basis = None if zonder_basislijn else self._meten(swvs, maand, bulk=False)
            *nu, leeg, leerlingen = self._meten(swvs, maand, bulk=True, tellen=True)
            regels.append((grootte, basis, nu, leeg, leerlingen))
        self.stdout.write("")
        self.stdout.write(
            f"{'plaatsingen':>11} | {'lijsten':>7} {'leeg':>5} {'leerlingen':>10} | "
            f"{'basislijn s (CPU)':>17} | {'nu s (CPU)':>12} | {'doel s':>6} | ratio wand"
        )
        for grootte, basis, nu, leeg, leerlingen in regels:
            doel = DOELEN.get(grootte)
            ratio = f"{basis[0] / nu[0]:.2f}x sneller" if basis else "-"
            oordeel = "" if doel is None or nu[0] < doel else "  TE TRAAG"
            b = f"{basis[0]:.2f} ({basis[1]:.2f})" if basis else "-"
            self.stdout.write(
                f"{grootte:>11} | {len(swvs):>7} {leeg:>5} {leerlingen:>10} | {b:>17} | "
                f"{f'{nu[0]:.2f} ({nu[1]:.2f})':>12} | {(doel or float('nan')):>6.1f} | "
                f"{ratio}{oordeel}"
            )
        self.stdout.write(f"{os.cpu_count()} cores; load nu {os.getloadavg()[0]:.1f}")

    def _meten(self, swvs, maand, *, bulk, tellen=False):
        """bulk: the monthly run as the command does it now (`maandlijsten_maken`); otherwise the
        baseline, one `maandlijst_maken` per SWV with a fresh font set-up per PDF (as before)."""
        Maandlijst.objects.filter(maand=maand).delete()
        pdf.HERGEBRUIK_FONTS = bulk
        try:
            begin, cpu, kind = time.perf_counter(), _cpu(), _cpu(kinderen=True)
            if bulk:
                lijsten = [m for m, _ in maandlijsten_maken(swvs=swvs, maand=maand, door=SYSTEEM)]
            else:
                lijsten = [maandlijst_maken(swv=s, maand=maand, door=SYSTEEM)[0] for s in swvs]
            duur, cpu = time.perf_counter() - begin, _cpu() - cpu
            kind = _cpu(kinderen=True) - kind
        finally:
            pdf.HERGEBRUIK_FONTS = True
        self.stdout.write(
            f"  {'nu' if bulk else 'basislijn'}: {duur:.2f} s ({cpu:.2f} s CPU, waarvan "
            f"{kind:.2f} s in werkprocessen), load {os.getloadavg()[0]:.1f}"
        )
        if not tellen:
            return duur, cpu
        leeg = sum(1 for m in lijsten if not m.aantal_leerlingen)
        return duur, cpu, leeg, sum(m.aantal_leerlingen for m in lijsten)


def _cpu(*, kinderen: bool = False) -> float:
    """User + system seconds of this process and of its finished worker processes (kinderen:
    of the worker processes only)."""
    soorten = (
        [resource.RUSAGE_CHILDREN] if kinderen else [resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN]
    )
    return sum(r.ru_utime + r.ru_stime for r in map(resource.getrusage, soorten))
