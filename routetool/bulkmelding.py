"""New actions written in bulk, told to observers in Python instead of left to triggers.

A first import writes ~135,000 actions in a few COPYs. Apps above routetool keep figures of
them (rapportage's "acties op tijd" counters, `rapportage.models.ActieTeller`); a trigger that
reads each COPY's rows back from its transition table cost ~0.7 s of PostgreSQL's time per
25,000 placements. Yet routetool knows every value such an observer needs when it writes the
rows, so `invoegen` sends `acties_ingevoegd` with them, and marks the statement with a setting
local to the transaction (`GEMELD`), set just before that COPY in the same queue of the
background writer (`config.bulk_achtergrond`), so no other statement falls in between. The
trigger that honours the mark (rapportage's, migration rapportage 0006) leaves that statement
alone and clears the mark itself, so it holds for the one statement and no second statement
is sent to clear it (each statement the writer thread sends costs it a wait for the GIL, ~5 ms
while the import's Python runs). Every other write of actions (the ORM, updates, deletes, bulk
UPDATEs) carries no mark.

Only inside a transaction: outside one a transaction-local setting would be gone before the
COPY, so the statement goes unmarked and `buiten_triggers=False` tells observers the triggers
saw it. On SQLite there are no triggers: never marked.
"""

from __future__ import annotations

import contextlib

from django.db import connection
from django.dispatch import Signal

from config.bulk import bulk_insert
from config.bulk_achtergrond import uitvoeren

from .models import Actie

# The name of the setting (a custom "class.name" GUC); rapportage's migration 0006 reads it.
GEMELD = "routetool.acties_gemeld"

# Sent once per bulk write of new actions, after it was queued (still inside its transaction):
# `acties` the action rows (attnames; what a row leaves out is the model default) and
# `plaatsingen[i]` the placement of `acties[i]` (its `verantwoordelijk_swv_id` and
# `instellingsschool_id` as written). `buiten_triggers`: the statement was marked, so the
# triggers that honour `GEMELD` did not see these rows and the receiver must do their work,
# in this transaction (e.g. with `bulk_insert`, queued after the COPY).
acties_ingevoegd = Signal()


def _zetten(waarde: str):
    sql = f"SELECT set_config('{GEMELD}', '{waarde}', true)"
    return lambda cursor: cursor.execute(sql)


def invoegen(
    rijen: list[dict], *, acties: list[dict], plaatsingen: list, zelfde_sleutels: bool = False
) -> None:
    """Write `rijen` (new actions) and tell the observers; `acties`/`plaatsingen`: the same
    rows in any order, each with its placement (parallel lists). `zelfde_sleutels` as for
    `bulk_insert`."""
    if not rijen:
        return
    gemarkeerd = connection.vendor == "postgresql" and connection.in_atomic_block
    if gemarkeerd:
        uitvoeren(_zetten("aan"))
    try:
        # One statement: a COPY, or below COPY_VANAF one INSERT (bulk_create, one batch).
        bulk_insert(Actie, rijen, zelfde_sleutels=zelfde_sleutels, batch_size=len(rijen))
    except BaseException:
        if gemarkeerd:
            # Nothing may have reached the trigger: the caller may go on in this transaction,
            # so the mark must not stay. (After a failed COPY the transaction is lost and
            # this raises that error again: ignored.)
            with contextlib.suppress(Exception):
                uitvoeren(_zetten(""))
        raise
    acties_ingevoegd.send(
        sender=Actie, acties=acties, plaatsingen=plaatsingen, buiten_triggers=gemarkeerd
    )
