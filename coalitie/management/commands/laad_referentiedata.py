from django.core.management.base import BaseCommand

from coalitie.services import referentiedata_laden
from coalitie.statistieken import analyseren


class Command(BaseCommand):
    help = "Laadt de coalities, samenwerkingsverbanden en instellingsscholen (idempotent)."

    def handle(self, *args, **options):
        r = referentiedata_laden()
        analyseren()  # fresh statistics for the planner (PostgreSQL; see coalitie.statistieken)
        self.stdout.write(
            f"{r.coalities} coalities, {r.swvs} samenwerkingsverbanden, "
            f"{r.instellingsscholen} instellingsscholen ({r.locaties} locaties); "
            f"{r.gewijzigd} records toegevoegd of gewijzigd."
        )
