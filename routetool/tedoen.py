"""Te doen: the route actions a user must do now, per role — overdue first, then due soon.

Who acts on what comes from the action itself (`Actie.wie`, copied from the routekaart) and the
user's scope: an SWV contact person does the SWV's actions of the SWV's pupils, a school worker
the school's actions of the school's placements, the procesregisseur watches everything overdue
in the coalitions whose residential schools run the route. `ROL_WIE` is the one table to point at
the route declaration (`routetool/route.py`) once that exists.

Cost: per section one aggregate for the counts and one query for the first rows, whatever the
number of placements (`Actie` has an index on deadline; see the Te doen benchmark).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from coalitie.models import Rol
from coalitie.selectors import scope_van

from .acties import formulier_soort
from .models import Actie, ActieStatus, Wie
from .states import OPEN_FASEN, Fase
from .werkdagen import werkdagen_na

BINNENKORT_WERKDAGEN = 5
# Rows shown per section; the rest is one click away in the overview (filtered the same way).
MAX_RIJEN = 25
MAX_ORGANISATIES = 10
# Actions done with one click (no data to fill in): acknowledge and the note-only ones.
EEN_KLIK = {"bevestigen", "notitie"}

# Which route role (`Wie`) a coalition role acts as, and how its placements are found.
ROL_WIE = {
    Rol.SWV_CONTACTPERSOON: Wie.SWV,
    Rol.MEDEWERKER_INSTELLINGSSCHOOL: Wie.INSTELLINGSSCHOOL,
    Rol.PROCESREGISSEUR: Wie.PROCESREGISSEUR,
}
WIE_LABEL = {
    Wie.SWV: "SWV-contactpersoon",
    Wie.INSTELLINGSSCHOOL: "instellingsschool",
    Wie.PROCESREGISSEUR: "procesregisseur",
    # The partners (issue 17): their own deelnemer acts, or the SWV for them.
    Wie.STAMSCHOOL: "stamschool (of het SWV namens haar)",
    Wie.VERVOLGSCHOOL: "vervolgschool (of het SWV namens haar)",
    Wie.AMBULANT: "ambulant begeleider (of het SWV namens hem)",
    Wie.GI: "jeugdbescherming (of het SWV namens haar)",
    Wie.ZORGAANBIEDER: "zorgaanbieder (of het SWV namens haar)",
}


@dataclass
class Sectie:
    sleutel: str
    titel: str
    leeg: str  # what "nothing to do" means here
    rijen: list = field(default_factory=list)
    te_laat: int = 0
    binnenkort: int = 0
    meer_url: str = ""
    bulk: str = ""  # "bevestigen" | "regie" | "" — which bulk form the section gets
    # Procesregisseur: who to chase, (organisation, count, overview link) most overdue first.
    per_organisatie: list = field(default_factory=list)

    @property
    def aantal(self) -> int:
        return self.te_laat + self.binnenkort


def horizon(vandaag: dt.date) -> dt.date:
    return werkdagen_na(vandaag, BINNENKORT_WERKDAGEN)


def open_acties():
    """Open actions of the current phase of open, non-historical placements, with a deadline."""
    return Actie.objects.filter(
        status=ActieStatus.OPEN,
        deadline__isnull=False,
        fase=F("plaatsing__fase"),
        plaatsing__fase__in=OPEN_FASEN,
        plaatsing__historisch=False,
    )


_LICHT = (
    "pk",
    "code",
    "wie",
    "deadline",
    "plaatsing_id",
    "plaatsing__verantwoordelijk_swv_id",
    "plaatsing__instellingsschool_id",
)


@dataclass(frozen=True)
class _Licht:
    pk: int
    code: str
    wie: str
    deadline: dt.date
    plaatsing_id: int
    swv_id: int
    school_id: int


def _licht(qs) -> list[_Licht]:
    """ONE scan for a whole role: narrow rows, split, counted and cut to the first rows here
    (several COUNT and ORDER BY queries over the same join cost a scan each)."""
    return [_Licht(*r) for r in qs.order_by().values_list(*_LICHT)]


def _vullen(secties: list[tuple[Sectie, list[_Licht]]], vandaag: dt.date) -> list[Sectie]:
    """Counts and the first MAX_RIJEN rows per section; the rows of all sections in one query."""
    eerste: dict[str, list[int]] = {}
    for sectie, rijen in secties:
        sectie.te_laat = sum(1 for r in rijen if r.deadline < vandaag)
        sectie.binnenkort = len(rijen) - sectie.te_laat
        top = heapq.nsmallest(MAX_RIJEN, rijen, key=lambda r: (r.deadline, r.plaatsing_id, r.pk))
        eerste[sectie.sleutel] = [r.pk for r in top]
    alle = [pk for pks in eerste.values() for pk in pks]
    per_pk = {}
    if alle:
        per_pk = Actie.objects.select_related(
            "plaatsing__leerling",
            "plaatsing__instellingsschool",
            "plaatsing__verantwoordelijk_swv",
        ).in_bulk(alle)
    # One reverse() for all rows: a page of 75 rows spent more time resolving URLs than in SQL.
    detail = reverse("plaatsingen:detail", args=[0]).removesuffix("0/")
    for sectie, _ in secties:
        sectie.rijen = [per_pk[pk] for pk in eerste[sectie.sleutel] if pk in per_pk]
        for a in sectie.rijen:
            a.detail_url = f"{detail}{a.plaatsing_id}/"
            a.dagen_te_laat = max((vandaag - a.deadline).days, 0)
            a.is_te_laat = a.deadline < vandaag
            a.een_klik = formulier_soort(a.code) in EEN_KLIK
            a.is_bevestigen = formulier_soort(a.code) == "bevestigen"
    return [sectie for sectie, _ in secties]


def swv_secties(user, vandaag: dt.date | None = None) -> list[Sectie]:
    from . import route as rk

    vandaag = vandaag or timezone.localdate()
    scope = scope_van(user)
    if not scope.swv_ids:
        return []
    rijen = _licht(
        open_acties()
        .filter(
            wie__in=[Wie.SWV, *rk.PARTNER_ROLLEN],
            plaatsing__verantwoordelijk_swv_id__in=scope.swv_ids,
            deadline__lte=horizon(vandaag),
        )
        # Issue 17: a placement with a casusregisseur is theirs; without one, every contact's.
        .filter(
            Q(plaatsing__casusregisseur_id__isnull=True) | Q(plaatsing__casusregisseur_id=user.pk)
        )
    )
    partners = [r for r in rijen if r.wie in rk.PARTNER_ROLLEN]
    rijen = [r for r in rijen if r.wie not in rk.PARTNER_ROLLEN]
    bevestigen = Sectie(
        "swv-bevestigen",
        "Nieuwe plaatsingen bevestigen",
        "Geen nieuwe plaatsingen die op uw bevestiging wachten: elke nieuwe plaatsing van "
        "uw SWV is bevestigd.",
        bulk="bevestigen",
    )
    overig = Sectie(
        "swv-acties",
        "Acties voor uw SWV",
        "Geen acties van uw SWV die te laat zijn of binnen 5 werkdagen moeten: stamschool, "
        "vervolgplek en nazorg zijn bij.",
    )
    # The SWV may do these for a partner that is not in the app (route.mag_actie_doen); a
    # partner that is, does them itself, so they are shown apart, to chase or to do.
    ketenpartners = Sectie(
        "swv-partners",
        "Acties van ketenpartners van uw leerlingen",
        "Geen acties van stamschool, vervolgschool of ambulant begeleider die te laat zijn of "
        "binnen 5 werkdagen moeten.",
    )
    secties = _vullen(
        [
            (bevestigen, [r for r in rijen if r.code == rk.BEVESTIGD]),
            (overig, [r for r in rijen if r.code != rk.BEVESTIGD]),
            (ketenpartners, partners),
        ],
        vandaag,
    )
    for a in ketenpartners.rijen:
        a.namens = rk.namens_tekst(a)
    return secties


def school_secties(user, vandaag: dt.date | None = None) -> list[Sectie]:
    vandaag = vandaag or timezone.localdate()
    scope = scope_van(user)
    if not scope.instellingsschool_ids:
        return []
    rijen = _licht(
        open_acties().filter(
            wie=Wie.INSTELLINGSSCHOOL,
            plaatsing__instellingsschool_id__in=scope.instellingsschool_ids,
            deadline__lte=horizon(vandaag),
        )
    )
    sectie = Sectie(
        "school-acties",
        "Acties voor uw school",
        "Geen acties van uw school die te laat zijn of binnen 5 werkdagen moeten: "
        "onderwijsgegevens, OPP, startgesprek en warme overdracht zijn bij.",
    )
    return _vullen([(sectie, rijen)], vandaag)


def uitschrijvingen(user, vandaag: dt.date | None = None):
    """Placements of the user's schools whose (expected) end has come without an uitschrijving:
    the school records the date the pupil left."""
    from plaatsingen.models import Plaatsing

    vandaag = vandaag or timezone.localdate()
    scope = scope_van(user)
    if not scope.instellingsschool_ids:
        return None
    qs = Plaatsing.objects.filter(
        instellingsschool_id__in=scope.instellingsschool_ids,
        fase__in=OPEN_FASEN,
        historisch=False,
        einddatum__isnull=True,
    ).filter(Q(fase=Fase.UITSTROOM) | Q(verwachte_uitstroomdatum__lte=horizon(vandaag)))
    rijen = list(
        qs.select_related("leerling", "verantwoordelijk_swv").order_by(
            F("verwachte_uitstroomdatum").asc(nulls_last=True), "pk"
        )[:MAX_RIJEN]
    )
    return rijen, qs.count() if len(rijen) == MAX_RIJEN else len(rijen)


def regie_secties(user, vandaag: dt.date | None = None) -> list[Sectie]:
    """Everything overdue in the procesregisseur's coalitions, one section per who must act,
    each with the organisations to chase (most overdue actions first)."""
    from coalitie.models import Instellingsschool, Samenwerkingsverband

    vandaag = vandaag or timezone.localdate()
    scope = scope_van(user)
    basis = open_acties().filter(deadline__lt=vandaag)
    if not scope.is_superuser:
        coalities = scope.coalities(Rol.PROCESREGISSEUR)
        if not coalities:
            return []
        basis = basis.filter(plaatsing__instellingsschool__coalitie_id__in=coalities)
    rijen = _licht(basis)
    per_wie = defaultdict(list)
    for r in rijen:
        per_wie[r.wie].append(r)
    # The partners' overdue actions are chased through the SWV (who may do them for them).
    from . import route as rk

    for r in rijen:
        if r.wie in rk.PARTNER_ROLLEN:
            per_wie["partners"].append(r)
    jagen = {
        Wie.SWV: (lambda r: r.swv_id, "swv"),
        Wie.INSTELLINGSSCHOOL: (lambda r: r.school_id, "school"),
        "partners": (lambda r: r.swv_id, "swv"),
    }
    tellingen = {
        wie: Counter(sleutel(r) for r in per_wie[wie]).most_common(MAX_ORGANISATIES)
        for wie, (sleutel, _) in jagen.items()
    }
    swvs = Samenwerkingsverband.objects.in_bulk(
        [pk for pk, _ in tellingen[Wie.SWV] + tellingen["partners"]]
    )
    scholen = Instellingsschool.objects.in_bulk([pk for pk, _ in tellingen[Wie.INSTELLINGSSCHOOL]])
    secties = []
    for wie, titel, jaag in [
        (Wie.SWV, "Te laat bij een SWV", "het SWV"),
        (Wie.INSTELLINGSSCHOOL, "Te laat bij een instellingsschool", "de school"),
        (Wie.PROCESREGISSEUR, "Te laat bij de procesregisseur", "u"),
        ("partners", "Te laat bij een ketenpartner (via het SWV)", "de ketenpartners"),
    ]:
        if wie == Wie.PROCESREGISSEUR and not per_wie[wie]:
            continue  # the default routekaart has no actions of its own for the procesregisseur
        per_organisatie = []
        if wie in jagen:
            param = jagen[wie][1]
            for pk, aantal in tellingen[wie]:
                org = swvs[pk] if param == "swv" else scholen[pk]
                naam = f"{org.code} {org.naam}" if param == "swv" else org.naam
                filter_wie = f"wie={wie}&" if wie != "partners" else ""
                url = f"?{filter_wie}termijn=te_laat&{param}={pk}&sorteer=-dagen_te_laat"
                per_organisatie.append((naam, aantal, url))
        wie_tekst = WIE_LABEL.get(wie, "stamschool, vervolgschool en ambulant begeleider")
        filter_wie = f"wie={wie}&" if wie != "partners" else ""
        sectie = Sectie(
            f"regie-{wie}",
            titel,
            f"Niets te laat bij {jaag}: alle acties van {wie_tekst} in uw coalitie zijn op tijd.",
            meer_url=f"?{filter_wie}termijn=te_laat&sorteer=-dagen_te_laat",
            bulk="regie",
            per_organisatie=per_organisatie,
        )
        secties.append((sectie, per_wie[wie]))
    return _vullen(secties, vandaag)
