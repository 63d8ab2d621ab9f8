"""Demo only: walk the imported demo placements forward so the first screen looks like a coalition
a few months into using the routetool, not like 200 placements that all just arrived.

Every step goes through the real route services (so guards and the timeline hold); afterwards
the timestamps of those steps are moved back to plausible dates, because the services stamp
"now". Not used outside `seed_demo`.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from plaatsingen.models import Plaatsing
from routetool import route as rk
from routetool.models import Actie, ActieStatus, Transitie
from routetool.services import RouteFout, actie_afronden, transitie_uitvoeren
from routetool.states import Fase

NIEUW_DAGEN = 35  # placements younger than this stay in instroom (some unacknowledged)
PERSPECTIEF_NA_DAGEN = 60
# Of the placements older than NIEUW_DAGEN, a few younger than this stay in instroom as the
# procesregisseur's work list (older ones kept there read "321 dagen te laat").
WERKLIJST_DAGEN = 120


# The demo's choices ("every fourth", "one in six") go by a row's number within the demo, not by
# its raw primary key: the suite's sequences do not restart between tests, and the demo must come
# out the same there as on a fresh `make run` (where the two are equal).
_EERSTE = {"plaatsing": 1, "actie": 1}


def _tellen_vanaf_begin() -> None:
    for sleutel, model in (("plaatsing", Plaatsing), ("actie", Actie)):
        _EERSTE[sleutel] = model.objects.order_by("pk").values_list("pk", flat=True).first() or 1


def _nr(rij: Plaatsing | Actie) -> int:
    return rij.pk - _EERSTE["plaatsing" if isinstance(rij, Plaatsing) else "actie"] + 1


def _als_datum(dag: dt.date, uur: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dag, dt.time(uur, 0)))


AFGEHANDELD_NA_DAGEN = 100  # ended longer ago than this: the route has run its course
# Ended between this and AFGEHANDELD_NA_DAGEN ago: most have their uitstroom done and are in
# nazorg; a third is still in uitstroom (the procesregisseur's list of what runs late).
RECENT_NA_DAGEN = 21
VERVOLG_PER_REDEN = {
    "mbo": "mbo",
    "arbeid": "arbeid",
    "dagbesteding": "dagbesteding",
}


def _vervolgplek(plaatsing: Plaatsing) -> dict | None:
    # Most start within a week, some the same day, some weeks later (the monitor's wachttijd).
    start = plaatsing.einddatum + dt.timedelta(days=(3, 0, 5, 12, 2, 24, 7)[_nr(plaatsing) % 7])
    if plaatsing.vervolgschool_id:
        return {
            "vervolgplek_soort": "school",
            "vervolgschool": plaatsing.vervolgschool,
            "vervolgplek_startdatum": start,
        }
    if plaatsing.reden_uitschrijving == "terug naar stamschool" and plaatsing.stamschool_id:
        return {
            "vervolgplek_soort": "school",
            "vervolgschool": plaatsing.stamschool,
            "vervolgplek_startdatum": start,
        }
    if soort := VERVOLG_PER_REDEN.get(plaatsing.reden_uitschrijving):
        return {"vervolgplek_soort": soort, "vervolgplek_startdatum": start}
    geleden = (timezone.localdate() - plaatsing.einddatum).days
    if geleden > AFGEHANDELD_NA_DAGEN and _nr(plaatsing) % 4:
        # Unknown at the uitschrijving, found weeks later by the SWV: so most older ones. Every
        # fourth stays open, a thuiszitter the procesregisseur chases (without this a year of
        # them piled up: the school's Te doen listed 51 overdue, most over 200 days).
        return {
            "vervolgplek_soort": ("mbo", "dagbesteding", "arbeid")[_nr(plaatsing) % 3],
            "vervolgplek_startdatum": plaatsing.einddatum
            + dt.timedelta(days=21 + _nr(plaatsing) % 4 * 7),
        }
    return None


def _gegevens(actie: Actie, plaatsing: Plaatsing) -> dict:
    if actie.code == rk.STAMSCHOOL:
        if plaatsing.stamschool_id:
            return {"stamschool": plaatsing.stamschool, "contact_naam": "zorgcoördinator"}
        return {"geen_stamschool": True}
    if actie.code == rk.STAMSCHOOL_BEVESTIGT:  # the stamschool's own answer
        return {
            "contact_naam": "zorgcoördinator",
            "contact_telefoon": "010 000 0000",
            "blijft_ingeschreven": "ja",
        }
    if actie.code == rk.OVEREENKOMST:
        return {"ondertekend_op": plaatsing.startdatum, "ondertekend_door": "beide directeuren"}
    if actie.code in (rk.VERVOLGPLEK, rk.VERVOLGPLEK_IN_BEELD):
        return _vervolgplek(plaatsing) or {}
    if actie.code == rk.AMBULANT:
        return {"uren_gepland": 20, "uren_gebruikt": 20 - _nr(plaatsing) % 4 * 3}
    if actie.code == rk.OVERDRACHT_GEACCEPTEERD:
        return {"geaccepteerd": True}
    if actie.code == rk.INSCHRIJVING_BEVESTIGD:  # on the day the vervolgplek starts
        return {"ingeschreven_per": (_vervolgplek(plaatsing) or {}).get("vervolgplek_startdatum")}
    if actie.code in (rk.NAZORG_6W, rk.NAZORG_3M):
        # Mostly "ja", some "deels" and "nee" (a thuiszitrisico), as a coalition sees them.
        return {
            "nazorg_antwoord": "nee"
            if _nr(plaatsing) % 9 == 0
            else "deels"
            if _nr(plaatsing) % 5 == 0
            else "ja"
        }
    return {}


def _fase_afronden(plaatsing: Plaatsing, fase: str, door, naar: str, op: dt.date) -> None:
    """Complete the phase's open actions, back-date them, and move on to `naar` at `op`."""
    for actie in plaatsing.acties.filter(fase=fase, status=ActieStatus.OPEN).order_by("volgorde"):
        actie_afronden(actie_id=actie.pk, door=door, gegevens=_gegevens(actie, plaatsing))
        # Most on time (by the deadline), one in six only when the phase is closed: late.
        gedaan = op if actie.deadline is None or _nr(actie) % 6 == 0 else min(op, actie.deadline)
        Actie.objects.filter(pk=actie.pk).update(gedaan_op=_als_datum(gedaan, 10))
    plaatsing.refresh_from_db()
    transitie_uitvoeren(plaatsing_id=plaatsing.pk, naar=naar, door=door, versie=plaatsing.versie)
    Transitie.objects.filter(plaatsing=plaatsing, naar=naar).update(op=_als_datum(op, 14))
    Plaatsing.objects.filter(pk=plaatsing.pk).update(fase_sinds=op)
    plaatsing.refresh_from_db()


