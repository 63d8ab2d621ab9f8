"""The national view (VO-raad, OCW): per coalition the same figures as the coalitiemonitor,
always suppressed (counts 1-4 as `<5`, secondary suppression of totals), never a pupil.

The placements of a coalition are those of its SWVs' pupils, as in its own monitor, so the
national figures of a coalition equal those of the monitor its penvoerder downloads.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from coalitie.models import Coalitie
from plaatsingen.models import Plaatsing

from .cijfers import alle_cijfers
from .doelen import doelen_cijfers
from .secties import pdf_rijen, secties
from .secties_verantwoording import spiegel_sectie
from .spiegel import kerngetallen


def _plaatsingen():
    return Plaatsing.objects.order_by()


def overzicht_sectie(van: dt.date, tot: dt.date) -> tuple[list[Coalitie], dict]:
    """Key figures per coalition in two queries (one GROUP BY, one for afgebroken)."""
    coalities = list(Coalitie.objects.order_by("naam"))
    per_id = kerngetallen(_plaatsingen(), van, tot, "verantwoordelijk_swv__coalitie_id")
    per_naam = {c.naam: per_id[c.pk] for c in coalities if c.pk in per_id}
    sectie = spiegel_sectie(
        per_naam,
        [c.naam for c in coalities],
        onderdrukken=True,
        titel="Kerncijfers per onderwijscoalitie",
        uitleg="Plaatsingen van leerlingen van de samenwerkingsverbanden van elke coalitie die "
        "in de periode op enige dag op een instellingsschool liepen. Aantallen van 1 tot en met "
        "4 staan er als <5; een kolomtotaal staat er als x zodra één cel van de kolom <5 is.",
        kolom="coalitie",
        sleutel="landelijk",
    )
    pdf_rijen(sectie)  # built outside secties(), which does this for its own sections
    return coalities, sectie


def coalitie_secties(coalitie: Coalitie, van: dt.date, tot: dt.date, vandaag=None) -> list[dict]:
    vandaag = vandaag or timezone.localdate()
    swvs = list(coalitie.swvs.order_by("code"))
    qs = _plaatsingen().filter(verantwoordelijk_swv__in=swvs)
    c = alle_cijfers(qs, van, tot, vandaag, verantwoording=True)
    c["doelen"] = doelen_cijfers(coalitie, qs, van, tot, vandaag)
    c["spiegel"] = kerngetallen(qs, van, tot, "verantwoordelijk_swv__code")
    c["spiegel_swvs"] = [s.code for s in swvs]
    return secties(c, onderdrukken=True, landelijk=True)
