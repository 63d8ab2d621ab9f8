from django.apps import AppConfig


class RapportageConfig(AppConfig):
    name = "rapportage"
    verbose_name = "Rapportage"

    def ready(self):
        from routetool.bulkmelding import acties_ingevoegd

        from . import actietellers, retentie

        retentie.registreren()
        # The counters of the actions routetool writes in bulk (see actietellers).
        acties_ingevoegd.connect(actietellers.nieuwe_acties_tellen, dispatch_uid="actietellers")
