"""Retention, routetool's part (the frame: `coalitie.retentie`): the free text people typed
about the pupil's route can name the pupil, the family or circumstances. After retention only
the facts (phase, dates, done or not) stay.

Which fields of an action hold free text is declared per action kind (`routetool/acties/`,
`vrije_tekst_velden` / `vrije_tekst_gegevens`): a new kind needs no change here.
"""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from coalitie import retentie as frame
from plaatsingen import retentie as plaatsingen_retentie

from . import acties
from .models import Actie, Overdrachtsprofiel, Transitie
from .states import Fase

GEANONIMISEERD = "geanonimiseerd"


def leerling_schonen(leerling_id: int, nu) -> int:
    acties.vrije_tekst_wissen(Actie.objects.filter(plaatsing__leerling_id=leerling_id))
    # The overdrachtsprofiel is all about the pupil (goals, what works, contacts): it goes as a
    # whole; that a handover took place stays in the actions and the history.
    Overdrachtsprofiel.objects.filter(plaatsing__leerling_id=leerling_id).delete()
    # Reasons typed by people; the system's own reasons ("geïmporteerd uit iHUB-export") say
    # nothing about the pupil and explain the timeline.
    Transitie.objects.filter(plaatsing__leerling_id=leerling_id, door__isnull=False).exclude(
        reden=""
    ).update(reden=GEANONIMISEERD)
    return 0


def gesloten_op():
    """When the placement's route was closed: its latest transition to afgesloten."""
    return Subquery(
        Transitie.objects.filter(plaatsing_id=OuterRef("pk"), naar=Fase.AFGESLOTEN)
        .order_by("-op")
        .values("op")[:1]
    )


def registreren() -> None:
    frame.registreer(frame.Haak("routetool", leerling=leerling_schonen))
    plaatsingen_retentie.registreer_sluitmoment(gesloten_op)
