from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoalitieConfig(AppConfig):
    name = "coalitie"
    verbose_name = "Coalities en organisaties"

    def ready(self):
        from . import statistieken

        statistieken.registreer(
            self.label, "Coalitie", "Samenwerkingsverband", "Instellingsschool", "Locatie", "School"
        )
        post_migrate.connect(statistieken.na_migrate, sender=self)
