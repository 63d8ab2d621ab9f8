"""Search on pupils as people type them: "van 't Hof", "Julia van 't Hof", "julia hof", "4100".

Every word typed must occur in the pupil's `zoeknaam` (roepnaam, tussenvoegsel, achternaam and
leerlingnummer in lower case, kept by the database). Case, the order of the words and a
missing tussenvoegsel do not matter; a part of a number matches. On PostgreSQL a trigram index
serves the `LIKE '%…%'`; words are lower-cased here so the query needs no LOWER() on the column.
"""

from __future__ import annotations

from django.db.models import Q

# Typographic apostrophes (from a phone keyboard or a copied name) count as the plain one.
_APOSTROFS = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})
MAX_WOORDEN = 6


def zoekwoorden(tekst: str) -> list[str]:
    woorden = (tekst or "").translate(_APOSTROFS).lower().split()
    return list(dict.fromkeys(woorden))[:MAX_WOORDEN]


def zoek_q(tekst: str, prefix: str = "leerling__") -> Q:
    """The condition for a Plaatsing (prefix "leerling__") or Leerling (prefix "") queryset."""
    q = Q()
    for woord in zoekwoorden(tekst):
        # `contains` on an already lower-cased column: a plain LIKE the trigram index serves.
        q &= Q(**{f"{prefix}zoeknaam__contains": woord})
    return q
