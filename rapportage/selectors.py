"""Reads for the monthly lists: which placements belong on a list, and who may see which list."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, CharField, Q, Value, When
from django.http import Http404

from coalitie.models import COALITIE_ROLLEN
from coalitie.selectors import scope_van
from plaatsingen.models import Plaatsing
from plaatsingen.selectors import PlaatsingQuerySet
from routetool.selectors import SIGNALEN, fase_tekst, met_afgebroken, met_signalen


def eerste_dag(maand: dt.date) -> dt.date:
    return maand.replace(day=1)


def laatste_dag(maand: dt.date) -> dt.date:
    return maand.replace(day=calendar.monthrange(maand.year, maand.month)[1])


def vorige_maand(vandaag: dt.date) -> dt.date:
    return (vandaag.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def maand_uit_tekst(tekst: str) -> dt.date:
    """'2025-10' -> date(2025, 10, 1); ValueError for anything else."""
    return dt.datetime.strptime(tekst, "%Y-%m").date()


class ActieTellerQuerySet(models.QuerySet):
    # The counters carry the placement's SWV and school under the placement's own column
    # names, so the placements' visibility rule applies to them as it is, not restated; a rule
    # that came to need another column of the placement would fail here loudly, not leak.
    zichtbaar_voor = PlaatsingQuerySet.zichtbaar_voor


class MaandlijstQuerySet(models.QuerySet):
    def zichtbaar_voor(self, user):
        """An SWV's contact persons see its lists; the coalition roles see every SWV's list of
        their coalition. A coalition whose school took the pupil does not get the SWV's list."""
        scope = scope_van(user)
        if scope.is_superuser:
            return self.all()
        return self.filter(
            Q(swv_id__in=scope.swv_ids) | Q(swv__coalitie_id__in=scope.coalities(*COALITIE_ROLLEN))
        )


def get_maandlijst_for_user(user, pk):
    from .models import Maandlijst

    try:
        return Maandlijst.objects.zichtbaar_voor(user).select_related("swv__coalitie").get(pk=pk)
    except (Maandlijst.DoesNotExist, ValueError, TypeError):
        raise Http404("Deze maandlijst bestaat niet of u heeft er geen toegang toe.") from None


# --- What goes on a list --------------------------------------------------------------------


def maandlijst_plaatsingen(*, swv, maand: dt.date):
    """Every placement the SWV is responsible for that ran on any day of `maand`, wherever the
    school is (the SWV counts, not the school's coalition). One query, signals computed in SQL."""
    return _maandselectie(Q(verantwoordelijk_swv=swv), maand)


def _liep_in(maand: dt.date) -> Q:
    eerste, laatste = eerste_dag(maand), laatste_dag(maand)
    return Q(startdatum__lte=laatste) & (Q(einddatum__isnull=True) | Q(einddatum__gte=eerste))


def swv_ids_met_leerlingen(maand: dt.date) -> set[int]:
    """The SWVs whose list of `maand` is not empty (the monthly job batches the others)."""
    return set(
        Plaatsing.objects.filter(_liep_in(maand))
        .order_by()
        .values_list("verantwoordelijk_swv_id", flat=True)
        .distinct()
    )


def _maandselectie(voor_swv: Q, maand: dt.date, *volgorde: str):
    eerste, laatste = eerste_dag(maand), laatste_dag(maand)
    qs = (
        Plaatsing.objects.filter(voor_swv, _liep_in(maand))
        .select_related("leerling", "instellingsschool", "locatie", "stamschool", "vervolgschool")
        .annotate(
            maandstatus=Case(
                When(einddatum__lte=laatste, then=Value("beëindigd")),
                When(startdatum__gte=eerste, then=Value("nieuw")),
                default=Value("lopend"),
                output_field=CharField(),
            )
        )
        .annotate(
            # The list reads new first, then ongoing, then ended; by name within each.
            maandvolgorde=Case(
                When(einddatum__lte=laatste, then=Value(2)),
                When(startdatum__gte=eerste, then=Value(0)),
                default=Value(1),
                output_field=models.IntegerField(),
            )
        )
        .order_by(
            *volgorde,
            "maandvolgorde",
            "leerling__achternaam",
            "leerling__roepnaam",
            "startdatum",
            "pk",
        )
    )
    return met_afgebroken(met_signalen(qs))