def _uitstroom_afronden(plaatsing: Plaatsing, door) -> str:
    """An older ended placement: aborted (moved elsewhere), or run through nazorg to closed."""
    # The import moved it to uitstroom today; in the demo's story that happened when it ended.
    Transitie.objects.filter(plaatsing=plaatsing, naar=Fase.UITSTROOM).update(
        op=_als_datum(plaatsing.einddatum, 9)
    )
    Plaatsing.objects.filter(pk=plaatsing.pk).update(fase_sinds=plaatsing.einddatum)
    if plaatsing.reden_uitschrijving in ("overplaatsing andere instelling", "verhuisd"):
        plaatsing.refresh_from_db()
        transitie_uitvoeren(
            plaatsing_id=plaatsing.pk,
            naar=Fase.AFGESLOTEN,
            door=door,
            versie=plaatsing.versie,
            reden=plaatsing.reden_uitschrijving,
            afbreken=True,
        )
        afgebroken = plaatsing.einddatum + dt.timedelta(days=7)
        Transitie.objects.filter(plaatsing=plaatsing, naar=Fase.AFGESLOTEN).update(
            op=_als_datum(afgebroken, 9)
        )
        # "afgebroken sinds": the day of that step, not the seeding day
        Plaatsing.objects.filter(pk=plaatsing.pk).update(fase_sinds=afgebroken)
        return "afgebroken"
    if _vervolgplek(plaatsing) is None:
        return "uitstroom"  # no vervolgplek known: stays open, a real thuiszitrisico
    geleden = (timezone.localdate() - plaatsing.einddatum).days
    if geleden <= AFGEHANDELD_NA_DAGEN and _nr(plaatsing) % 3 == 0:
        # Half way: vervolgplek and warme overdracht done, the vervolgschool's part still open.
        for actie in plaatsing.acties.filter(fase=Fase.UITSTROOM, status=ActieStatus.OPEN).order_by(
            "volgorde"
        )[:2]:
            actie_afronden(actie_id=actie.pk, door=door, gegevens=_gegevens(actie, plaatsing))
            gedaan = actie.deadline or plaatsing.einddatum
            Actie.objects.filter(pk=actie.pk).update(gedaan_op=_als_datum(gedaan, 10))
        return "uitstroom"
    _fase_afronden(
        plaatsing, Fase.UITSTROOM, door, Fase.NAZORG, plaatsing.einddatum + dt.timedelta(days=5)
    )
    if geleden <= AFGEHANDELD_NA_DAGEN + 60:
        _nazorg_na_6_weken(plaatsing, door)
        return "nazorg"
    _fase_afronden(
        plaatsing, Fase.NAZORG, door, Fase.AFGESLOTEN, plaatsing.einddatum + dt.timedelta(days=95)
    )
    return "afgesloten"


