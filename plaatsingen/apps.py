from django.apps import AppConfig


class PlaatsingenConfig(AppConfig):
    name = "plaatsingen"
    verbose_name = "Leerlingen en plaatsingen"

    def ready(self):
        from coalitie import audit

        from . import retentie
        from .models import Plaatsing

        retentie.registreren()
        # A placement's access entries belong to its pupil (coalitie may not import us).
        audit.registreer_leerling_van(
            "plaatsing",
            lambda pk: (
                Plaatsing.objects.filter(pk=pk).values_list("leerling_id", flat=True).first()
            ),
        )
