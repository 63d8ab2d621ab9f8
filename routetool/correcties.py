"""Corrections by people in the app: the actual uitschrijving, pupil data, and reopening an
action that was marked done by mistake. Each is a locked service; the history is django-auditlog's
(placement, pupil and action changes with actor and IP) plus the reason on the action itself."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from plaatsingen.models import RedenUitschrijving

from . import signaalvelden
from .models import Actie, ActieStatus
from .route import REGIE, SCHOOL, mag_actie_heropenen, rollen_voor
from .services import (
    UITSTROOM_AFHANKELIJK,
    RouteFout,
    _lock,
    deadlines_bijwerken,
    uitschrijving_verwerken,
)
from .states import Fase


def mag_corrigeren(user, plaatsing) -> bool:
    """The residential school records uitschrijving and pupil data; the procesregisseur too."""
    return bool(rollen_voor(user, plaatsing) & {SCHOOL, REGIE})


def uitschrijving_vastleggen(
    *, plaatsing_id: int, door, einddatum: dt.date, reden: str, alleen_nieuw: bool = False
):
    """THE way a person records (or corrects) the actual uitschrijving: from the placement page
    and from Te doen. The route moves towards uitstroom the way an import's end date does, and
    the deadlines that hang on the uitstroom date are recomputed. `alleen_nieuw` (Te doen: a
    list of pupils still to be uitgeschreven) refuses a pupil someone uitschreef meanwhile."""
    with transaction.atomic():
        plaatsing = _lock(plaatsing_id)
        if not mag_corrigeren(door, plaatsing):
            raise PermissionDenied(
                "Alleen de instellingsschool of de procesregisseur legt dit vast."
            )
        if plaatsing.fase == Fase.AFGESLOTEN:
            raise RouteFout(
                "Deze route is afgesloten; de uitschrijving kan niet meer worden gewijzigd."
            )
        if alleen_nieuw and plaatsing.einddatum:
            raise RouteFout("Deze leerling is al uitgeschreven. Herlaad de pagina.")
        if reden not in RedenUitschrijving.values:
            raise RouteFout("Kies de reden van uitschrijving.")
        if einddatum < plaatsing.startdatum:
            raise RouteFout(
                f"De datum van uitschrijving ligt vóór de inschrijving "
                f"({plaatsing.startdatum:%d-%m-%Y})."
            )
        if einddatum > timezone.localdate():
            raise RouteFout(
                "De uitschrijving ligt in de toekomst; leg dan de verwachte uitstroomdatum vast."
            )
        plaatsing.einddatum, plaatsing.reden_uitschrijving = einddatum, reden
        plaatsing.save(update_fields=["einddatum", "reden_uitschrijving", "gewijzigd_op"])
        uitschrijving_verwerken(
            plaatsingen=[plaatsing], door=door, reden="uitschrijving vastgelegd door de school"
        )
        plaatsing.refresh_from_db()
        deadlines_bijwerken(plaatsing, UITSTROOM_AFHANKELIJK)
    return plaatsing


def leerling_corrigeren(*, plaatsing_id: int, door, **velden):
    """Name and birth date of the pupil of this placement; the leerlingnummer is iHUB's key."""
    from plaatsingen.models import Leerling

    with transaction.atomic():
        plaatsing = _lock(plaatsing_id)
        if not mag_corrigeren(door, plaatsing):
            raise PermissionDenied(
                "Alleen de instellingsschool of de procesregisseur corrigeert dit."
            )
        geboortedatum = velden.get("geboortedatum")
        if geboortedatum and geboortedatum > timezone.localdate():
            raise RouteFout("De geboortedatum ligt in de toekomst.")
        leerling = Leerling.objects.select_for_update().get(pk=plaatsing.leerling_id)
        gewijzigd = []
        for veld, waarde in velden.items():
            waarde = waarde.strip() if isinstance(waarde, str) else waarde
            if getattr(leerling, veld) != waarde:
                setattr(leerling, veld, waarde)
                gewijzigd.append(veld)
        if gewijzigd:
            leerling.save(update_fields=gewijzigd)
    return gewijzigd


def actie_heropenen(*, actie_id: int, door, reden: str) -> Actie:
    """Back to open: by the one who did it or the procesregisseur, with a reason kept on the
    action (and its change in the audit log)."""
    reden = (reden or "").strip()
    if not reden:
        raise RouteFout("Geef een reden op om de actie te heropenen.")
    plaatsing_id = Actie.objects.values_list("plaatsing_id", flat=True).get(pk=actie_id)
    with transaction.atomic():
        plaatsing = _lock(plaatsing_id)
        actie = Actie.objects.select_for_update().get(pk=actie_id)
        if not mag_actie_heropenen(rollen_voor(door, plaatsing), actie, door):
            raise PermissionDenied(
                "Alleen wie de actie afrondde of de procesregisseur kan haar heropenen."
            )
        if plaatsing.fase == Fase.AFGESLOTEN:
            raise RouteFout("Deze route is afgesloten; acties kunnen niet meer worden heropend.")
        if actie.is_open:
            raise RouteFout("Deze actie staat al open.")
        if actie.fase != plaatsing.fase:
            raise RouteFout("Alleen acties van de huidige fase kunnen worden heropend.")
        if actie.is_herhalend:
            raise RouteFout("Een terugkerende actie heropent u niet; de volgende staat al klaar.")
        wie = door.get_full_name() or door.email
        regel = f"Heropend op {timezone.localdate():%d-%m-%Y} door {wie}: {reden}"
        actie.notitie = "\n".join(d for d in (actie.notitie, regel) if d)[:1000]
        actie.status, actie.gedaan_door, actie.gedaan_op = ActieStatus.OPEN, None, None
        actie.reden_overslaan = ""
        actie.save(
            update_fields=["status", "gedaan_door", "gedaan_op", "notitie", "reden_overslaan"]
        )
        signaalvelden.bijwerken([plaatsing.pk])
    return actie
