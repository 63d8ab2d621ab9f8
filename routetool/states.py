"""The route states, in one place. A plain module (no models) so every app can import it."""

from django.db import models


class Fase(models.TextChoices):
    INSTROOM = "instroom", "instroom"
    VERBLIJF = "verblijf", "verblijf"
    UITSTROOM = "uitstroom", "uitstroom"
    NAZORG = "nazorg", "nazorg"
    AFGESLOTEN = "afgesloten", "afgesloten"


OPEN_FASEN = (Fase.INSTROOM, Fase.VERBLIJF, Fase.UITSTROOM, Fase.NAZORG)
