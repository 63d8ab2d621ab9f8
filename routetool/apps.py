from django.apps import AppConfig


class RoutetoolConfig(AppConfig):
    name = "routetool"
    verbose_name = "Routetool"

    def ready(self):
        # plaatsingen starts and moves routes through this registry (it may not import us).
        from plaatsingen import routekoppeling

        from . import retentie, services

        routekoppeling.registreer(services)
        retentie.registreren()
