"""Key figures per group in one GROUP BY: per SWV for the coalition's reflection sessions
(spiegel) and per coalition for the national view. Counts only; suppression is in secties."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from .cijfers import actief_op, liep_in_periode
from .verantwoording import afgebroken_overgangen, buiten_eigen_coalitie, herplaatsing

# (key, column header) in the order the tables show them.
KERNGETALLEN = [
    ("plaatsingen", "plaatsingen"),
    ("leerlingen", "unieke leerlingen"),
    ("instroom", "instroom"),
    ("uitstroom", "uitstroom"),
    ("actief", "op de school (einde periode)"),
    ("herplaatsingen", "herplaatsingen ≤ 12 mnd"),
    ("zonder_vervolgplek", "uitstroom zonder vervolgplek"),
    ("buiten", "buiten eigen coalitie"),
    ("afgebroken", "routes afgebroken"),
]


def kerngetallen(
    qs, van: dt.date, tot: dt.date, groep_veld: str, *, overgangen: list | None = None
) -> dict[object, dict]:
    """{group value: {key: count}} for the placements of `qs` that ran in [van, tot].
    `overgangen`: `afgebroken_overgangen(qs, van, tot, groep_veld)`, if the caller has it."""
    instroom = Q(startdatum__range=(van, tot))
    uitstroom = Q(einddatum__range=(van, tot))
    rijen = (
        qs.filter(liep_in_periode(van, tot))
        .values(groep_veld)
        .annotate(
            plaatsingen=Count("pk"),
            leerlingen=Count("leerling", distinct=True),
            instroom=Count("pk", filter=instroom),
            uitstroom=Count("pk", filter=uitstroom),
            actief=Count("pk", filter=actief_op(tot)),
            herplaatsingen=Count("pk", filter=instroom & Q(herplaatsing())),
            zonder_vervolgplek=Count("pk", filter=uitstroom & Q(vervolgplek_soort="")),
            buiten=Count("pk", filter=buiten_eigen_coalitie()),
        )
        .order_by()
    )
    uit = {r.pop(groep_veld): r | {"afgebroken": 0} for r in rijen}
    if overgangen is None:
        overgangen = afgebroken_overgangen(qs, van, tot, groep_veld)
    for sleutel, _, _ in overgangen:
        uit.setdefault(sleutel, {k: 0 for k, _ in KERNGETALLEN})["afgebroken"] += 1
    return uit
