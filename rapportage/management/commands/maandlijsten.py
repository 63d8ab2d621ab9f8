"""Make (and mail) the monthly lists of one month from the terminal; idempotent like the job."""

from smtplib import SMTPException

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from coalitie.models import Samenwerkingsverband
from coalitie.toegang import SYSTEEM
from rapportage.models import maand_tekst
from rapportage.selectors import maand_uit_tekst, vorige_maand
from rapportage.services import (
    maandlijst_mailen,
    maandlijst_mailen_mislukt,
    maandlijst_maken,
    maandlijsten_maken,
)


class Command(BaseCommand):
    help = "Maakt de maandlijsten van een maand (per SWV één keer) en mailt de contactpersonen."

    def add_arguments(self, parser):
        parser.add_argument(
            "--maand", help="Bijvoorbeeld 2025-10; zonder: de vorige maand (zoals de taak)."
        )
        parser.add_argument("--swv", help='Alleen dit SWV, bijvoorbeeld "VO 28-06".')
        parser.add_argument(
            "--coalitie",
            action="append",
            help="Alleen de SWV's van deze coalitie (slug, mag vaker); de demo gebruikt dit.",
        )
        parser.add_argument(
            "--opnieuw", action="store_true", help="Maak bestaande lijsten opnieuw."
        )

    def handle(self, *args, maand=None, swv=None, coalitie=None, opnieuw=False, **options):
        try:
            maand = maand_uit_tekst(maand) if maand else vorige_maand(timezone.localdate())
        except ValueError:
            raise CommandError(
                "--maand moet de vorm JJJJ-MM hebben, bijvoorbeeld 2025-10."
            ) from None
        swvs = Samenwerkingsverband.objects.select_related("coalitie").order_by("code")
        if coalitie:
            swvs = swvs.filter(coalitie__slug__in=coalitie)
        if swv:
            swvs = swvs.filter(code=swv)
            if not swvs:
                raise CommandError(f"Onbekend SWV: {swv}")
        swvs = list(swvs)
        if opnieuw:
            uitkomst = [
                maandlijst_maken(swv=s, maand=maand, opnieuw=True, door=SYSTEEM) for s in swvs
            ]
        else:
            # All at once: one query for the rows, the empty lists laid out together.
            uitkomst = maandlijsten_maken(swvs=swvs, maand=maand, door=SYSTEEM)
        gemaakt_aantal = 0
        for s, (lijst, gemaakt) in zip(swvs, uitkomst, strict=True):
            gemaakt_aantal += gemaakt
            wat = "gemaakt" if gemaakt else "bestond al, overgeslagen"
            try:
                gemaild = maandlijst_mailen(maandlijst_id=lijst.pk)
            except (SMTPException, OSError) as exc:
                maandlijst_mailen_mislukt(
                    maandlijst_id=lijst.pk, reden=f"{type(exc).__name__}: {exc}"
                )
                gemaild = False
                self.stderr.write(f"{s.code}: mailen mislukt ({type(exc).__name__})")
            self.stdout.write(
                f"{s.code}: {wat} ({lijst.aantal_leerlingen} leerlingen)"
                + ("; gemaild" if gemaild else "")
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Maandlijsten {maand_tekst(maand)}: {gemaakt_aantal} gemaakt, "
                f"{len(swvs) - gemaakt_aantal} overgeslagen."
            )
        )