def _nazorg_na_6_weken(plaatsing: Plaatsing, door) -> None:
    """Still in nazorg: the 6-week question answered once it could be (most of the time, on
    its deadline); the 3-month one is still to come or running late."""
    actie = plaatsing.acties.filter(code=rk.NAZORG_6W, status=ActieStatus.OPEN).first()
    if actie is None or actie.deadline is None or actie.deadline > timezone.localdate():
        return
    if _nr(plaatsing) % 4 == 0:
        return  # not answered: shows as running late
    actie_afronden(actie_id=actie.pk, door=door, gegevens=_gegevens(actie, plaatsing))
    Actie.objects.filter(pk=actie.pk).update(gedaan_op=_als_datum(actie.deadline, 10))


def _instroom_afronden(plaatsing: Plaatsing, door, rnd: random.Random) -> bool:
    for actie in plaatsing.acties.filter(fase=Fase.INSTROOM, status=ActieStatus.OPEN).order_by(
        "volgorde"
    ):
        actie_afronden(actie_id=actie.pk, door=door, gegevens=_gegevens(actie, plaatsing))
        gedaan = min(actie.deadline or plaatsing.startdatum, timezone.localdate()) - dt.timedelta(
            days=rnd.randint(0, 3)
        )
        Actie.objects.filter(pk=actie.pk).update(
            gedaan_op=_als_datum(max(gedaan, plaatsing.startdatum), 10)
        )
    plaatsing.refresh_from_db()
    transitie_uitvoeren(
        plaatsing_id=plaatsing.pk, naar=Fase.VERBLIJF, door=door, versie=plaatsing.versie
    )
    start_verblijf = min(plaatsing.startdatum + dt.timedelta(days=30), timezone.localdate())
    Transitie.objects.filter(plaatsing=plaatsing, naar=Fase.VERBLIJF).update(
        op=_als_datum(start_verblijf, 14)
    )
    Plaatsing.objects.filter(pk=plaatsing.pk).update(fase_sinds=start_verblijf)
    return True


