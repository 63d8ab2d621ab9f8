from django.apps import AppConfig


class PlaatsingenConfig(AppConfig):
    name = "plaatsingen"
    verbose_name = "Leerlingen en plaatsingen"

    def ready(self):
        from coalitie import audit, selectors

        from . import retentie
        from .deelnemers import actieve_deelnemerschappen
        from .models import Plaatsing

        retentie.registreren()
        # A placement's access entries belong to its pupil (coalitie may not import us).
        audit.registreer_leerling_van(
            "plaatsing",
            lambda pk: (
                Plaatsing.objects.filter(pk=pk).values_list("leerling_id", flat=True).first()
            ),
        )
        # Deelnemers of one placement hold a partner route role on it (coalitie.toegang asks the
        # scope; the invitations live here).
        selectors.registreer_deelnemerschappen(actieve_deelnemerschappen)
