"""What the signals need from a placement's actions, kept on the placement itself.

Computed from the actions on every read, the signals cost subqueries over all actions for each
open placement (with 100,000 placements the overview's counts alone took ~50 ms; README,
Prestaties). So the few values they need are stored on `Plaatsing`, and every route service
that creates, completes or skips actions, moves deadlines or changes the phase updates them in
its own transaction: `bijwerken` recomputes them from all actions; the bulk paths of the import
(`route_starten`, `uitschrijving_verwerken`) use `na_fase_betreden`, which needs no reads.
The signals in `routetool.selectors` are then conditions on the placement row; they still
compare the stored dates with today, so nothing has to run when a deadline passes.
`tests/test_signaalvelden.py` holds the stored signals to the ones computed from the actions.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable
from typing import NamedTuple

from config.bulk import bulk_set
from plaatsingen.models import Plaatsing

from . import route as rk
from .models import Actie, ActieStatus
from .states import Fase

VELDEN = (
    "termijn_fase",
    "termijn_bevestigen",
    "termijn_stamschool",
    "laatste_nazorg_antwoord",
    "perspectief_gedaan",
)
# Placements per read. Large on purpose: an import reads rows created in its own transaction,
# which the planner's statistics do not know yet, so each read may be a full scan of the table.
PER_KEER = 20_000


class ActieRij(NamedTuple):
    """An action, as far as the signals are concerned."""

    fase: str
    code: str
    status: str
    deadline: dt.date | None
    gedaan_op: dt.datetime | None
    nazorg_antwoord: str
    pk: int


ACTIE_KOLOMMEN = ActieRij._fields


def rij(actie: dict) -> ActieRij:
    """An action given as a dict of attnames (as `config.bulk.bulk_insert` takes them)."""
    return ActieRij(
        actie["fase"],
        actie["code"],
        actie.get("status", ActieStatus.OPEN),
        actie.get("deadline"),
        actie.get("gedaan_op"),
        actie.get("nazorg_antwoord", ""),
        actie.get("pk", 0),
    )


def _vroegste(huidige: dt.date | None, datum: dt.date | None) -> dt.date | None:
    if datum is None:
        return huidige
    return datum if huidige is None else min(huidige, datum)


def waarden(fase: str, acties: Iterable[ActieRij]) -> tuple:
    """The stored values (in the order of VELDEN) of a placement in `fase` with these actions."""
    termijn_fase = termijn_bevestigen = termijn_stamschool = None
    antwoord, antwoord_sleutel, perspectief = "", None, False
    for a in acties:
        if a.status == ActieStatus.OPEN:
            # Only the current phase: an optional action left open in an earlier phase is
            # history, not work.
            if a.fase == fase:
                termijn_fase = _vroegste(termijn_fase, a.deadline)
            if a.code == rk.BEVESTIGD:
                termijn_bevestigen = _vroegste(termijn_bevestigen, a.deadline)
        # Done or not: once recorded, the placement's own stamschool fields end that signal.
        if a.fase == Fase.INSTROOM and a.code == rk.STAMSCHOOL:
            termijn_stamschool = _vroegste(termijn_stamschool, a.deadline)
        if a.status == ActieStatus.GEDAAN:
            perspectief = perspectief or a.code == rk.PERSPECTIEF
            if a.nazorg_antwoord:
                # The latest answer counts: by gedaan_op, then pk. A done action always has a
                # gedaan_op; one without would count as the latest, as it sorts first in
                # PostgreSQL's descending order (the definition this replaces).
                sleutel = (a.gedaan_op is None, a.gedaan_op or dt.datetime.min, a.pk)
                if antwoord_sleutel is None or sleutel > antwoord_sleutel:
                    antwoord, antwoord_sleutel = a.nazorg_antwoord, sleutel
    return termijn_fase, termijn_bevestigen, termijn_stamschool, antwoord, perspectief


# `opgeslagen(plaatsing)`: the stored values of a placement (or of a light row read with
# VELDEN), as a tuple in the order of VELDEN. One C call: an import asks it per new row.
opgeslagen = operator.attrgetter(*VELDEN)


def na_fase_betreden(plaatsing, fase: str, van_fase: list[ActieRij]) -> tuple:
    """The values once `plaatsing` (with its stored values still from before) has entered
    `fase`, given ALL its actions of that phase: the ones it had and the ones just made.

    Entering a phase only adds open actions and changes the phase, so the rest follows from the
    stored values without reading the placement's other actions back: an import moves tens of
    thousands of routes at once, in one transaction whose new rows the planner's statistics do
    not know yet (every read may become a full scan).
    """
    termijn_fase, termijn_bevestigen, termijn_stamschool, _, _ = waarden(fase, van_fase)
    _, oud_bevestigen, oud_stamschool, antwoord, perspectief = opgeslagen(plaatsing)
    return (
        termijn_fase,
        _vroegste(oud_bevestigen, termijn_bevestigen),
        _vroegste(oud_stamschool, termijn_stamschool),
        antwoord,
        perspectief,
    )


def opslaan(oud_en_nieuw: dict[int, tuple[tuple, tuple]]) -> None:
    """Write the new values of the placements (id → (stored values, new values)) that change."""
    gewijzigd = {pk: nieuw for pk, (oud, nieuw) in oud_en_nieuw.items() if nieuw != oud}
    bulk_set(Plaatsing, list(VELDEN), gewijzigd)


def bijwerken(plaatsing_ids: Iterable[int]) -> None:
    """Recompute the stored values of these placements from their actions; write what changed.

    Reads plain rows by placement id: no joins and no correlated subqueries, whose plans go
    wrong on rows the statistics do not know yet (measured: 4 s more per 25,000 imported rows).
    """
    ids = sorted(set(plaatsing_ids))
    for i in range(0, len(ids), PER_KEER):
        deel = ids[i : i + PER_KEER]
        acties: dict[int, list[ActieRij]] = {pk: [] for pk in deel}
        rijen = Actie.objects.filter(plaatsing_id__in=deel).order_by()
        for plaatsing_id, *kolommen in rijen.values_list("plaatsing_id", *ACTIE_KOLOMMEN):
            acties[plaatsing_id].append(ActieRij(*kolommen))
        opslaan(
            {
                pk: (tuple(oud), waarden(fase, acties[pk]))
                for pk, fase, *oud in Plaatsing.objects.filter(pk__in=deel)
                .order_by()
                .values_list("pk", "fase", *VELDEN)
            }
        )
