from django.apps import AppConfig


class PlaatsingenConfig(AppConfig):
    name = "plaatsingen"
    verbose_name = "Leerlingen en plaatsingen"
