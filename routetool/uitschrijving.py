"""The residential school records an uitschrijving by hand (the iHUB import does it for exported
pupils): the end date and reason on the placement, then the route moves towards uitstroom the
same way an import's end date does."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from plaatsingen.models import RedenUitschrijving

from .route import REGIE, SCHOOL, rollen_voor
from .services import UITSTROOM_AFHANKELIJK, RouteFout, _lock, deadlines_bijwerken
from .services import uitschrijving_verwerken as _route_naar_uitstroom
from .states import Fase


def uitschrijving_vastleggen(*, plaatsing_id: int, door, datum: dt.date, reden: str) -> None:
    with transaction.atomic():
        plaatsing = _lock(plaatsing_id)
        if not ({SCHOOL, REGIE} & rollen_voor(door, plaatsing)):
            raise PermissionDenied("Alleen de instellingsschool legt een uitschrijving vast.")
        if plaatsing.fase == Fase.AFGESLOTEN:
            raise RouteFout("Deze route is afgesloten.")
        if plaatsing.einddatum:
            raise RouteFout("Deze leerling is al uitgeschreven. Herlaad de pagina.")
        if reden not in RedenUitschrijving.values:
            raise RouteFout("Kies de reden van uitschrijving.")
        if datum < plaatsing.startdatum:
            raise RouteFout("De datum van uitschrijving ligt vóór de datum van inschrijving.")
        if datum > timezone.localdate():
            raise RouteFout("De datum van uitschrijving ligt in de toekomst.")
        plaatsing.einddatum = datum
        plaatsing.reden_uitschrijving = reden
        plaatsing.save(update_fields=["einddatum", "reden_uitschrijving", "gewijzigd_op"])
        deadlines_bijwerken(plaatsing, UITSTROOM_AFHANKELIJK)
        _route_naar_uitstroom(plaatsingen=[plaatsing], door=door)
