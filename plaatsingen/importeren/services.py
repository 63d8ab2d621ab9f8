"""The import's entry points: web, Celery tasks and the `import_ihub` command all come here."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from coalitie.models import Coalitie
from coalitie.toegang import (
    SYSTEEM,
    aanbieders_van,
    als_gebruiker,
    beheerde_coalities,
    is_systeem,
    vereis_actor,
)
from plaatsingen.models import ImportBestand, ImportStatus

from .plan import MAX_VOORBEELD, VELD_LABEL, Plan, Voortgang, toon
from .toepassen import uitkomst_opslaan
from .verwerken import AlGeimporteerd, Opties, importeer, maak_plan
from .voortgang import Voortgangsmelder

logger = logging.getLogger(__name__)
KLAAR = (
    ImportStatus.GEIMPORTEERD,
    ImportStatus.AFGEWEZEN,
    ImportStatus.DUBBEL,
    ImportStatus.MISLUKT,
)
MISLUKT_TEKST = (
    "De verwerking is onverwacht gestopt (import {pk}); er is niets opgeslagen. U kunt de "
    "import opnieuw starten; lukt het dan weer niet, neem contact op met de beheerder."
)


def import_bestand_aanmaken(
    *,
    bestand: File,
    naam: str,
    door,
    coalitie=None,
    profiel=None,
    historisch: bool = False,
    aanbieder: str = "",
) -> ImportBestand:
    """Keep the original file (Django storage) with its checksum; nothing is imported yet.
    `door`: the uploading beheerder or provider's administration, or SYSTEEM (the command line;
    stored as no user).

    A beheerder of exactly one coalition imports for that coalition (so the same file can be
    imported by the beheerder of another coalition for its own schools); the administration of
    one provider (and no beheerder) imports for that provider, all its schools. Someone holding
    both imports the union, which the run derives from `door` again."""
    vereis_actor(door)
    if coalitie is None and not aanbieder and not is_systeem(door) and not door.is_superuser:
        eigen = beheerde_coalities(door)
        aanbieders = aanbieders_van(door)
        if len(eigen) == 1 and not aanbieders:
            coalitie = Coalitie.objects.get(pk=next(iter(eigen)))
        elif len(aanbieders) == 1 and not eigen:
            aanbieder = next(iter(aanbieders))
    sha = hashlib.sha256()
    grootte = 0
    for blok in bestand.chunks():
        sha.update(blok)
        grootte += len(blok)
    bestand.seek(0)
    extensie = Path(naam).suffix.lower()[:10]
    import_bestand = ImportBestand(
        oorspronkelijke_naam=Path(naam).name[:255],
        sha256=sha.hexdigest(),
        grootte=grootte,
        door=als_gebruiker(door),
        coalitie=coalitie,
        aanbieder=aanbieder,
        profiel=profiel,
        historisch=historisch,
        voortgang_op=timezone.now(),
    )
    # A random stored name: the original name may hold personal data or path tricks.
    import_bestand.bestand.save(f"{uuid.uuid4().hex}{extensie}", bestand, save=False)
    import_bestand.save()
    return import_bestand


def eerder_geimporteerd(import_bestand: ImportBestand) -> ImportBestand | None:
    """The same file, imported before for the same schools (coalition, provider), profile and
    purpose."""
    qs = ImportBestand.objects.filter(
        sha256=import_bestand.sha256,
        status=ImportStatus.GEIMPORTEERD,
        coalitie_id=import_bestand.coalitie_id,
        aanbieder=import_bestand.aanbieder,
        profiel_id=import_bestand.profiel_id,
        historisch=import_bestand.historisch,
    )
    if (
        import_bestand.coalitie_id is None
        and not import_bestand.aanbieder
        and import_bestand.door_id is not None
    ):
        qs = qs.filter(door_id=import_bestand.door_id)  # a beheerder of several coalitions
    return (
        qs.exclude(pk=import_bestand.pk).select_related("door").order_by("geimporteerd_op").first()
    )


def _melding_dubbel(eerder: ImportBestand) -> str:
    wanneer = timezone.localtime(eerder.geimporteerd_op).strftime("%d-%m-%Y %H:%M")
    wie = f" door {eerder.door}" if eerder.door else ""
    return (
        f"Dit bestand is al geïmporteerd op {wanneer}{wie} (zelfde inhoud, controlegetal "
        f"{eerder.sha256[:12]}…). Er is niets gewijzigd."
    )


def _actor(import_bestand: ImportBestand):
    """Who acts in this import: its uploader, or the system (a file from the command line)."""
    return import_bestand.door or SYSTEEM


def _plan_voor(import_bestand: ImportBestand, voortgang: Voortgang | None) -> Plan:
    with import_bestand.bestand.open("rb") as f:
        return maak_plan(
            f, door=_actor(import_bestand), voortgang=voortgang, opties=Opties.van(import_bestand)
        )


def voorbeeld_van(plan: Plan) -> dict:
    def datum(d):
        return d.strftime("%d-%m-%Y") if d else ""

    return {
        "nieuw": [
            [r.leerlingnummer, plan.school_namen[r.instellingsschool_id], datum(r.startdatum)]
            + [datum(r.einddatum)]
            for r in plan.nieuw
        ],
        "gewijzigd": [
            {
                "plaatsing": [
                    w.rij.leerlingnummer,
                    plan.school_namen[w.rij.instellingsschool_id],
                    datum(w.rij.startdatum),
                ],
                "wijzigingen": [
                    [VELD_LABEL.get(v, v), toon(plan, v, oud), toon(plan, v, nieuw)]
                    for v, (oud, nieuw) in w.velden.items()
                ]
                + [
                    [f"leerling: {v}", toon(plan, v, oud), toon(plan, v, nieuw)]
                    for v, (oud, nieuw) in w.leerling_velden.items()
                ],
            }
            for w in plan.gewijzigd
        ],
        "nieuwe_scholen": [
            [brin, naam, plan.swv_codes.get(swv_id, "")]
            for brin, (naam, swv_id) in list(plan.nieuwe_scholen.items())[:MAX_VOORBEELD]
        ],
        "max": MAX_VOORBEELD,
    }


def _bewaar_uitkomst(import_bestand: ImportBestand, plan: Plan, status: str) -> None:
    voorbeeld = {} if plan.fouten else voorbeeld_van(plan)
    uitkomst_opslaan(import_bestand, plan, status, voorbeeld=voorbeeld)


def _markeer_dubbel(import_bestand: ImportBestand, eerder: ImportBestand) -> ImportBestand:
    import_bestand.status = ImportStatus.DUBBEL
    import_bestand.meldingen = [_melding_dubbel(eerder)]
    import_bestand.voortgang_stap = "klaar"
    import_bestand.save(update_fields=["status", "meldingen", "voortgang_stap"])
    return import_bestand


def import_controleren(
    *, import_bestand_id: int, voortgang: Voortgang | None = None
) -> ImportBestand:
    """Validate and compare (no writes to pupils or placements): the preview."""
    import_bestand = ImportBestand.objects.select_related("door").get(pk=import_bestand_id)
    if import_bestand.status != ImportStatus.ONTVANGEN:
        return import_bestand  # already checked: a redelivered task does nothing
    eerder = eerder_geimporteerd(import_bestand)
    if eerder is not None:
        return _markeer_dubbel(import_bestand, eerder)
    melder = Voortgangsmelder(import_bestand.pk, voortgang)
    try:
        plan = _plan_voor(import_bestand, melder)
    except Exception as exc:
        return _mislukt(import_bestand, exc)
    finally:
        melder.sluit()
    status = ImportStatus.AFGEWEZEN if plan.fouten else ImportStatus.VOORBEELD
    _bewaar_uitkomst(import_bestand, plan, status)
    return import_bestand


def import_bevestigen(*, import_bestand_id: int, door) -> ImportBestand | None:
    """The beheerder confirmed the preview; returns None when it was not awaiting that."""
    with transaction.atomic():
        import_bestand = ImportBestand.objects.select_for_update().get(pk=import_bestand_id)
        if import_bestand.status != ImportStatus.VOORBEELD:
            return None
        import_bestand.status = ImportStatus.BEZIG
        import_bestand.voortgang_stap = "in de wachtrij"
        import_bestand.voortgang_op = timezone.now()
        import_bestand.save(update_fields=["status", "voortgang_stap", "voortgang_op"])
    return import_bestand


def import_uitvoeren(
    *,
    import_bestand_id: int,
    voortgang: Voortgang | None = None,
    controleer_dubbel: bool = True,
) -> ImportBestand:
    """Validate the stored file again (the database may have moved on) and apply it.

    The whole file or nothing: any row error rejects it and writes nothing.
    """
    import_bestand = ImportBestand.objects.select_related("door").get(pk=import_bestand_id)
    if import_bestand.status in KLAAR:
        return import_bestand  # idempotent: a redelivered task must not import twice
    if controleer_dubbel and (eerder := eerder_geimporteerd(import_bestand)) is not None:
        return _markeer_dubbel(import_bestand, eerder)
    melder = Voortgangsmelder(import_bestand.pk, voortgang)
    try:
        with import_bestand.bestand.open("rb") as f:
            plan = importeer(
                f, import_bestand=import_bestand, door=_actor(import_bestand), voortgang=melder
            )
    except AlGeimporteerd:
        import_bestand.refresh_from_db()
        return import_bestand
    except Exception as exc:  # the transaction rolled back: nothing was written
        return _mislukt(import_bestand, exc)
    finally:
        melder.sluit()
    if plan.fouten:
        _bewaar_uitkomst(import_bestand, plan, ImportStatus.AFGEWEZEN)
        return import_bestand
    import_bestand.voorbeeld = voorbeeld_van(plan)
    import_bestand.save(update_fields=["voorbeeld"])
    logger.info(
        "import %s: %s new, %s changed, %s unchanged",
        import_bestand.pk,
        import_bestand.aantal_nieuw,
        import_bestand.aantal_gewijzigd,
        import_bestand.aantal_ongewijzigd,
    )
    return import_bestand


def _mislukt(import_bestand: ImportBestand, exc: Exception) -> ImportBestand:
    """An unexpected error: the import ends failed (never a stuck 'wordt gecontroleerd').

    Logged by type only: an exception's text may quote a cell of the file."""
    logger.error("import %s failed: %s", import_bestand.pk, type(exc).__name__)
    ImportBestand.objects.filter(pk=import_bestand.pk).update(
        status=ImportStatus.MISLUKT,
        fouten=[MISLUKT_TEKST.format(pk=import_bestand.pk)],
        voortgang_stap="mislukt",
        voortgang_op=timezone.now(),
    )
    import_bestand.refresh_from_db()
    return import_bestand