@dataclass(frozen=True)
class Regel:
    naam: str
    leerlingnummer: str
    geboortedatum: dt.date | None
    school: str
    locatie: str
    startdatum: dt.date
    einddatum: dt.date | None
    status: str
    fase: str
    stamschool: str
    vervolgplek: str
    signalen: str
    afgebroken: bool = False  # the route was afgebroken (its fase says so, with the reason)


KOLOMMEN = [
    ("naam", "Leerling"),
    ("leerlingnummer", "Leerlingnummer"),
    ("geboortedatum", "Geboortedatum"),
    ("school", "Instellingsschool"),
    ("locatie", "Locatie"),
    ("startdatum", "Startdatum"),
    ("einddatum", "Einddatum"),
    ("status", "Status in de maand"),
    ("fase", "Fase"),
    ("stamschool", "Stamschool"),
    ("vervolgplek", "Vervolgplek"),
    ("signalen", "Open signalen"),
]
MAANDSTATUSSEN = ("nieuw", "lopend", "beëindigd")


def _stamschool(p) -> str:
    if p.stamschool:
        return f"{p.stamschool.naam} ({p.stamschool.brin})"
    return "geen stamschool" if p.geen_stamschool else "onbekend"


def _vervolgplek(p) -> str:
    if p.vervolgschool:
        return f"{p.vervolgschool.naam} ({p.vervolgschool.brin})"
    delen = [p.get_vervolgplek_soort_display() if p.vervolgplek_soort else ""]
    delen.append(p.vervolgplek_omschrijving)
    return " — ".join(d for d in delen if d)


def _regel(p) -> Regel:
    return Regel(
        naam=p.leerling.volledige_naam,
        leerlingnummer=p.leerling.leerlingnummer,
        geboortedatum=p.leerling.geboortedatum,
        school=p.instellingsschool.naam,
        locatie=p.locatie.naam if p.locatie else "",
        startdatum=p.startdatum,
        einddatum=p.einddatum,
        status=p.maandstatus,
        fase=fase_tekst(p),
        stamschool=_stamschool(p),
        vervolgplek=_vervolgplek(p),
        signalen=", ".join(label for key, label in SIGNALEN if getattr(p, f"signaal_{key}")),
        afgebroken=p.afgebroken_reden is not None,
    )


def maandlijst_regels(*, swv, maand: dt.date) -> list[Regel]:
    return [_regel(p) for p in maandlijst_plaatsingen(swv=swv, maand=maand)]


def maandlijst_regels_per_swv(*, swv_ids: list[int], maand: dt.date) -> dict[int, list[Regel]]:
    """The rows of many SWVs' lists of `maand` in one query (the monthly run of all 76), each
    SWV's rows in the same order as `maandlijst_regels`; an SWV without rows gets []."""
    regels: dict[int, list[Regel]] = {swv_id: [] for swv_id in swv_ids}
    selectie = _maandselectie(
        Q(verantwoordelijk_swv_id__in=swv_ids), maand, "verantwoordelijk_swv_id"
    )
    for p in selectie:
        regels[p.verantwoordelijk_swv_id].append(_regel(p))
    return regels


def totalen(regels: list[Regel]) -> dict[str, int]:
    per_status = Counter(r.status for r in regels)
    return {
        "totaal": len(regels),
        "nieuw": per_status["nieuw"],
        "lopend": per_status["lopend"],
        "beeindigd": per_status["beëindigd"],
        "afgebroken": sum(1 for r in regels if r.afgebroken),
        "met_signaal": sum(1 for r in regels if r.signalen),
    }


# --- Overview pages -------------------------------------------------------------------------


def overzicht_coalitie(*, coalitie, maand: dt.date):
    """Every SWV of the coalition with its list of `maand` (or None): two queries."""
    from .models import Maandlijst

    lijsten = {
        m.swv_id: m
        for m in Maandlijst.objects.filter(swv__coalitie=coalitie, maand=eerste_dag(maand))
        .prefetch_related("logs")
        .select_related("swv")
    }
    return [(swv, lijsten.get(swv.pk)) for swv in coalitie.swvs.order_by("code")]
