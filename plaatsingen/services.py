"""Placement writes by hand (the iHUB import has its own module, `plaatsingen/importeren`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from coalitie import toegang
from coalitie.models import Instellingsschool, Locatie, Samenwerkingsverband, School

from .models import Leerling, Plaatsing
from .routekoppeling import route


class PlaatsingFout(Exception):
    """A registration that cannot be done; the message is Dutch and safe to show."""


def plaatsing_registreren(
    *,
    door,
    instellingsschool: Instellingsschool,
    leerlingnummer: str,
    roepnaam: str,
    achternaam: str,
    startdatum: dt.date,
    verblijf: str,
    verantwoordelijk_swv: Samenwerkingsverband | None = None,
    tussenvoegsel: str = "",
    geboortedatum: dt.date | None = None,
    locatie: Locatie | None = None,
    stamschool: School | None = None,
    verwachte_uitstroomdatum: dt.date | None = None,
) -> Plaatsing:
    """An instellingsschool worker registers a new placement; its route starts in instroom."""
    toegang.vereis_actor(door)
    if not toegang.mag_zelf_registreren(door, instellingsschool.pk):
        raise PermissionDenied("U kunt alleen plaatsingen op uw eigen school registreren.")
    if locatie is not None and locatie.instellingsschool_id != instellingsschool.pk:
        raise PlaatsingFout("Deze locatie hoort niet bij de gekozen instellingsschool.")
    # The responsible SWV is the SWV of the stamschool; otherwise the one given.
    swv = stamschool.swv if stamschool else verantwoordelijk_swv
    if swv is None:
        raise PlaatsingFout("Kies het verantwoordelijke SWV, of vul de stamschool in.")
    from django.utils import timezone

    from .plausibel import controleren

    fouten, _ = controleren(
        leerlingnummer=leerlingnummer,
        geboortedatum=geboortedatum,
        startdatum=startdatum,
        vandaag=timezone.localdate(),
    )
    if fouten:
        raise PlaatsingFout(" ".join(fouten.values()))
    if verwachte_uitstroomdatum and verwachte_uitstroomdatum < startdatum:
        raise PlaatsingFout("De verwachte uitstroomdatum ligt vóór de datum van inschrijving.")
    leerlingnummer = leerlingnummer.strip()
    with transaction.atomic():
        leerling, _ = Leerling.objects.select_for_update().get_or_create(
            leerlingnummer=leerlingnummer,
            defaults={
                "roepnaam": roepnaam.strip(),
                "tussenvoegsel": tussenvoegsel.strip(),
                "achternaam": achternaam.strip(),
                "geboortedatum": geboortedatum,
            },
        )
        if Plaatsing.objects.filter(leerling=leerling, einddatum__isnull=True).exists():
            raise PlaatsingFout(
                "Deze leerling heeft nog een open plaatsing. Laat eerst de uitschrijving daarvan "
                "vastleggen (via de iHUB-import) en registreer daarna de nieuwe plaatsing."
            )
        plaatsing = Plaatsing.objects.create(
            leerling=leerling,
            instellingsschool=instellingsschool,
            locatie=locatie,
            startdatum=startdatum,
            verblijf=verblijf,
            stamschool=stamschool,
            verantwoordelijk_swv=swv,
            verwachte_uitstroomdatum=verwachte_uitstroomdatum,
        )
        route().route_starten(plaatsingen=[plaatsing], door=door)
    return plaatsing
