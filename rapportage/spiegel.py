"""Key figures per group in one GROUP BY: per SWV for the coalition's reflection sessions
(spiegel) and per coalition for the national view. Counts only; suppression is in secties."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from routetool.models import Transitie
from routetool.states import Fase

from .cijfers import actief_op, liep_in_periode
from .verantwoording import AFGEBROKEN_VAN, _in_scope, buiten_eigen_coalitie, herplaatsing

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


def kerngetallen(qs, van: dt.date, tot: dt.date, groep_veld: str) -> dict[object, dict]:
    """{group value: {key: count}} for the placements of `qs` that ran in [van, tot]."""
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
    afgebroken = (
        Transitie.objects.filter(
            naar=Fase.AFGESLOTEN, van__in=AFGEBROKEN_VAN, op__date__range=(van, tot)
        )
        # EXISTS (as afgebroken() does), not `plaatsing__in`: on a fresh database without
        # statistics the planner took the IN for a handful of placements and probed the
        # transitions of all 100,000 in a nested loop (~270-370 ms); now it filters the few
        # afgebroken transitions first (README Prestaties).
        .filter(_in_scope(qs))
        .values(f"plaatsing__{groep_veld}")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list(f"plaatsing__{groep_veld}", "n")
    )
    for sleutel, n in afgebroken:
        uit.setdefault(sleutel, {k: 0 for k, _ in KERNGETALLEN})["afgebroken"] = n
    return uit
