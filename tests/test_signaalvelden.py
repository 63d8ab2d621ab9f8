"""The signals read from the fields stored on the placement agree with the signals computed
straight from the actions (`signalen_referentie`), whatever the services did to the route.

A service that changes actions or the phase and forgets `signaalvelden.bijwerken` makes the
random route history below disagree at one of its checks."""

import datetime as dt
import importlib
import io
import random
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from coalitie.models import Coalitie
from coalitie.toegang import SYSTEEM
from plaatsingen.models import Plaatsing
from routetool import signaalvelden
from routetool.acties import formulier_soort
from routetool.models import (
    Actie,
    ActieStatus,
    Routekaart,
    RoutekaartActie,
    TermijnSoort,
    Wie,
)
from routetool.route import overgangen_voor
from routetool.selectors import SIGNALEN, met_signalen, signalen_tellen
from routetool.services import (
    RouteFout,
    actie_afronden,
    actie_overslaan,
    open_verplichte_acties,
    plaatsing_bevestigen,
    route_starten,
    routekaart_vullen_met_standaard,
    transitie_uitvoeren,
    uitschrijving_verwerken,
    uitstroomdatum_vastleggen,
)
from routetool.states import OPEN_FASEN, Fase
from tools.generator import genereren

from . import signalen_referentie as referentie
from .conftest import HARREVELD, SCHAKENBOSCH
from .factories import PlaatsingFactory, SchoolFactory, UserFactory, instellingsschool

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
START = dt.date(2025, 1, 6)
# Dates around "today" at which stored and computed signals are compared.
PEILDAGEN = (-10, 0, 6, 30, 200)


def signalen_per_plaatsing(vandaag: dt.date) -> tuple[dict, dict]:
    """{pk: set of signals} from the stored fields and from the reference."""
    opgeslagen = {
        p.pk: {k for k, _ in SIGNALEN if getattr(p, f"signaal_{k}")}
        for p in met_signalen(Plaatsing.objects.all(), vandaag)
    }
    berekend = {
        p.pk: {k for k, _ in SIGNALEN if getattr(p, f"ref_{k}")}
        for p in referentie.met_signalen(Plaatsing.objects.all(), vandaag)
    }
    return opgeslagen, berekend


def opgeslagen_velden() -> dict[int, tuple]:
    return {
        pk: tuple(waarden)
        for pk, *waarden in Plaatsing.objects.values_list("pk", *signaalvelden.VELDEN)
    }


def controleren(vandaag: dt.date, gezien: Counter) -> None:
    """Stored signals equal the computed ones per placement and in the counts, on several days."""
    for verschuiving in PEILDAGEN:
        dag = vandaag + dt.timedelta(days=verschuiving)
        opgeslagen, berekend = signalen_per_plaatsing(dag)
        verschillen = {pk: (opgeslagen[pk], berekend[pk]) for pk in berekend}
        verschillen = {pk: v for pk, v in verschillen.items() if v[0] != v[1]}
        assert verschillen == {}, f"{dag}: {{pk: (opgeslagen, berekend)}} {verschillen}"
        tellingen = {k: sum(k in signalen for signalen in berekend.values()) for k, _ in SIGNALEN}
        assert signalen_tellen(Plaatsing.objects.all(), dag) == tellingen
        for signalen in berekend.values():
            gezien.update(signalen)


# --- one random route history, only through the services ----------------------------------


def _gegevens(rnd: random.Random, actie: Actie, dag: dt.date) -> dict:
    soort = formulier_soort(actie.code)
    if soort == "stamschool":
        return rnd.choice([{"stamschool": SchoolFactory()}, {"geen_stamschool": True}])
    if soort == "vervolgplek":
        return {"vervolgplek_soort": "mbo", "vervolgplek_startdatum": dag + dt.timedelta(days=7)}
    if soort == "ambulant":
        return {"uren_gepland": 20}
    if soort == "nazorg":
        return {"nazorg_antwoord": rnd.choice(["ja", "deels", "nee", "nee"])}
    # The partners' kinds (issue 17).
    if soort == "stamschool_bevestigt":
        return {"contact_naam": "C.", "contact_email": "c@school.nl", "blijft_ingeschreven": "ja"}
    if soort == "voortgang":
        return {"datum": dag, "aanwezig": "ja"}
    if soort == "overdracht":
        return {"geaccepteerd": True}
    if soort == "inschrijving":
        return {"ingeschreven_per": dag + dt.timedelta(days=7)}
    if soort == "overeenkomst":
        return {"ondertekend_op": dag, "ondertekend_door": "beide directeuren"}
    return {}


def _open_actie(rnd, p):
    acties = list(Actie.objects.filter(plaatsing=p, status=ActieStatus.OPEN).order_by("pk"))
    if not acties:
        raise RouteFout("geen open acties")
    return rnd.choice(acties)


