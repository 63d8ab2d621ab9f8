"""Time to make the monthly lists of every SWV in the country (76) at two data sizes.

Generates `--klein` placements in one coalition (after removing earlier generated data), makes
all 76 lists of last month, tops up to `--groot` and does it again. Each size is measured twice
in the same run: the baseline (a fresh WeasyPrint font set-up per PDF, as before) and the
current path; the ratio is printed next to the targets. The figures are CPU seconds of this
process (wall time is printed too, but on a shared machine it mostly measures the neighbours).
No mail is sent. Run it on a scratch
database: it adds synthetic rows and replaces that month's lists.
"""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from coalitie.models import Coalitie, Samenwerkingsverband
from coalitie.toegang import SYSTEEM
from rapportage import pdf
from rapportage.models import Maandlijst
from rapportage.selectors import vorige_maand
from rapportage.services import maandlijst_maken
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
            basis = None if zonder_basislijn else self._meten(swvs, maand, hergebruik=False)
            nu, leeg, leerlingen = self._meten(swvs, maand, hergebruik=True, tellen=True)
            regels.append((grootte, basis, nu, leeg, leerlingen))
        self.stdout.write("")
        self.stdout.write(
            f"{'plaatsingen':>11} | {'lijsten':>7} {'leeg':>5} {'leerlingen':>10} | "
            f"{'basislijn s CPU':>15} | {'nu s CPU':>8} | {'doel s':>6} | ratio"
        )
        for grootte, basis, nu, leeg, leerlingen in regels:
            doel = DOELEN.get(grootte)
            ratio = f"{basis[0] / nu:.2f}x sneller" if basis else "-"
            oordeel = "" if doel is None or nu < doel else "  TE TRAAG"
            self.stdout.write(
                f"{grootte:>11} | {len(swvs):>7} {leeg:>5} {leerlingen:>10} | "
                f"{(basis[0] if basis else float('nan')):>15.2f} | {nu:>8.2f} | "
                f"{(doel or float('nan')):>6.1f} | {ratio}{oordeel}"
            )

    def _meten(self, swvs, maand, *, hergebruik, tellen=False):
        Maandlijst.objects.filter(maand=maand).delete()
        pdf.HERGEBRUIK_FONTS = hergebruik
        try:
            begin, cpu = time.perf_counter(), time.process_time()
            lijsten = [maandlijst_maken(swv=s, maand=maand, door=SYSTEEM)[0] for s in swvs]
            duur, cpu = time.perf_counter() - begin, time.process_time() - cpu
        finally:
            pdf.HERGEBRUIK_FONTS = True
        self.stdout.write(
            f"  {'hergebruik' if hergebruik else 'basislijn'}: {duur:.2f} s ({cpu:.2f} s CPU)"
        )
        if not tellen:
            return (cpu,)
        leeg = sum(1 for m in lijsten if not m.aantal_leerlingen)
        return cpu, leeg, sum(m.aantal_leerlingen for m in lijsten)
