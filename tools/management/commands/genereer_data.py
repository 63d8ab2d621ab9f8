"""Generate synthetic placements with route actions in bulk (benchmarks, load tests)."""

import time

from django.core.management.base import BaseCommand, CommandError

from coalitie.models import Coalitie
from tools.generator import genereren, verwijderen


class Command(BaseCommand):
    help = (
        "Maakt synthetische leerlingen, plaatsingen, overgangen en acties (leerlingnummer "
        "begint met GEN) voor de SWV's van een coalitie. Niet voor productie."
    )

    def add_arguments(self, parser):
        parser.add_argument("--plaatsingen", type=int, default=1000)
        parser.add_argument("--leerlingen", type=int, default=None)
        parser.add_argument("--coalitie", default="zuid-west", help="Slug van de coalitie.")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--wissen", action="store_true", help="Verwijder eerst alle gegenereerde data."
        )

    def handle(self, *args, plaatsingen, leerlingen, coalitie, seed, wissen, **options):
        try:
            coalitie = Coalitie.objects.get(slug=coalitie)
        except Coalitie.DoesNotExist:
            raise CommandError(f"Onbekende coalitie: {coalitie}") from None
        if wissen:
            self.stdout.write(f"{verwijderen()} gegenereerde plaatsingen verwijderd.")
        begin = time.perf_counter()
        uit = genereren(
            plaatsingen=plaatsingen,
            leerlingen=leerlingen or round(plaatsingen * 0.9),
            coalitie=coalitie,
            seed=seed,
        )
        self.stdout.write(
            f"{uit['plaatsingen']} plaatsingen van {uit['leerlingen']} leerlingen met "
            f"{uit['acties']} acties gemaakt in {time.perf_counter() - begin:.1f} s."
        )
