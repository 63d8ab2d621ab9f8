"""A coalition's targets (streefwaarden) against the actual figures, per half year.

Each goal is a share: a numerator and a denominator counted by the database for one half year
(the part of it inside the monitor's period). A fixed number of queries per goal and half year,
whatever the number of placements.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q

from routetool import route as rk
from routetool.models import Actie, ActieStatus, NazorgAntwoord

from .cijfers import acties_op_tijd
from .models import Doel, DoelSoort
from .verantwoording import _in_scope, stamschool_betrokken

UITLEG = {
    DoelSoort.VERVOLGPLEK_VOOR_UITSTROOM: "van de plaatsingen die in de periode eindigden: met "
    "een vastgelegde vervolgplek",
    DoelSoort.GEEN_THUISZITTER_3M: "van de nazorg na 3 maanden die in de periode is vastgelegd: "
    "de leerling gaat (helemaal of deels) naar de vervolgplek",
    DoelSoort.BEVESTIGD_5_WERKDAGEN: "van de bevestigingen met een termijn in de periode: op "
    "tijd bevestigd door het SWV",
    DoelSoort.STAMSCHOOL_VANAF_INSTROOM: "van de plaatsingen die in de periode begonnen (met "
    "een stamschool): stamschool betrokken in de instroom",
    DoelSoort.ACTIES_OP_TIJD: "van alle acties met een termijn in de periode: op tijd afgerond",
}


@dataclass(frozen=True)
class Meting:
    teller: int
    noemer: int

    @property
    def procent(self) -> int | None:
        return round(100 * self.teller / self.noemer) if self.noemer else None


def halfjaren(van: dt.date, tot: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """The half years (jan-jun, jul-dec) that overlap [van, tot], clipped to it."""
    uit = []
    jaar, helft = van.year, 0 if van.month <= 6 else 1
    while True:
        begin = dt.date(jaar, 1 + 6 * helft, 1)
        eind = dt.date(jaar, 6, 30) if helft == 0 else dt.date(jaar, 12, 31)
        if begin > tot:
            return uit
        label = f"{'1e' if helft == 0 else '2e'} helft {jaar}"
        uit.append((label, max(begin, van), min(eind, tot)))
        jaar, helft = (jaar, 1) if helft == 0 else (jaar + 1, 0)


def _termijn_gehaald(qs, code: str, van, tot) -> Meting:
    r = (
        Actie.objects.filter(
            code=code,
            deadline__range=(van, tot),
            status__in=[ActieStatus.OPEN, ActieStatus.GEDAAN],
        )
        .filter(_in_scope(qs))
        .aggregate(
            noemer=Count("pk"),
            teller=Count(
                "pk", filter=Q(status=ActieStatus.GEDAAN, gedaan_op__date__lte=F("deadline"))
            ),
        )
    )
    return Meting(r["teller"], r["noemer"])


def meten(soort: str, qs, van: dt.date, tot: dt.date, vandaag: dt.date) -> Meting:
    eind = min(tot, vandaag)
    if soort == DoelSoort.VERVOLGPLEK_VOOR_UITSTROOM:
        r = qs.filter(einddatum__range=(van, tot)).aggregate(
            noemer=Count("pk"), teller=Count("pk", filter=~Q(vervolgplek_soort=""))
        )
    elif soort == DoelSoort.GEEN_THUISZITTER_3M:
        r = (
            Actie.objects.filter(
                code=rk.NAZORG_3M, status=ActieStatus.GEDAAN, gedaan_op__date__range=(van, tot)
            )
            .filter(_in_scope(qs))
            .aggregate(
                noemer=Count("pk"),
                teller=Count("pk", filter=~Q(nazorg_antwoord=NazorgAntwoord.NEE)),
            )
        )
    elif soort == DoelSoort.BEVESTIGD_5_WERKDAGEN:
        return _termijn_gehaald(qs, rk.BEVESTIGD, van, eind)
    elif soort == DoelSoort.STAMSCHOOL_VANAF_INSTROOM:
        r = qs.filter(startdatum__range=(van, tot), geen_stamschool=False).aggregate(
            noemer=Count("pk"), teller=Count("pk", filter=stamschool_betrokken())
        )
    elif soort == DoelSoort.ACTIES_OP_TIJD:
        fasen = acties_op_tijd(qs, van, tot, vandaag)
        return Meting(sum(f["op_tijd"] for f in fasen), sum(f["totaal"] for f in fasen))
    else:  # pragma: no cover - choices are closed
        raise ValueError(soort)
    return Meting(r["teller"], r["noemer"])


def doelen_cijfers(coalitie, qs, van: dt.date, tot: dt.date, vandaag: dt.date) -> dict:
    """The coalition's goals with, per half year of the period, the actual share."""
    perioden = halfjaren(van, tot)
    doelen = list(Doel.objects.filter(coalitie=coalitie).order_by("soort")) if coalitie else []
    return {
        "perioden": [label for label, _, _ in perioden],
        "doelen": [
            {
                "soort": d.get_soort_display(),
                "uitleg": UITLEG[d.soort],
                "streefwaarde": d.streefwaarde,
                "metingen": [meten(d.soort, qs, b, e, vandaag) for _, b, e in perioden],
            }
            for d in doelen
        ],
    }
