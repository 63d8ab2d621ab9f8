"""Retention (AVG), plaatsingen's part (the frame and the command: `coalitie.retentie`).

Remove the personal data of pupils whose routes closed long enough ago.

A pupil qualifies when every placement is `afgesloten` and the latest closing is more than
`settings.RETENTIE_MAANDEN` months ago. The closing moment is the latest transition to
`afgesloten` (registered by routetool, see SLUITMOMENTEN) when that exists, else the einddatum,
else the last change.
Name, birth date, postcode and place are replaced; the placements stay for anonymous counts.
The old values are also scrubbed from django-auditlog's entries for the pupil, otherwise the
change log would keep what retention removed, and likewise from the import's change history.
The vervolgplek description is emptied too; the route's own free text (action notes, typed
reasons) is routetool's hook (`routetool.retentie`), old monthly lists rapportage's.
Uploaded iHUB export files (every pupil's data) are deleted after the same period. Already
anonymised pupils are skipped, so the task is safe to run twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import DateTimeField, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from coalitie import retentie as frame
from coalitie.retentie import Resultaat

from .fasen import Fase
from .models import ImportBestand, ImportRij, Leerling, Plaatsing, PlaatsingWijziging

logger = logging.getLogger("routetool.retentie")

GEANONIMISEERD = "geanonimiseerd"
# Field -> value after anonymisation.
PERSOONSGEGEVENS = {
    "achternaam": GEANONIMISEERD,
    "roepnaam": GEANONIMISEERD,
    "tussenvoegsel": "",
    "geboortedatum": None,
    "postcode": "",
    "woonplaats": "",
}


# "When was this placement closed", as SQL expressions on a placement row, from apps above us
# that record it (routetool: the latest transition to afgesloten). They register in ready();
# the einddatum and the last change are the fallback.
SLUITMOMENTEN: list[Callable[[], object]] = []


def registreer_sluitmoment(expressie: Callable[[], object]) -> None:
    if expressie not in SLUITMOMENTEN:
        SLUITMOMENTEN.append(expressie)


def _sluitmoment_per_plaatsing():
    """SQL expression: when this placement's route was closed."""
    delen = [maak() for maak in SLUITMOMENTEN]
    delen += [Cast("einddatum", DateTimeField()), "gewijzigd_op"]
    return Coalesce(*delen, output_field=DateTimeField())


def te_anonimiseren(*, nu=None):
    """Pupils whose personal data must go now (a queryset, not yet anonymised)."""
    nu = nu or timezone.now()
    grens = nu - relativedelta(months=settings.RETENTIE_MAANDEN)
    plaatsingen = Plaatsing.objects.filter(leerling_id=OuterRef("pk"))
    laatste_sluiting = Subquery(
        plaatsingen.annotate(gesloten_op=_sluitmoment_per_plaatsing())
        .order_by("-gesloten_op")
        .values("gesloten_op")[:1]
    )
    return (
        Leerling.objects.filter(geanonimiseerd_op__isnull=True)
        .filter(Exists(plaatsingen))
        .exclude(Exists(plaatsingen.filter(~Q(fase=Fase.AFGESLOTEN))))
        .annotate(laatste_sluiting=laatste_sluiting)
        .filter(laatste_sluiting__lt=grens)
    )


def _schoon_auditlog(leerling_id: int) -> int:
    """Replace the personal values in the pupil's change-log entries (keeps who/when/what)."""
    content_type = ContentType.objects.get_for_model(Leerling)
    aantal = 0
    for entry in LogEntry.objects.filter(content_type=content_type, object_id=leerling_id):
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        geschoond = {
            veld: ([GEANONIMISEERD] * len(waarde) if veld in PERSOONSGEGEVENS else waarde)
            for veld, waarde in changes.items()
        }
        LogEntry.objects.filter(pk=entry.pk).update(
            changes=geschoond, changes_text="", object_repr=GEANONIMISEERD, serialized_data=None
        )
        aantal += 1
    return aantal


def _schoon_importgeschiedenis(leerling_id: int) -> None:
    """The iHUB import records pupil-field changes per placement ("leerling: achternaam")."""
    wijziging = PlaatsingWijziging
    velden = [f"leerling: {veld}" for veld in PERSOONSGEGEVENS]
    wijziging.objects.filter(plaatsing__leerling_id=leerling_id, veld__in=velden).update(
        oud=GEANONIMISEERD, nieuw=GEANONIMISEERD
    )


# Free text people typed about the pupil can name the pupil, family or circumstances.
VRIJE_TEKST_PLAATSING = {"vervolgplek_omschrijving": ""}


