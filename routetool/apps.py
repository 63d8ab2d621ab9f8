from django.apps import AppConfig
from django.db.models.signals import post_migrate


class RoutetoolConfig(AppConfig):
    name = "routetool"
    verbose_name = "Routetool"

    def ready(self):
        # plaatsingen starts and moves routes through this registry (it may not import us).
        from coalitie import statistieken
        from plaatsingen import routekoppeling

        from . import retentie, services

        routekoppeling.registreer(services)
        retentie.registreren()
        # The default routekaart is a small reference table too (see coalitie.statistieken).
        statistieken.registreer(self.label, "Routekaart", "RoutekaartActie")
        post_migrate.connect(statistieken.na_migrate, sender=self)
