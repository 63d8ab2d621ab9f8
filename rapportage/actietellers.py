""" "Acties op tijd" from the counters the database keeps (`ActieTeller`, migration 0005).

The dashboard's costliest figure on a fresh database was counting ~77,000 actions of a year
one by one (README Prestaties, Verse database). The full months of the period now come from the
counters (a few thousand small rows); only the ragged edges — a period that starts mid-month,
and the current month up to today — are counted live over their few actions, with the same
query as before (`cijfers.acties_op_tijd_ruw`). The result is identical to counting all
actions live (tests/test_actietellers.py). SQLite keeps no counters and counts live.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections import Counter
from itertools import repeat

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from config.bulk import bulk_insert
from routetool.models import Actie, ActieStatus

from . import cijfers
from .models import ActieTeller


def volle_maanden(van: dt.date, eind: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first and last month lying wholly within [van, eind], or None."""
    eerste = van if van.day == 1 else van.replace(day=1) + relativedelta(months=1)
    na_eind = eind + dt.timedelta(days=1)
    laatste = na_eind.replace(day=1) - relativedelta(months=1)
    return (eerste, laatste) if eerste <= laatste else None


def acties_op_tijd(
    user, swv_ids, qs, van: dt.date, tot: dt.date, vandaag: dt.date | None = None
) -> list[dict]:
    """`cijfers.acties_op_tijd(qs, van, tot, vandaag)` for `qs = cijfers.basis(user, swv_ids)`,
    from the counters for the full months and live for the edges."""
    vandaag = vandaag or timezone.localdate()
    eind = min(tot, vandaag)
    maanden = volle_maanden(van, eind) if connection.vendor == "postgresql" else None
    if maanden is None:
        return cijfers.acties_op_tijd(qs, van, tot, vandaag)
    eerste, laatste = maanden
    tellers = ActieTeller.objects.zichtbaar_voor(user)
    if swv_ids:
        tellers = tellers.filter(verantwoordelijk_swv_id__in=list(swv_ids))
    r = dict.fromkeys(cijfers.ACTIE_TELLERS, 0)
    for fase, totaal, op_tijd in (
        tellers.filter(maand__range=(eerste, laatste))
        .values("fase")
        .annotate(t=Sum("totaal"), o=Sum("op_tijd"))
        .order_by()
        .values_list("fase", "t", "o")
    ):
        if fase in cijfers.ACTIE_FASEN:
            i = cijfers.ACTIE_FASEN.index(fase)
            r[f"t{i}"] += totaal
            r[f"o{i}"] += op_tijd
    randen = []
    if van < eerste:
        randen.append((van, eerste - dt.timedelta(days=1)))
    na_laatste = laatste + relativedelta(months=1)
    if na_laatste <= eind:
        randen.append((na_laatste, eind))
    for begin, einde in randen:
        for naam, n in cijfers.acties_op_tijd_ruw(qs, begin, einde).items():
            r[naam] += n
    return cijfers.acties_per_fase(r)


def samenvoegen() -> int:
    """Fold the delta rows into one row per key (nightly): the figures stay the same, the
    table stays small. One statement, so route actions that insert meanwhile are not blocked
    and their rows (not in this statement's snapshot) stay as they are. Returns the rows left."""
    if connection.vendor != "postgresql":
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "WITH weg AS (DELETE FROM rapportage_actieteller RETURNING *) "
            "INSERT INTO rapportage_actieteller "
            "(verantwoordelijk_swv_id, instellingsschool_id, fase, maand, totaal, op_tijd) "
            "SELECT verantwoordelijk_swv_id, instellingsschool_id, fase, maand, sum(totaal), "
            "sum(op_tijd) FROM weg GROUP BY 1, 2, 3, 4 HAVING sum(totaal) <> 0 OR sum(op_tijd) <> 0"
        )
        return cursor.rowcount


# --- the counters of actions routetool writes in bulk -----------------------------------------

_GETELD = frozenset({ActieStatus.OPEN.value, ActieStatus.GEDAAN.value})


def nieuwe_acties_tellen(sender, *, acties, plaatsingen, buiten_triggers, **kwargs) -> None:
    """Receiver of `routetool.bulkmelding.acties_ingevoegd`: the counters of actions that the
    trigger `rapportage_teller_actie_in` left alone (migration 0006), counted here exactly as
    it would (0005's `TELT`, `OP_TIJD`) and written with one `bulk_insert`, queued after the
    actions' COPY in the same transaction (all or nothing, as with the trigger)."""
    if buiten_triggers and acties:
        bulk_insert(ActieTeller, _tellen(acties, plaatsingen), zelfde_sleutels=True)


def _rij(s: int, i: int, fase: str, maand, totaal: int, op_tijd: int) -> dict:
    return {
        "verantwoordelijk_swv_id": s,
        "instellingsschool_id": i,
        "fase": fase,
        "maand": maand,
        "totaal": totaal,
        "op_tijd": op_tijd,
    }


def _tellen(acties: list[dict], plaatsingen: list) -> list[dict]:
    """The counter rows of these actions, one per (SWV, school, phase, month), counted by
    C-level iteration over the actions (Python per action cost ~0.3 s per first import)."""
    deadlines = list(map(operator.methodcaller("get", "deadline"), acties))
    maanden = {d: d.replace(day=1) for d in set(deadlines) if d is not None}
    maanden[None] = None
    swv = map(operator.attrgetter("verantwoordelijk_swv_id"), plaatsingen)
    school = map(operator.attrgetter("instellingsschool_id"), plaatsingen)
    fasen = map(operator.itemgetter("fase"), acties)
    standaard = Actie._meta.get_field("status").get_default()
    if not any(map(operator.contains, acties, repeat("status"))) and not any(
        map(operator.contains, acties, repeat("gedaan_op"))
    ):
        # New actions as the import makes them: all of the default status, never done.
        if standaard not in _GETELD:
            return []
        aantallen = Counter(
            zip(swv, school, fasen, map(maanden.__getitem__, deadlines), strict=True)
        )
        return [_rij(s, i, f, m, n, 0) for (s, i, f, m), n in aantallen.items() if m is not None]
    # Any rows: status and gedaan_op count; gedaan_op on or before the deadline as a date in
    # the project's time zone, as the trigger and the ORM's `gedaan_op__date` take it.
    aantallen = Counter(
        zip(
            swv,
            school,
            fasen,
            deadlines,
            map(operator.methodcaller("get", "status", standaard), acties),
            map(operator.methodcaller("get", "gedaan_op"), acties),
            strict=True,
        )
    )
    zone = timezone.get_default_timezone()
    uit: dict[tuple, list[int]] = {}
    for (s, i, fase, deadline, status, gedaan_op), n in aantallen.items():
        if deadline is None or status not in _GETELD:
            continue
        r = uit.setdefault((s, i, fase, maanden[deadline]), [0, 0])
        r[0] += n
        if (
            status == ActieStatus.GEDAAN
            and gedaan_op is not None
            and timezone.localtime(gedaan_op, zone).date() <= deadline
        ):
            r[1] += n
    return [_rij(*sleutel, t, o) for sleutel, (t, o) in uit.items()]