def _schoon_vrije_tekst(leerling_id: int) -> None:
    Plaatsing.objects.filter(leerling_id=leerling_id).update(**VRIJE_TEKST_PLAATSING)
    # The placement's change log holds the old text too.
    content_type = ContentType.objects.get_for_model(Plaatsing)
    plaatsing_ids = [
        str(pk)
        for pk in Plaatsing.objects.filter(leerling_id=leerling_id).values_list("pk", flat=True)
    ]
    for entry in LogEntry.objects.filter(content_type=content_type, object_id__in=plaatsing_ids):
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        if not VRIJE_TEKST_PLAATSING.keys() & changes.keys():
            continue
        geschoond = {
            veld: ([GEANONIMISEERD] * len(waarde) if veld in VRIJE_TEKST_PLAATSING else waarde)
            for veld, waarde in changes.items()
        }
        LogEntry.objects.filter(pk=entry.pk).update(
            changes=geschoond, changes_text="", serialized_data=None
        )


def oude_importbestanden_verwijderen(*, nu=None) -> int:
    """Uploaded iHUB exports hold every pupil's data: the file and its preview go after the
    same retention period; the row with its counts stays as history."""
    model = ImportBestand
    grens = (nu or timezone.now()) - relativedelta(months=settings.RETENTIE_MAANDEN)
    aantal = 0
    for bestand in model.objects.filter(ontvangen_op__lt=grens).exclude(bestand=""):
        naam, storage = bestand.bestand.name, bestand.bestand.storage
        model.objects.filter(pk=bestand.pk).update(bestand="", voorbeeld={})
        transaction.on_commit(lambda n=naam, s=storage: s.delete(n))
        aantal += 1
    return aantal


def achtergebleven_importregels_verwijderen(*, nu=None) -> int:
    """Scratch rows of an import live only while it runs; a worker that crashed mid-import
    leaves them behind, with pupils' names in them. A day is far longer than any import."""
    model = ImportRij
    grens = (nu or timezone.now()) - relativedelta(days=1)
    aantal, _ = model.objects.filter(aangemaakt_op__lt=grens).delete()
    return aantal


def _vergrendel(*, leerling_id: int, nu):
    """Lock the pupil if still due (inside the frame's per-pupil transaction), else None."""
    return te_anonimiseren(nu=nu).select_for_update(of=("self",)).filter(pk=leerling_id).first()


def leerling_schonen(leerling_id: int, nu) -> int:
    """plaatsingen's hook: the pupil's own fields, their change log, the import's history of
    them and the vervolgplek text. Returns the number of change-log entries scrubbed."""
    leerling = Leerling.objects.get(pk=leerling_id)
    for veld, waarde in PERSOONSGEGEVENS.items():
        setattr(leerling, veld, waarde)
    leerling.geanonimiseerd_op = nu
    # No auditlog entry: it would copy the old name into the log we are cleaning.
    with disable_auditlog():
        leerling.save(update_fields=[*PERSOONSGEGEVENS, "geanonimiseerd_op"])
    _schoon_importgeschiedenis(leerling_id)
    _schoon_vrije_tekst(leerling_id)
    # Who was invited to this pupil's placements (names, organisations) goes too; their access
    # ended long before (30 days after the route closed). Their accounts stay.
    from .models import Deelnemer

    Deelnemer.objects.filter(plaatsing__leerling_id=leerling_id).delete()
    return _schoon_auditlog(leerling_id)


def opruimen(*, nu=None) -> int:
    """Old uploaded exports (counted) and scratch rows a crashed import left behind."""
    bestanden = oude_importbestanden_verwijderen(nu=nu)
    regels = achtergebleven_importregels_verwijderen(nu=nu)
    if regels:
        logger.info("retentie: %d achtergebleven importregels verwijderd", regels)
    return bestanden


def registreren() -> None:
    frame.registreer_leerlingen(
        frame.Leerlingen(
            te_anonimiseren=lambda *, nu: list(te_anonimiseren(nu=nu).values_list("pk", flat=True)),
            vergrendel=_vergrendel,
        )
    )
    frame.registreer(frame.Haak("plaatsingen", leerling=leerling_schonen, opruimen=opruimen))


def anonimiseer_leerling(*, leerling_id: int, nu=None) -> bool:
    """Anonymise one pupil in every app (see coalitie.retentie)."""
    return frame.anonimiseer_leerling(leerling_id=leerling_id, nu=nu)


def retentie_uitvoeren(*, dry_run: bool = False, nu=None) -> Resultaat:
    """Kept under its old name: runs every app's hook (coalitie.retentie)."""
    return frame.retentie_uitvoeren(dry_run=dry_run, nu=nu)
