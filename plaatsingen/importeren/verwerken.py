"""The two runs over an export: `maak_plan` (check and compare, writes nothing: the preview
and `--dry-run`) and `importeer` (the same, then write, all in ONE transaction).

Both stream: the file is read once into the scratch table (`controleren`), then compared and,
when importing, written per group of pupils (`vergelijken`, `toepassen`). Memory holds one
group, the capped preview and errors, and the new placement ids per SWV for the one mail.
"""

from __future__ import annotations

import gc
import uuid
from array import array
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone

from config.bulk_achtergrond import achtergrond, zonder_wachten
from config.planvast import tellen
from plaatsingen.models import ImportBestand, ImportRij, ImportStatus
from plaatsingen.routekoppeling import route

from . import toepassen
from .controleren import controleer
from .lezen import BestandFout, lees
from .plan import Plan, Voortgang
from .profielen import Profiel
from .vergelijken import DEEL, delen, lezen, vergelijk


class AlGeimporteerd(Exception):
    """Another run (a redelivered task) imported this file while we waited for the lock."""


@dataclass(frozen=True)
class Opties:
    """What an import covers, besides the file: `ImportBestand.coalitie/aanbieder/profiel/
    historisch`."""

    coalitie_id: int | None = None
    profiel: Profiel | None = None
    historisch: bool = False
    aanbieder: str = ""

    @classmethod
    def van(cls, import_bestand: ImportBestand) -> Opties:
        return cls(
            coalitie_id=import_bestand.coalitie_id,
            aanbieder=import_bestand.aanbieder,
            profiel=Profiel.van(import_bestand.profiel),
            historisch=import_bestand.historisch,
        )


@contextmanager
def _zonder_gc():
    """Python's cyclic garbage collector off while an import builds its rows, collected by
    hand every few groups (`_opruimen`).

    An import makes hundreds of thousands of dicts and tuples per group that are freed by
    reference counting; the collector, woken every 700 new objects, walks all that is still
    alive again and again: measured a third of the route preparation's CPU. Cycles made in
    a group are still freed a few groups later, so memory stays as flat as before."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


OPRUIMEN_PER = 4  # groups between two collections (each walks all young objects still alive)


def _opruimen(groep: int) -> None:
    # The young generations only: what the last groups made (survivors age as they would).
    # A first import makes no cycles at all (measured); this bounds what a future one would.
    if not gc.isenabled() and groep % OPRUIMEN_PER == OPRUIMEN_PER - 1:
        gc.collect(1)


def _controleer(bron: BinaryIO, plan: Plan, partij, door, voortgang, opties: Opties) -> None:
    try:
        # The scratch table's COPYs run while the next rows are checked.
        with _zonder_gc(), achtergrond():
            _controleer_alles(bron, plan, partij, door, voortgang, opties)
        if plan.aantal_rijen > DEEL and not plan.fouten:
            # Else `delen` reads all rows still to come per group (planvast); its queries
            # filter and sort on these two columns only.
            tellen(ImportRij, kolommen=("partij", "leerlingnummer"))
    except BestandFout as exc:
        # The file as a whole is broken: that one message, not the row errors before it.
        plan.fouten = [str(exc)]
        plan.aantal_fouten = 1
        ImportRij.objects.filter(partij=partij).delete()


def _controleer_alles(bron, plan: Plan, partij, door, voortgang, opties: Opties) -> None:
    controleer(
        plan,
        lees(bron),
        partij=partij,
        door=door,
        voortgang=voortgang,
        coalitie_id=opties.coalitie_id,
        profiel=opties.profiel,
        historisch=opties.historisch,
        aanbieder=opties.aanbieder,
    )


def _gelezen(groepen, plan: Plan):
    """Each next group with its pupils and placements (`lezen`, locked), all read in ONE turn
    between the previous group's COPYs (see `importeer`): each turn waits for the COPY then
    running."""
    while True:
        with zonder_wachten():
            rijen = next(groepen, None)
            if rijen is None:
                return
            gelezen = lezen(plan, rijen, vergrendelen=True)
        yield rijen, gelezen


def maak_plan(
    bron: BinaryIO, *, door, voortgang: Voortgang | None = None, opties: Opties = Opties()
) -> Plan:
    """What importing `bron` would do, and every error that stops it. Writes no placements."""
    plan = Plan()
    partij = uuid.uuid4()
    try:
        _controleer(bron, plan, partij, door, voortgang, opties)
        if plan.fouten:
            return plan
        conflicten: list[tuple[int, str]] = []
        for rijen in delen(partij):
            conflicten += vergelijk(
                plan, rijen, vergrendelen=False, historisch=opties.historisch
            ).fouten
            if voortgang:
                voortgang("vergelijken", plan.aantal_nieuw + plan.aantal_gewijzigd
                          + plan.ongewijzigd, plan.aantal_rijen)  # fmt: skip
        if conflicten:
            plan.sluit_fouten_af(conflicten)
        return plan
    finally:
        ImportRij.objects.filter(partij=partij).delete()


def importeer(
    bron: BinaryIO, *, import_bestand: ImportBestand, door, voortgang: Voortgang | None = None
) -> Plan:
    """Check and write `bron`: all of it, or (any error) nothing at all."""
    plan = Plan()
    partij = uuid.uuid4()
    opties = Opties.van(import_bestand)
    try:
        # Checking runs outside the transaction, so the browser sees its progress.
        _controleer(bron, plan, partij, door, voortgang, opties)
        if plan.fouten:
            return plan
        if voortgang:
            voortgang("opslaan", 0, plan.aantal_rijen)
        # The COPYs of one group run while the next is worked out (bulk_achtergrond); the
        # block waits for them before the transaction commits.
        with transaction.atomic(), achtergrond(), _zonder_gc():
            toepassen.importslot()
            if ImportBestand.objects.filter(
                pk=import_bestand.pk, status=ImportStatus.GEIMPORTEERD
            ).exists():
                raise AlGeimporteerd
            nu = timezone.now()
            toepassen.scholen_aanmaken(plan)
            nieuw_per_swv: defaultdict = defaultdict(lambda: array("q"))
            conflicten: list[tuple[int, str]] = []
            for groep, (rijen, gelezen) in enumerate(_gelezen(delen(partij), plan)):
                # Comparing under row locks: nothing changes these pupils until we commit.
                # The reads need not wait for the previous group's COPYs: groups share no
                # pupil, and those COPYs write only that group's new rows.
                deel = vergelijk(
                    plan,
                    rijen,
                    vergrendelen=True,
                    historisch=opties.historisch,
                    gelezen=gelezen,
                )
                conflicten += deel.fouten
                if conflicten:
                    continue  # the file is rejected: look on for errors, write nothing more
                toepassen.pas_toe(
                    plan,
                    deel,
                    import_bestand=import_bestand,
                    door=door,
                    nu=nu,
                    nieuw_per_swv=nieuw_per_swv,
                )
                _opruimen(groep)
                if voortgang:
                    verwerkt = plan.aantal_nieuw + plan.aantal_gewijzigd + plan.ongewijzigd
                    voortgang("opslaan", verwerkt, plan.aantal_rijen)
            if conflicten:
                plan.sluit_fouten_af(conflicten)
                transaction.set_rollback(True)  # writes nothing, also what earlier groups wrote
                return plan
            route().swv_mailen(nieuw_per_swv)
            toepassen.afronden(import_bestand, plan, nu)
        return plan
    finally:
        ImportRij.objects.filter(partij=partij).delete()
