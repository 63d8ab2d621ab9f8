"""Route services (the routetool issue replaces these first versions with the full route).

The contract other apps rely on:
- `route_starten(plaatsingen=..., door=...)`: new placements enter `instroom`, get their actions,
  and the SWV contact persons are mailed (no personal data).
- `uitschrijving_verwerken(plaatsingen=..., door=...)`: an end date appeared; the route moves
  towards `uitstroom`.
"""

from __future__ import annotations

from django.utils import timezone

from .states import Fase


def route_starten(*, plaatsingen: list, door=None, via_import: bool = False) -> None:
    from plaatsingen.models import Plaatsing

    vandaag = timezone.localdate()
    Plaatsing.objects.filter(pk__in=[p.pk for p in plaatsingen]).update(
        fase=Fase.INSTROOM, fase_sinds=vandaag
    )


def uitschrijving_verwerken(*, plaatsingen: list, door=None) -> None:
    from plaatsingen.models import Plaatsing

    Plaatsing.objects.filter(
        pk__in=[p.pk for p in plaatsingen], fase__in=[Fase.INSTROOM, Fase.VERBLIJF]
    ).update(fase=Fase.UITSTROOM, fase_sinds=timezone.localdate())