def vastgelopen_opruimen(*, nu: dt.datetime | None = None) -> int:
    """Mark imports whose worker gave no sign of life for IMPORT_VASTGELOPEN_MINUTEN as failed.

    A worker killed mid-import (out of memory, deploy) rolled its transaction back; without this
    the page would say 'wordt gecontroleerd' forever. Scratch rows are left to retention."""
    grens = (nu or timezone.now()) - dt.timedelta(minutes=settings.IMPORT_VASTGELOPEN_MINUTEN)
    vast = list(
        ImportBestand.objects.filter(
            status__in=(ImportStatus.ONTVANGEN, ImportStatus.BEZIG), voortgang_op__lt=grens
        ).values_list("pk", flat=True)
    )
    for pk in vast:
        logger.warning("import %s: no sign of life from its worker, marked failed", pk)
        ImportBestand.objects.filter(
            pk=pk, status__in=(ImportStatus.ONTVANGEN, ImportStatus.BEZIG)
        ).update(
            status=ImportStatus.MISLUKT,
            fouten=[MISLUKT_TEKST.format(pk=pk)],
            voortgang_stap="mislukt",
        )
    return len(vast)


def opnieuw_proberen(*, import_bestand_id: int) -> ImportBestand | None:
    """A failed import starts over at the check (the preview), as if just uploaded."""
    with transaction.atomic():
        import_bestand = ImportBestand.objects.select_for_update().get(pk=import_bestand_id)
        if import_bestand.status != ImportStatus.MISLUKT:
            return None
        import_bestand.status = ImportStatus.ONTVANGEN
        import_bestand.fouten = []
        import_bestand.voortgang_stap = ""
        import_bestand.voortgang_verwerkt = import_bestand.voortgang_totaal = 0
        import_bestand.voortgang_op = timezone.now()
        import_bestand.save()
    return import_bestand