def route_start_terugdateren() -> int:
    """The import stamped every route start with the seeding moment; in the demo's story each
    placement was registered when it began. Without this a timeline reads "route gestart,
    vastgelegd op <today>" above steps recorded a year earlier.

    Two plain reads, then updates by primary key: an UPDATE with a join in its subquery was planned
    as nested full scans on a database whose statistics still said "empty" (the suite's),
    and took minutes."""
    start = dict(Plaatsing.objects.values_list("pk", "startdatum"))
    per_dag: dict[dt.date, list[int]] = {}
    for pk, plaatsing_id in Transitie.objects.filter(van="", naar=Fase.INSTROOM).values_list(
        "pk", "plaatsing_id"
    ):
        if (dag := start[plaatsing_id]) < timezone.localdate():
            per_dag.setdefault(dag, []).append(pk)
    for dag, pks in per_dag.items():
        Transitie.objects.filter(pk__in=pks).update(op=_als_datum(dag, 9))
    return sum(map(len, per_dag.values()))


def demo_voortgang(*, regisseur, seed: int = 2025) -> dict[str, int]:
    """Move older open demo placements of the regisseur's coalition to verblijf."""
    rnd = random.Random(seed)
    _tellen_vanaf_begin()
    vandaag = timezone.localdate()
    telling = {"verblijf": 0, "instroom": 0, "overgeslagen": 0}
    open_ = (
        Plaatsing.objects.zichtbaar_voor(regisseur)
        # Only where this regisseur runs the route: the schools of their own coalition.
        .filter(
            einddatum__isnull=True,
            fase=Fase.INSTROOM,
            instellingsschool__coalitie__in=regisseur.lidmaatschappen.values("coalitie"),
        )
        .select_related("instellingsschool", "stamschool")
        .order_by("pk")
    )
    for plaatsing in open_:
        leeftijd = (vandaag - plaatsing.startdatum).days
        # Keep the newest, and a few older ones as the procesregisseur's work list.
        if leeftijd < NIEUW_DAGEN or (leeftijd < WERKLIJST_DAGEN and rnd.random() < 0.08):
            telling["instroom"] += 1
            continue
        try:
            with transaction.atomic():
                _instroom_afronden(plaatsing, regisseur, rnd)
                if leeftijd > PERSPECTIEF_NA_DAGEN and rnd.random() < 0.85:
                    actie = plaatsing.acties.filter(
                        code=rk.PERSPECTIEF, status=ActieStatus.OPEN
                    ).first()
                    if actie:
                        actie_afronden(
                            actie_id=actie.pk,
                            door=regisseur,
                            notitie="uitstroomprofiel vastgesteld",
                        )
                        Actie.objects.filter(pk=actie.pk).update(
                            gedaan_op=_als_datum(min(actie.deadline, vandaag), 11)
                        )
            telling["verblijf"] += 1
        except RouteFout:
            telling["overgeslagen"] += 1
    return telling


def demo_uitstroom(*, regisseur) -> dict[str, int]:
    """Older ended demo placements of the regisseur's coalition: abort or walk through nazorg."""
    _tellen_vanaf_begin()
    vandaag = timezone.localdate()
    telling: dict[str, int] = {}
    ended = (
        Plaatsing.objects.zichtbaar_voor(regisseur)
        .filter(
            fase=Fase.UITSTROOM,
            einddatum__lt=vandaag - dt.timedelta(days=RECENT_NA_DAGEN),
            instellingsschool__coalitie__in=regisseur.lidmaatschappen.values("coalitie"),
        )
        .select_related("instellingsschool", "stamschool", "vervolgschool")
        .order_by("pk")
    )
    for plaatsing in ended:
        try:
            with transaction.atomic():
                uitkomst = _uitstroom_afronden(plaatsing, regisseur)
        except RouteFout:
            uitkomst = "overgeslagen"
        telling[uitkomst] = telling.get(uitkomst, 0) + 1
    return telling
