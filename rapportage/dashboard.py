"""The dashboard's figures: `cijfers.alle_cijfers` for a user's scope, cached for a while."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from coalitie.selectors import scope_van

from . import actietellers
from .cijfers import alle_cijfers, basis, open_signalen_en_routes, peildata_van, periode_cijfers_pg
from .gelijktijdig import tegelijk

# The dashboard keeps its figures this long: over 100,000 placements they take ~0.2 s to
# compute (README, Prestaties), and nobody needs them fresher than a couple of minutes.
DASHBOARD_CACHE_SECONDEN = 120


def dashboard_cijfers(
    user, swv_ids, van: dt.date, vandaag: dt.date, *, tot: dt.date | None = None
) -> dict:
    """`alle_cijfers` for the dashboard over [van, tot] (default: up to today), cached per
    scope (not per person: the same roles see the same figures), SWV choice and period, for
    DASHBOARD_CACHE_SECONDEN."""
    tot = tot or vandaag
    scope = scope_van(user)
    deel = repr(
        (
            scope.is_superuser,
            sorted(scope.swv_ids),
            sorted(scope.instellingsschool_ids),
            sorted((rol, sorted(ids)) for rol, ids in scope.coalitie_ids_per_rol.items()),
            sorted(swv_ids or []),
            van.isoformat(),
            tot.isoformat(),
            vandaag.isoformat(),
        )
    )
    sleutel = "rapportage:dashboard:" + hashlib.sha256(deel.encode()).hexdigest()
    cijfers = cache.get(sleutel)
    if cijfers is None:
        cijfers = _berekenen(user, swv_ids, van, tot, vandaag)
        cijfers["berekend_op"] = timezone.now()
        cache.set(sleutel, cijfers, DASHBOARD_CACHE_SECONDEN)
    return cijfers


# The period query takes about as long as everything else together (README Prestaties): on a
# second connection the counters and the signals run meanwhile (gelijktijdig.py, one snapshot).
DASHBOARD_EXTRA_VERBINDINGEN = 1


def _berekenen(user, swv_ids, van: dt.date, tot: dt.date, vandaag: dt.date) -> dict:
    """`alle_cijfers` for the dashboard (tests/test_actietellers.py holds them equal), its
    "acties op tijd" from the kept counters (rapportage.actietellers, same figures) and the
    open routes beside "now at a school": they differ (nazorg after uitschrijving, a
    registration before the start). On PostgreSQL the period query runs on its own connection
    while the counters and the signals are counted."""
    qs = basis(user, swv_ids)

    def acties_tellen(qs, van, tot, vandaag):
        return actietellers.acties_op_tijd(user, swv_ids, qs, van, tot, vandaag)

    if connection.vendor != "postgresql":
        return alle_cijfers(qs, van, tot, vandaag, acties_tellen=acties_tellen, open_routes=True)

    def rest() -> dict:
        signalen, open_routes = open_signalen_en_routes(qs, vandaag)
        acties = acties_tellen(qs, van, tot, vandaag)
        return {"acties": acties, "signalen": signalen, "open_routes": open_routes}

    peildata = peildata_van(van, tot, vandaag)
    uit = tegelijk(
        {
            "periode": lambda: periode_cijfers_pg(qs, van, tot, peildata, uitstroom=True),
            "rest": rest,
        },
        extra=DASHBOARD_EXTRA_VERBINDINGEN,
    )
    cijfers = {"van": van, "tot": tot, "vandaag": vandaag} | uit["periode"]
    cijfers["actief_nu"] = cijfers["peildata"][-1][1]
    return cijfers | uit["rest"]
