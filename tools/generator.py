"""Synthetic pupils, placements, route transitions and actions in bulk (for benchmarks and
load tests). Rows go in with `config.bulk.bulk_insert` (PostgreSQL COPY); no signals, no mails,
no audit entries. Every generated pupil's leerlingnummer starts with PREFIX, so the data can be
removed again without touching real data.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from coalitie.models import Coalitie, Instellingsschool, School, Verblijf
from config.bulk import bulk_insert
from plaatsingen.models import Leerling, Plaatsing, RedenUitschrijving, VervolgplekSoort
from routetool import signaalvelden
from routetool.models import Actie, ActieStatus, Transitie
from routetool.states import Fase

PREFIX = "GEN"
ROEPNAMEN = ["Sem", "Noah", "Liam", "Daan", "Emma", "Julia", "Mila", "Sara", "Lucas", "Yara"]
ACHTERNAMEN = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder"]
# Per phase a few actions of the default routekaart: (code, description, who, days after start).
ACTIES = {
    Fase.INSTROOM: [
        ("bevestigd", "SWV geïnformeerd en plaatsing bevestigd", "swv", 7),
        ("stamschool", "Stamschool geïnformeerd, contactpersoon vastgelegd", "swv", 14),
        ("startgesprek", "Startgesprek gehouden", "instellingsschool", 28),
    ],
    Fase.VERBLIJF: [("perspectief", "Uitstroomprofiel vastgesteld", "instellingsschool", 42)],
    Fase.UITSTROOM: [("vervolgplek", "Vervolgplek vastgelegd", "swv", 20)],
}
VOLGORDE = [Fase.INSTROOM, Fase.VERBLIJF, Fase.UITSTROOM, Fase.NAZORG, Fase.AFGESLOTEN]


def verwijderen() -> int:
    """Remove every generated pupil with its placements, transitions and actions (raw DELETEs:
    the ORM's cascade collector would load 100,000 rows)."""
    plaatsingen = Plaatsing.objects.filter(leerling__leerlingnummer__startswith=PREFIX)
    with transaction.atomic():
        Actie.objects.filter(plaatsing__in=plaatsingen)._raw_delete("default")
        Transitie.objects.filter(plaatsing__in=plaatsingen)._raw_delete("default")
        n = plaatsingen.count()
        Plaatsing.objects.filter(pk__in=list(plaatsingen.values_list("pk", flat=True)))._raw_delete(
            "default"
        )
        Leerling.objects.filter(leerlingnummer__startswith=PREFIX)._raw_delete("default")
    return n


def genereren(
    *, plaatsingen: int, leerlingen: int, coalitie: Coalitie, seed: int = 7, vandaag=None
) -> dict:
    """Add `plaatsingen` placements of `leerlingen` new pupils (every pupil one placement, the
    rest a second, earlier one), for the SWVs of `coalitie` at every residential school."""
    rnd = random.Random(seed)
    vandaag = vandaag or timezone.localdate()
    leerlingen = max(1, min(leerlingen, plaatsingen))
    al = Leerling.objects.filter(leerlingnummer__startswith=PREFIX).count()
    swv_ids = list(coalitie.swvs.values_list("pk", flat=True))
    scholen = list(Instellingsschool.objects.values_list("pk", flat=True))
    stamscholen = _stamscholen(swv_ids)
    verblijven = [Verblijf.GESLOTEN, Verblijf.GESLOTEN, Verblijf.OPEN, Verblijf.KWV]
    soorten = [v for v, _ in VervolgplekSoort.choices]
    redenen = [r for r, _ in RedenUitschrijving.choices]
    with transaction.atomic():
        bulk_insert(
            Leerling,
            [
                {
                    "leerlingnummer": f"{PREFIX}{al + i:08d}",
                    "achternaam": rnd.choice(ACHTERNAMEN),
                    "roepnaam": rnd.choice(ROEPNAMEN),
                    "geboortedatum": dt.date(2008, 1, 1) + dt.timedelta(days=rnd.randrange(2500)),
                    "geslacht": rnd.choice("MVX"),
                }
                for i in range(leerlingen)
            ],
        )
        leerling_ids = list(
            Leerling.objects.filter(leerlingnummer__gte=f"{PREFIX}{al:08d}")
            .filter(leerlingnummer__startswith=PREFIX)
            .order_by("leerlingnummer")
            .values_list("pk", flat=True)
        )
        rijen = []
        for i in range(plaatsingen):
            tweede = i >= leerlingen  # a second, earlier (ended) placement of the same pupil
            leerling_id = leerling_ids[i % leerlingen]
            # Five years of placements of a few weeks to a year (so about a tenth is open);
            # a pupil's second placement lies before the first five years, never overlapping.
            if tweede:
                start = vandaag - dt.timedelta(days=rnd.randrange(2200, 2800))
                eind = start + dt.timedelta(days=rnd.randrange(20, 365))
            else:
                start = vandaag - dt.timedelta(days=rnd.randrange(0, 1825))
                eind = start + dt.timedelta(days=rnd.randrange(20, 365))
                if eind > vandaag:
                    eind = None
            if eind is None:
                fase = rnd.choices(
                    [Fase.INSTROOM, Fase.VERBLIJF, Fase.UITSTROOM], weights=[2, 6, 1]
                )[0]
            elif (vandaag - eind).days > 120:
                fase = Fase.AFGESLOTEN  # nazorg ends three months after the vervolgplek starts
            else:
                fase = rnd.choices([Fase.UITSTROOM, Fase.NAZORG, Fase.AFGESLOTEN], [2, 4, 1])[0]
            met_plek = eind is not None and rnd.random() < 0.85
            rijen.append(
                {
                    "leerling_id": leerling_id,
                    "instellingsschool_id": rnd.choice(scholen),
                    "startdatum": start,
                    "einddatum": eind,
                    "verblijf": rnd.choice(verblijven),
                    "verantwoordelijk_swv_id": rnd.choice(swv_ids),
                    "stamschool_id": rnd.choice(stamscholen) if rnd.random() < 0.9 else None,
                    "geen_stamschool": rnd.random() < 0.05,
                    "reden_uitschrijving": rnd.choice(redenen) if eind else "",
                    "vervolgplek_soort": rnd.choice(soorten) if met_plek else "",
                    "fase": fase,
                    "fase_sinds": start,
                    "versie": VOLGORDE.index(fase) + 1,
                }
            )
        # Each route before its placement goes in: what the signals need from the actions is
        # stored on the placement (routetool.signaalvelden), so it is part of the same COPY.
        routes = [_route(rnd, rij, vandaag) for rij in rijen]
        voor = Plaatsing.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        bulk_insert(Plaatsing, rijen)
        pks = list(
            Plaatsing.objects.filter(pk__gt=voor).order_by("pk").values_list("pk", flat=True)
        )
        transities, acties = [], []
        for pk, (route_transities, route_acties) in zip(pks, routes, strict=True):
            for r in route_transities + route_acties:
                r["plaatsing_id"] = pk
            transities += route_transities
            acties += route_acties
        bulk_insert(Transitie, transities)
        bulk_insert(Actie, acties)
    return {"leerlingen": leerlingen, "plaatsingen": len(pks), "acties": len(acties)}


def _stamscholen(swv_ids: list[int]) -> list[int]:
    """A few hundred generated stamschools (BRIN 99GE00 … 99GZ99) in the coalition's SWVs."""
    letters = "EFGHIJKLMNOPQRSTUVWXYZ"
    School.objects.bulk_create(
        [
            School(brin=f"99G{letters[i // 100]}{i % 100:02d}", naam=f"Stamschool {i}", swv_id=s)
            for i, s in zip(range(300), swv_ids * 300, strict=False)
        ],
        ignore_conflicts=True,
    )
    return list(School.objects.filter(brin__startswith="99G").values_list("pk", flat=True))


def _route(rnd, rij, vandaag) -> tuple[list[dict], list[dict]]:
    """The transitions up to the placement's phase and the actions of each phase entered (their
    `plaatsing_id` is set once the placement has one); fills in the placement's signal fields."""
    transities, acties = [], []
    nu = timezone.now()
    fasen = VOLGORDE[: VOLGORDE.index(rij["fase"]) + 1]
    fase_start = rij["startdatum"]
    vorige = ""
    for fase in fasen:
        transities.append({"van": vorige, "naar": fase, "reden": "gegenereerd", "op": nu})
        for volgorde, (code, omschrijving, wie, dagen) in enumerate(ACTIES.get(fase, []), 1):
            deadline = fase_start + dt.timedelta(days=dagen)
            huidig = fase == rij["fase"]
            gedaan = not huidig or rnd.random() < 0.6
            gedaan_op = None
            if gedaan:
                dag = fase_start + dt.timedelta(days=rnd.randrange(1, dagen + 15))
                gedaan_op = timezone.make_aware(dt.datetime.combine(min(dag, vandaag), dt.time(12)))
            acties.append(
                {
                    "fase": fase,
                    "volgorde": volgorde,
                    "code": code,
                    "omschrijving": omschrijving,
                    "wie": wie,
                    "termijn_soort": "werkdagen_na_fasestart",
                    "deadline": deadline,
                    "status": ActieStatus.GEDAAN if gedaan else ActieStatus.OPEN,
                    "gedaan_op": gedaan_op,
                }
            )
        fase_start = min(fase_start + dt.timedelta(days=40), rij["einddatum"] or vandaag)
        vorige = fase
    waarden = signaalvelden.waarden(rij["fase"], [signaalvelden.rij(a) for a in acties])
    rij.update(zip(signaalvelden.VELDEN, waarden, strict=True))
    return transities, acties
