"""Make the coalitiemonitor of a half year (or any period) from the terminal, as the schedule
does: one automatic monitor per coalition and period, made now, penvoerder told in the app."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from coalitie.models import Coalitie
from rapportage.models import Monitor, MonitorStatus
from rapportage.monitor import halfjaar_voor, monitor_maken


def _datum(tekst: str) -> dt.date:
    try:
        return dt.datetime.strptime(tekst, "%d-%m-%Y").date()
    except ValueError:
        raise CommandError(f"Datum '{tekst}' moet de vorm dd-mm-jjjj hebben.") from None


class Command(BaseCommand):
    help = (
        "Maakt de coalitiemonitor van het afgelopen halfjaar (of --van/--tot) per coalitie; "
        "een bestaande monitor van dezelfde periode blijft staan."
    )

    def add_arguments(self, parser):
        parser.add_argument("--van", help="dd-mm-jjjj (standaard: begin vorig halfjaar)")
        parser.add_argument("--tot", help="dd-mm-jjjj (standaard: eind vorig halfjaar)")
        parser.add_argument(
            "--coalitie", action="append", help="slug; herhaalbaar (standaard: alle)"
        )

    def handle(self, *args, van=None, tot=None, coalitie=None, **options):
        if bool(van) != bool(tot):
            raise CommandError("Geef --van en --tot samen op, of geen van beide.")
        periode = (_datum(van), _datum(tot)) if van else halfjaar_voor(dt.date.today())
        if periode[1] < periode[0]:
            raise CommandError("De einddatum ligt voor de begindatum.")
        coalities = Coalitie.objects.order_by("naam")
        if coalitie:
            coalities = coalities.filter(slug__in=coalitie)
        for c in coalities:
            monitor, _ = Monitor.objects.get_or_create(
                coalitie=c, van=periode[0], tot=periode[1], automatisch=True
            )
            if monitor.status == MonitorStatus.KLAAR:
                self.stdout.write(f"{c.naam}: monitor {monitor} bestond al.")
                continue
            monitor_maken(monitor_id=monitor.pk)
            self.stdout.write(f"{c.naam}: monitor {monitor} gemaakt.")
