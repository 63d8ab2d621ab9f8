from django.apps import AppConfig


class CoalitieConfig(AppConfig):
    name = "coalitie"
    verbose_name = "Coalities en organisaties"
