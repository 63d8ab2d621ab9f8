"""The phases a placement can be in. They live here, below the route engine, because the
placement stores its phase; `routetool.states` re-exports them for the route's own code."""

from django.db import models


class Fase(models.TextChoices):
    INSTROOM = "instroom", "instroom"
    VERBLIJF = "verblijf", "verblijf"
    UITSTROOM = "uitstroom", "uitstroom"
    NAZORG = "nazorg", "nazorg"
    AFGESLOTEN = "afgesloten", "afgesloten"


OPEN_FASEN = (Fase.INSTROOM, Fase.VERBLIJF, Fase.UITSTROOM, Fase.NAZORG)
