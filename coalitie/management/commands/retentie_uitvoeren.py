from django.core.management.base import BaseCommand

from coalitie.retentie import retentie_uitvoeren


class Command(BaseCommand):
    help = (
        "Verwijdert de persoonsgegevens van leerlingen wier routes langer dan "
        "RETENTIE_MAANDEN geleden zijn afgesloten (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Alleen tellen, niets wijzigen.")

    def handle(self, *args, dry_run: bool = False, **options):
        resultaat = retentie_uitvoeren(dry_run=dry_run)
        if dry_run:
            self.stdout.write(
                f"{resultaat.geanonimiseerd} leerlingen zouden worden geanonimiseerd."
            )
        else:
            self.stdout.write(
                f"{resultaat.geanonimiseerd} leerlingen geanonimiseerd, "
                f"{resultaat.auditregels_geschoond} auditregels geschoond."
            )
