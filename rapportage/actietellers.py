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

from dateutil.relativedelta import relativedelta
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

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
