"""Dashboard/monitor figures against hand-computed values on a small fixed data set.

Period 01-07-2025 t/m 31-12-2025, today 15-01-2026. Placements (SWV A = VO 28-06, B = VO 28-07):

  P1 pupil 1, A, Schakenbosch, gesloten, 10-05-2025 – 20-08-2025 (spans the period start), mbo
  P2 pupil 1, A, Rijnstroom,   open,     01-09-2025 – (the same pupil's second placement)
  P3 pupil 2, A, Schakenbosch, gesloten, 15-07-2025 – 14-10-2025, school
  P4 pupil 3, B, Rijnstroom,   gesloten, 03-11-2025 –
  P5 pupil 4, A, Schakenbosch, gesloten, 10-01-2024 – 01-03-2025 (before the period)
  P6 pupil 5, B, Schakenbosch, kwv,      01-12-2025 – 10-01-2026 (ends after the period), no
     vervolgplek yet: thuiszitrisico
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine

from rapportage.cijfers import alle_cijfers, basis
from routetool import signaalvelden
from routetool.models import Actie, ActieStatus
from routetool.states import Fase

from .conftest import RIJNSTROOM, SCHAKENBOSCH, SWV_A, SWV_B
from .factories import LeerlingFactory, PlaatsingFactory, instellingsschool, swv

pytestmark = pytest.mark.django_db

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
VAN, TOT, VANDAAG = dt.date(2025, 7, 1), dt.date(2025, 12, 31), dt.date(2026, 1, 15)


def _p(leerling, swv_code, school, start, eind=None, **extra):
    return PlaatsingFactory(
        leerling=leerling,
        verantwoordelijk_swv=swv(swv_code),
        instellingsschool=instellingsschool(school),
        startdatum=start,
        einddatum=eind,
        **extra,
    )


def _actie(plaatsing, fase, deadline, status=ActieStatus.OPEN, gedaan=None, code="x"):
    return Actie.objects.create(
        plaatsing=plaatsing,
        fase=fase,
        code=code,
        omschrijving=f"Actie {code}",
        wie="swv",
        termijn_soort="werkdagen_na_fasestart",
        deadline=deadline,
        status=status,
        gedaan_op=dt.datetime.combine(gedaan, dt.time(23, 30), AMS) if gedaan else None,
        reden_overslaan="niet nodig" if status == ActieStatus.OVERGESLAGEN else "",
    )


@pytest.fixture
def dataset(db):
    l1, l2, l3, l4, l5 = (LeerlingFactory() for _ in range(5))
    d = dt.date
    p = {
        "P1": _p(l1, SWV_A, SCHAKENBOSCH, d(2025, 5, 10), d(2025, 8, 20), fase=Fase.AFGESLOTEN,
                 vervolgplek_soort="mbo", reden_uitschrijving="mbo"),
        "P2": _p(l1, SWV_A, RIJNSTROOM, d(2025, 9, 1), verblijf="open", fase=Fase.INSTROOM),
        "P3": _p(l2, SWV_A, SCHAKENBOSCH, d(2025, 7, 15), d(2025, 10, 14), fase=Fase.AFGESLOTEN,
                 vervolgplek_soort="school", reden_uitschrijving="terug naar stamschool"),
        "P4": _p(l3, SWV_B, RIJNSTROOM, d(2025, 11, 3), fase=Fase.VERBLIJF),
        "P5": _p(l4, SWV_A, SCHAKENBOSCH, d(2024, 1, 10), d(2025, 3, 1), fase=Fase.AFGESLOTEN),
        "P6": _p(l5, SWV_B, SCHAKENBOSCH, d(2025, 12, 1), d(2026, 1, 10), verblijf="kwv",
                 fase=Fase.UITSTROOM),
    }  # fmt: skip
    p2 = p["P2"]
    # Instroom: on time (done 23:30 on the deadline day counts as that day), late, open (late),
    # skipped (not counted), and one due after the period (not counted).
    _actie(p2, Fase.INSTROOM, d(2025, 9, 8), ActieStatus.GEDAAN, d(2025, 9, 8), code="a1")
    _actie(p2, Fase.INSTROOM, d(2025, 9, 15), ActieStatus.GEDAAN, d(2025, 9, 20), code="a2")
    _actie(p2, Fase.INSTROOM, d(2025, 9, 15), code="a3")
    _actie(p2, Fase.INSTROOM, d(2025, 9, 15), ActieStatus.OVERGESLAGEN, code="a4")
    _actie(p2, Fase.INSTROOM, d(2026, 3, 1), code="a6")
    _actie(p["P4"], Fase.VERBLIJF, d(2025, 12, 1), ActieStatus.GEDAAN, d(2025, 11, 28), code="a5")
    # The actions were made here, not by the route services: store what the signals need.
    signaalvelden.bijwerken(pl.pk for pl in p.values())
    return p


def _cijfers(user, swv_ids=None):
    with time_machine.travel(dt.datetime(2026, 1, 15, 12, 0, tzinfo=AMS), tick=False):
        return alle_cijfers(basis(user, swv_ids), VAN, TOT, VANDAAG)


def test_the_figures_of_the_coalition_match_the_hand_computed_values(dataset, procesregisseur):
    c = _cijfers(procesregisseur)
    assert c["in_periode"] == 5  # P1 (spans the start), P2, P3, P4, P6; not P5
    assert c["actief_nu"] == 3  # on 31-12-2025: P2, P4, P6
    assert [n for _, n in c["peildata"]] == [1, 2, 2, 2, 1, 3, 3]
    assert [r["label"] for r in c["stroom"]] == [
        "juli 2025", "augustus 2025", "september 2025", "oktober 2025", "november 2025",
        "december 2025",
    ]  # fmt: skip
    assert [r["instroom"] for r in c["stroom"]] == [1, 0, 1, 0, 1, 1]
    assert [r["uitstroom"] for r in c["stroom"]] == [0, 1, 0, 1, 0, 0]
    assert c["per_swv"] == [(SWV_A, 3), (SWV_B, 2)]
    assert c["per_school"] == [(SCHAKENBOSCH, 3), (RIJNSTROOM, 2)]
    assert dict(c["per_verblijf"]) == {"gesloten": 3, "open": 1, "kleinschalige woonvoorziening": 1}
    # Ended in the period: P1 102 days, P3 91 days.
    assert c["duur"].aantal == 2
    assert c["duur"].mediaan == pytest.approx(96.5)
    assert c["duur"].p25 == pytest.approx(93.75)
    assert c["duur"].p75 == pytest.approx(99.25)
    assert dict(c["bestemmingen"]) == {"mbo": 1, "school (BRIN)": 1}
    assert dict(c["redenen"]) == {"mbo": 1, "terug naar stamschool": 1}
    acties = {a["fase"]: a for a in c["acties"]}
    assert (acties["instroom"]["totaal"], acties["instroom"]["op_tijd"]) == (3, 1)
    assert acties["instroom"]["procent"] == 33
    assert (acties["verblijf"]["totaal"], acties["verblijf"]["op_tijd"]) == (1, 1)
    assert acties["uitstroom"]["procent"] is None
    signalen = dict(c["signalen"])
    assert signalen["thuiszitrisico"] == 1  # P6
    assert signalen["te laat"] == 1  # P2's open action a3


def test_a_contact_person_gets_only_the_figures_of_the_own_swv(dataset, contact_swv_b):
    c = _cijfers(contact_swv_b)
    assert c["in_periode"] == 2
    assert c["per_swv"] == [(SWV_B, 2)]
    assert [r["instroom"] for r in c["stroom"]] == [0, 0, 0, 0, 1, 1]
    assert c["duur"].aantal == 0 and c["duur"].mediaan is None
    assert {a["fase"]: a["totaal"] for a in c["acties"]}["instroom"] == 0


def test_an_instellingsschool_worker_gets_only_the_figures_of_the_own_school(
    dataset, medewerker_schakenbosch
):
    c = _cijfers(medewerker_schakenbosch)
    assert c["per_school"] == [(SCHAKENBOSCH, 3)]


def test_the_coalition_can_narrow_the_figures_to_some_swvs(dataset, procesregisseur):
    c = _cijfers(procesregisseur, [swv(SWV_A).pk])
    assert c["per_swv"] == [(SWV_A, 3)]
    assert c["in_periode"] == 3


def test_another_coalition_sees_none_of_these_placements(dataset, procesregisseur_andere_coalitie):
    c = _cijfers(procesregisseur_andere_coalitie)
    assert c["in_periode"] == 0 and c["actief_nu"] == 0 and c["per_swv"] == []


def test_a_period_after_today_still_counts_who_is_there_today(dataset, procesregisseur):
    # Today (15-01-2026) lies before the period, so "now" is a reference date outside it.
    with time_machine.travel(dt.datetime(2026, 1, 15, 12, 0, tzinfo=AMS), tick=False):
        c = alle_cijfers(basis(procesregisseur), dt.date(2026, 2, 1), dt.date(2026, 3, 31))
    assert c["peildata"][0] == (VANDAAG, 2)  # P2 and P4; P6 left on 10-01-2026
    assert c["in_periode"] == 2
    assert [r["instroom"] for r in c["stroom"]] == [0, 0]