def afronden(rnd, p, door, dag):
    a = _open_actie(rnd, p)
    actie_afronden(actie_id=a.pk, door=door, gegevens=_gegevens(rnd, a, dag))


def overslaan(rnd, p, door, dag):
    actie_overslaan(actie_id=_open_actie(rnd, p).pk, door=door, reden="niet van toepassing")


def bevestigen(rnd, p, door, dag):
    plaatsing_bevestigen(plaatsing_id=p.pk, door=door)


def verder(rnd, p, door, dag):
    """Often first finish the phase's required actions, then fire one allowed transition."""
    if rnd.random() < 0.7:
        for a in open_verplichte_acties(p):
            actie_afronden(actie_id=a.pk, door=door, gegevens=_gegevens(rnd, a, dag))
        p.refresh_from_db()
    overgangen = [o for o in overgangen_voor(door, p) if o.naam != "afbreken" or rnd.random() < 0.1]
    if not overgangen:
        raise RouteFout("geen overgang")
    o = rnd.choice(overgangen)
    transitie_uitvoeren(
        plaatsing_id=p.pk,
        naar=o.naar,
        door=door,
        versie=p.versie,
        reden="test",
        afbreken=o.naam == "afbreken",
    )


def uitschrijven(rnd, p, door, dag):
    """As the import does: the end date is written in bulk, then the route is told."""
    if p.einddatum is not None:
        raise RouteFout("al uitgeschreven")
    Plaatsing.objects.filter(pk=p.pk).update(einddatum=max(dag, p.startdatum))
    uitschrijving_verwerken(plaatsingen=[p], door=SYSTEEM)


def uitstroomdatum(rnd, p, door, dag):
    datum = max(dag, p.startdatum) + dt.timedelta(days=rnd.randrange(0, 120))
    uitstroomdatum_vastleggen(plaatsing_id=p.pk, door=door, datum=datum)


STAPPEN = [afronden, afronden, overslaan, bevestigen, verder, verder, verder, uitschrijven]
STAPPEN += [uitstroomdatum]


def _eigen_routekaart(coalitie) -> None:
    """Zuid-West's own routekaart, with deadlines that move and a second acknowledgement."""
    kaart = Routekaart.objects.create(coalitie=coalitie)
    routekaart_vullen_met_standaard(routekaart=kaart)
    kaart.acties.filter(code="stamschool").update(
        termijn_soort=TermijnSoort.WEKEN_VOOR_VERWACHTE_UITSTROOM, aantal=8
    )
    RoutekaartActie.objects.create(
        routekaart=kaart,
        fase=Fase.VERBLIJF,
        code="bevestigd",
        omschrijving="Verblijf bevestigd",
        wie=Wie.SWV,
        termijn_soort=TermijnSoort.WERKDAGEN_NA_FASESTART,
        aantal=3,
    )


def _nieuwe_plaatsingen(rnd, dag) -> list[Plaatsing]:
    scholen = [instellingsschool(SCHAKENBOSCH), instellingsschool(HARREVELD)]
    nieuw = []
    for _ in range(rnd.randrange(1, 5)):
        start = dag - dt.timedelta(days=rnd.randrange(0, 60))
        geschiedenis = rnd.random() < 0.15  # arrives already ended, as from an export
        nieuw.append(
            PlaatsingFactory(
                instellingsschool=rnd.choice(scholen),
                startdatum=start,
                einddatum=dag if geschiedenis else None,
            )
        )
    # Several at once, one of them twice (route_starten is idempotent).
    route_starten(plaatsingen=nieuw + nieuw[:1], door=SYSTEEM, via_import=True)
    uitschrijving_verwerken(plaatsingen=[p for p in nieuw if p.einddatum], door=SYSTEEM)
    return nieuw


def test_stored_signals_agree_with_the_computed_ones_over_a_random_route_history():
    rnd = random.Random(2025)
    door = UserFactory(is_superuser=True)
    _eigen_routekaart(instellingsschool(SCHAKENBOSCH).coalitie)
    gelukt, gezien = Counter(), Counter()
    dag = START
    plaatsingen: list[Plaatsing] = []
    with time_machine.travel(dt.datetime.combine(dag, dt.time(12), AMSTERDAM)) as reis:
        for stap in range(500):
            dag += dt.timedelta(days=rnd.choice([0, 0, 1, 2, 5, 14]))
            reis.move_to(dt.datetime.combine(dag, dt.time(12), AMSTERDAM))
            if stap % 12 == 0:
                plaatsingen += _nieuwe_plaatsingen(rnd, dag)
                gelukt["nieuw"] += 1
            else:
                p = Plaatsing.objects.select_related("instellingsschool").get(
                    pk=rnd.choice(plaatsingen).pk
                )
                stap_functie = rnd.choice(STAPPEN)
                try:
                    stap_functie(rnd, p, door, dag)
                    gelukt[stap_functie.__name__] += 1
                except RouteFout:
                    pass
            if stap % 25 == 24:
                controleren(dag, gezien)
        controleren(dag, gezien)
        assert opgeslagen_velden() == _opnieuw_berekend()

    # The history really was varied: every service ran, every signal and phase occurred.
    assert all(gelukt[f.__name__] >= 10 for f in STAPPEN), gelukt
    assert all(gezien[k] > 0 for k, _ in SIGNALEN), gezien
    fasen = set(Plaatsing.objects.values_list("fase", flat=True))
    assert fasen == {*OPEN_FASEN, Fase.AFGESLOTEN}


