"""The dashboard's figures: `cijfers.alle_cijfers` for a user's scope, cached for a while."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.cache import cache
from django.utils import timezone

from coalitie.selectors import scope_van

from . import actietellers
from .cijfers import alle_cijfers, basis

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
        qs = basis(user, swv_ids)
        cijfers = alle_cijfers(
            qs,
            van,
            tot,
            vandaag,
            # "Acties op tijd" from the kept counters (rapportage.actietellers), same figures.
            acties_tellen=lambda qs, van, tot, vandaag: actietellers.acties_op_tijd(
                user, swv_ids, qs, van, tot, vandaag
            ),
            # Beside "now at a school" the page names the open routes too, each with what it
            # counts: they differ (nazorg after uitschrijving, a registration before the start).
            open_routes=True,
        )
        cijfers["berekend_op"] = timezone.now()
        cache.set(sleutel, cijfers, DASHBOARD_CACHE_SECONDEN)
    return cijfers
