from django.apps import AppConfig


class RapportageConfig(AppConfig):
    name = "rapportage"
    verbose_name = "Rapportage"

    def ready(self):
        from . import retentie

        retentie.registreren()