def _opnieuw_berekend() -> dict[int, tuple]:
    """The stored values as `bijwerken` computes them now from the actions."""
    bewaard = opgeslagen_velden()
    Plaatsing.objects.update(
        termijn_fase=None,
        termijn_bevestigen=None,
        termijn_stamschool=None,
        laatste_nazorg_antwoord="",
        perspectief_gedaan=False,
    )
    signaalvelden.bijwerken(bewaard)
    return opgeslagen_velden()


# --- data that does not come through the services one by one -------------------------------


def test_generated_benchmark_data_stores_the_signals_it_computes():
    vandaag = dt.date(2025, 11, 24)
    with time_machine.travel(dt.datetime.combine(vandaag, dt.time(12), AMSTERDAM)):
        genereren(
            plaatsingen=400,
            leerlingen=360,
            coalitie=Coalitie.objects.get(slug="zuid-west"),
            seed=4,
        )
        gezien = Counter()
        controleren(vandaag, gezien)
    assert {"te_laat", "niet_bevestigd", "thuiszitrisico", "lang_verblijf"} <= set(gezien)


def test_the_demo_data_stores_the_signals_it_computes():
    call_command("seed_demo", stdout=io.StringIO())
    assert Plaatsing.objects.count() > 400
    gezien = Counter()
    controleren(timezone.localdate(), gezien)
    assert gezien["te_laat"] > 0 and gezien["thuiszitrisico"] > 0


def test_the_migration_fills_the_fields_as_the_services_keep_them(contact_swv_a):
    with time_machine.travel(dt.datetime.combine(START, dt.time(12), AMSTERDAM)):
        genereren(plaatsingen=150, leerlingen=150, coalitie=Coalitie.objects.get(slug="zuid-west"))
        p = PlaatsingFactory(startdatum=START)
        route_starten(plaatsingen=[p], door=SYSTEEM)
        plaatsing_bevestigen(plaatsing_id=p.pk, door=contact_swv_a)
    verwacht = opgeslagen_velden()
    Plaatsing.objects.update(termijn_fase=None, termijn_bevestigen=None, perspectief_gedaan=False)
    migratie = importlib.import_module("plaatsingen.migrations.0004_signaalvelden")
    migratie.signaalvelden_vullen(apps, None)
    assert opgeslagen_velden() == verwacht


def test_a_route_that_enters_uitstroom_again_keeps_its_open_uitstroom_actions():
    """Uitstroom, postponed back to verblijf, then the uitschrijving: the import path must
    count the open uitstroom actions of the first visit (no new ones are made for them)."""
    door = UserFactory(is_superuser=True)
    rnd = random.Random(1)
    with time_machine.travel(dt.datetime.combine(START, dt.time(12), AMSTERDAM)) as reis:
        p = PlaatsingFactory(startdatum=START)
        route_starten(plaatsingen=[p], door=SYSTEEM)
        uitstroomdatum_vastleggen(plaatsing_id=p.pk, door=door, datum=START + dt.timedelta(30))
        for naar in (Fase.VERBLIJF, Fase.UITSTROOM):
            p = Plaatsing.objects.select_related("instellingsschool").get(pk=p.pk)
            for a in open_verplichte_acties(p):
                actie_afronden(actie_id=a.pk, door=door, gegevens=_gegevens(rnd, a, START))
            transitie_uitvoeren(plaatsing_id=p.pk, naar=naar, door=door, versie=p.versie)
        p.refresh_from_db()
        transitie_uitvoeren(
            plaatsing_id=p.pk, naar=Fase.VERBLIJF, door=door, versie=p.versie, reden="uitstel"
        )
        dag = START + dt.timedelta(days=60)
        reis.move_to(dt.datetime.combine(dag, dt.time(12), AMSTERDAM))
        p.refresh_from_db()
        uitschrijven(rnd, p, door, dag)
    assert Actie.objects.filter(
        plaatsing=p, fase=Fase.UITSTROOM, status=ActieStatus.OPEN, deadline__isnull=False
    ).exists()
    gezien = Counter()
    controleren(dag, gezien)
    assert gezien["te_laat"] > 0
