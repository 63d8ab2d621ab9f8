"""The startfoto / verantwoording figures of the coalitiemonitor against a golden fixture whose
every figure is computed by hand below (issue 18).

The fixture, coalition Zuid-West, period 01-01-2025 t/m 30-06-2025, "today" 01-08-2025:

  P1  L1 Naaldwijk, born 10-03-2010; SWV A at Schakenbosch; 01-11-2024 → 15-02-2025 (spans two
      half years); historisch (back-loaded, no route); vmbo-bb; vervolgplek school from
      15-02-2025 (0 days); stamschool in the export.
  P2  L1 again (a re-placement 2.5 months after P1); SWV A at Rijnstroom; from 01-05-2025, open;
      vmbo-bb; acknowledged on time, stamschool action done in instroom.
  P3  L2 Den Haag, NO birth date; SWV B at SG Harreveld (coalition Oost: outside the own
      coalition); 01-03-2025 → 10-04-2025, route AFGEBROKEN from verblijf ("Verhuisd naar
      buitenland"); havo; no vervolgplek; acknowledged late; stamschool action still open.
  P4  L3 Spijkenisse, born 20-01-2008; SWV A at Schakenbosch; 10-01-2025 → 20-06-2025;
      historisch; no niveau; geen stamschool; vervolgplek mbo from 15-07-2025 (25 days).
  P5  L4 Rotterdam, born 01-06-2013; SWV B; 01-01-2023 → 01-06-2023 (outside the period).
  P6  L4 again from 01-02-2025, open (not a re-placement: 20 months later); Rijnstroom; vso;
      acknowledgement never done.
  P7  L5 Delft, born 09-09-2009; SWV A at Schakenbosch; 01-09-2024 → 31-03-2025; havo;
      vervolgplek school from 07-04-2025 (7 days); ambulant 20 h planned, 12 used; nazorg after
      6 weeks "ja" (late), after 3 months still open past its deadline; closed normally
      (nazorg → afgesloten: not afgebroken).
  P8  L6 Gouda; SWV B at Schakenbosch; 01-06-2024 → 20-12-2024 (before the period); vervolgplek
      school; nazorg after 3 months "nee", recorded 25-03-2025.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from coalitie.models import Coalitie
from plaatsingen.models import Plaatsing
from rapportage.cijfers import alle_cijfers
from rapportage.doelen import doelen_cijfers, halfjaren
from rapportage.models import Doel, DoelSoort
from rapportage.onderdrukking import KLEIN, VERBORGEN
from rapportage.secties import secties
from rapportage.spiegel import kerngetallen
from rapportage.verantwoording import (
    GEEN_GEBOORTEDATUM,
    GEEN_VERVOLGPLEK,
    NAZORG_OPEN,
    OVERIGE_REDENEN,
    STAMSCHOOL_BETROKKEN,
    STAMSCHOOL_GEEN,
    STAMSCHOOL_NIET,
    verantwoording_cijfers,
)
from routetool import route as rk
from routetool.models import Actie, ActieStatus, Transitie
from routetool.states import Fase

from .conftest import HARREVELD, RIJNSTROOM, SCHAKENBOSCH, SWV_A, SWV_B
from .factories import LeerlingFactory, PlaatsingFactory, SchoolFactory, instellingsschool, swv

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
VAN, TOT, VANDAAG = dt.date(2025, 1, 1), dt.date(2025, 6, 30), dt.date(2025, 8, 1)
D = dt.date


def _op(datum: dt.date) -> dt.datetime:
    return dt.datetime.combine(datum, dt.time(12), tzinfo=AMS)


def actie(p, code, fase, deadline, *, gedaan=None, **extra):
    return Actie.objects.create(
        plaatsing=p,
        fase=fase,
        code=code,
        omschrijving=code,
        wie="swv",
        termijn_soort="werkdagen_na_fasestart",
        deadline=deadline,
        status=ActieStatus.GEDAAN if gedaan else ActieStatus.OPEN,
        gedaan_op=_op(gedaan) if gedaan else None,
        **extra,
    )


def transitie(p, van, naar, op, reden=""):
    t = Transitie.objects.create(plaatsing=p, van=van, naar=naar, reden=reden)
    Transitie.objects.filter(pk=t.pk).update(op=_op(op))  # `op` is auto_now_add


def plaatsing(leerling, school, swv_code, start, eind=None, **kw):
    kw.setdefault("fase", Fase.AFGESLOTEN if eind else Fase.VERBLIJF)
    return PlaatsingFactory(
        leerling=leerling,
        instellingsschool=instellingsschool(school),
        verantwoordelijk_swv=swv(swv_code),
        startdatum=start,
        einddatum=eind,
        **kw,
    )


@pytest.fixture
def golden(db):
    stamschool = SchoolFactory()
    l1 = LeerlingFactory(woonplaats="Naaldwijk", geboortedatum=D(2010, 3, 10))
    l2 = LeerlingFactory(woonplaats="Den Haag", geboortedatum=None)
    l3 = LeerlingFactory(woonplaats="Spijkenisse", geboortedatum=D(2008, 1, 20))
    l4 = LeerlingFactory(woonplaats="Rotterdam", geboortedatum=D(2013, 6, 1))
    l5 = LeerlingFactory(woonplaats="Delft", geboortedatum=D(2009, 9, 9))
    l6 = LeerlingFactory(woonplaats="Gouda", geboortedatum=D(2008, 12, 1))
    p = {}
    p[1] = plaatsing(
        l1,
        SCHAKENBOSCH,
        SWV_A,
        D(2024, 11, 1),
        D(2025, 2, 15),
        historisch=True,
        niveau="vmbo-bb",
        vervolgplek_soort="school",
        vervolgplek_startdatum=D(2025, 2, 15),
        stamschool=stamschool,
    )
    p[2] = plaatsing(l1, RIJNSTROOM, SWV_A, D(2025, 5, 1), niveau="vmbo-bb")
    actie(p[2], rk.BEVESTIGD, Fase.INSTROOM, D(2025, 5, 8), gedaan=D(2025, 5, 7))
    actie(p[2], rk.STAMSCHOOL, Fase.INSTROOM, D(2025, 5, 15), gedaan=D(2025, 5, 12))
    p[3] = plaatsing(l2, HARREVELD, SWV_B, D(2025, 3, 1), D(2025, 4, 10), niveau="havo")
    actie(p[3], rk.BEVESTIGD, Fase.INSTROOM, D(2025, 3, 7), gedaan=D(2025, 3, 10))
    actie(p[3], rk.STAMSCHOOL, Fase.INSTROOM, D(2025, 3, 14))
    transitie(p[3], Fase.VERBLIJF, Fase.AFGESLOTEN, D(2025, 4, 10), "Verhuisd naar buitenland")
    p[4] = plaatsing(
        l3,
        SCHAKENBOSCH,
        SWV_A,
        D(2025, 1, 10),
        D(2025, 6, 20),
        historisch=True,
        geen_stamschool=True,
        vervolgplek_soort="mbo",
        vervolgplek_startdatum=D(2025, 7, 15),
    )
    p[5] = plaatsing(l4, RIJNSTROOM, SWV_B, D(2023, 1, 1), D(2023, 6, 1), historisch=True)
    p[6] = plaatsing(l4, RIJNSTROOM, SWV_B, D(2025, 2, 1), niveau="vso")
    actie(p[6], rk.BEVESTIGD, Fase.INSTROOM, D(2025, 2, 7))
    p[7] = plaatsing(
        l5,
        SCHAKENBOSCH,
        SWV_A,
        D(2024, 9, 1),
        D(2025, 3, 31),
        niveau="havo",
        vervolgplek_soort="school",
        vervolgplek_startdatum=D(2025, 4, 7),
    )
    actie(
        p[7],
        rk.AMBULANT,
        Fase.UITSTROOM,
        D(2025, 3, 31),
        gedaan=D(2025, 3, 20),
        uren_gepland=20,
        uren_gebruikt=12,
    )
    actie(
        p[7], rk.NAZORG_6W, Fase.NAZORG, D(2025, 5, 19), gedaan=D(2025, 5, 20), nazorg_antwoord="ja"
    )
    actie(p[7], rk.NAZORG_3M, Fase.NAZORG, D(2025, 6, 25))
    transitie(p[7], Fase.NAZORG, Fase.AFGESLOTEN, D(2025, 6, 28))
    p[8] = plaatsing(
        l6,
        SCHAKENBOSCH,
        SWV_B,
        D(2024, 6, 1),
        D(2024, 12, 20),
        vervolgplek_soort="school",
        vervolgplek_startdatum=D(2025, 1, 6),
    )
    actie(
        p[8],
        rk.NAZORG_3M,
        Fase.NAZORG,
        D(2025, 3, 20),
        gedaan=D(2025, 3, 25),
        nazorg_antwoord="nee",
    )
    # A pupil of another coalition's SWV: never in Zuid-West's figures.
    plaatsing(LeerlingFactory(), SCHAKENBOSCH, "VO 21-02", D(2025, 2, 1))
    return p


def zuid_west():
    return Plaatsing.objects.filter(verantwoordelijk_swv__coalitie__slug="zuid-west").order_by()


def test_every_startfoto_figure_matches_the_hand_count(golden):
    v = verantwoording_cijfers(zuid_west(), VAN, TOT, VANDAAG)
    # Ran in the period: P1 P2 P3 P4 P6 P7 (P5 and P8 ended before it) = 6 placements.
    assert dict(v["woonplaatsen"]) == {
        "Naaldwijk": 2,
        "Den Haag": 1,
        "Spijkenisse": 1,
        "Rotterdam": 1,
        "Delft": 1,
    }
    assert dict(v["gemeenten"]) == {
        "Westland": 2,
        "Den Haag": 1,
        "Nissewaard": 1,
        "Rotterdam": 1,
        "Delft": 1,
    }
    # Only P3 is at a school of another coalition (SG Harreveld, Oost).
    assert v["buiten_coalitie"] == [("in de eigen coalitie", 5), ("buiten de eigen coalitie", 1)]
    assert dict(v["niveaus"]) == {"vmbo-bb": 2, "havo": 2, "vso": 1, "onbekend": 1}
    # Ages at the start: P1 14, P2 15, P3 ?, P4 16 (17 only on 20-01), P6 11, P7 14.
    assert v["leeftijden"] == [
        ("jonger dan 12", 1),
        ("12 of 13 jaar", 0),
        ("14 of 15 jaar", 3),
        ("16 of 17 jaar", 1),
        ("18 jaar of ouder", 0),
        (GEEN_GEBOORTEDATUM, 1),
    ]
    # 6 placements of 5 pupils (L1 twice); started in the period: P2 P3 P4 P6; of those only
    # P2 began within 12 months after an earlier placement of its pupil ended.
    assert v["uniek"] == {"plaatsingen": 6, "leerlingen": 5, "instroom": 4, "herplaatsingen": 1}
    # Ended in the period: P1 (0 days), P3 (none), P4 (25 days), P7 (7 days).
    assert v["wachttijden"] == [
        ("aansluitend (0 dagen of eerder)", 1),
        ("1 tot en met 7 dagen", 1),
        ("8 tot en met 30 dagen", 1),
        ("31 tot en met 90 dagen", 0),
        ("meer dan 90 dagen", 0),
        (GEEN_VERVOLGPLEK, 1),
    ]
    duur = v["wachttijd_duur"]  # of [0, 7, 25]: quartiles by linear interpolation
    assert (duur.aantal, duur.p25, duur.mediaan, duur.p75) == (3, 3.5, 7, 16)
    assert v["ambulant"] == {"plaatsingen": 1, "gepland": 20, "gebruikt": 12, "gebruikt_bekend": 1}
    zes, drie = (dict(paren) for _, paren in v["nazorg"])
    assert {k: n for k, n in zes.items() if n} == {"ja, gaat naar de vervolgplek": 1}
    assert {k: n for k, n in drie.items() if n} == {"nee, gaat niet": 1, NAZORG_OPEN: 1}
    # P3 was afgebroken from verblijf; P7's close after nazorg is the normal end.
    assert dict(v["afgebroken_fasen"]) == {"instroom": 0, "verblijf": 1, "uitstroom": 0}
    assert v["afgebroken_redenen"] == [("Verhuisd naar buitenland", 1)]
    # Started in the period: P2 involved (action done), P3 and P6 not, P4 has none.
    assert v["stamschool"] == [
        (STAMSCHOOL_BETROKKEN, 1),
        (STAMSCHOOL_NIET, 2),
        (STAMSCHOOL_GEEN, 1),
    ]


def test_the_placement_spanning_two_half_years_counts_in_both(golden):
    h2 = verantwoording_cijfers(zuid_west(), D(2024, 7, 1), D(2024, 12, 31), VANDAAG)
    # Second half of 2024: P1 (from 01-11), P7 (from 01-09) and P8 ran; P1 counts here too.
    assert h2["uniek"]["plaatsingen"] == 3
    assert dict(h2["gemeenten"]) == {"Westland": 1, "Delft": 1, "Gouda": 1}
    assert h2["uniek"]["instroom"] == 2  # P1 and P7 started in it


def test_targets_per_half_year_against_the_hand_count(golden):
    zw = Coalitie.objects.get(slug="zuid-west")
    for soort, streef in [
        (DoelSoort.VERVOLGPLEK_VOOR_UITSTROOM, 90),
        (DoelSoort.GEEN_THUISZITTER_3M, 95),
        (DoelSoort.BEVESTIGD_5_WERKDAGEN, 80),
        (DoelSoort.STAMSCHOOL_VANAF_INSTROOM, 75),
        (DoelSoort.ACTIES_OP_TIJD, 70),
    ]:
        Doel.objects.create(coalitie=zw, soort=soort, streefwaarde=streef)
    d = doelen_cijfers(zw, zuid_west(), D(2024, 7, 1), TOT, VANDAAG)
    assert d["perioden"] == ["2e helft 2024", "1e helft 2025"]
    gemeten = {
        doel["soort"]: [(m.teller, m.noemer) for m in doel["metingen"]] for doel in d["doelen"]
    }
    assert gemeten == {
        # ended with a vervolgplek: H2 2024 P8 (1 of 1); H1 2025 P1 P4 P7 of P1 P3 P4 P7
        "elke leerling een vervolgplek vóór de uitstroom": [(1, 1), (3, 4)],
        # 3-month follow-ups recorded: only P8's "nee", in H1 2025
        "geen thuiszitter drie maanden na de uitstroom": [(0, 0), (0, 1)],
        # acknowledgements due: P2 on time, P3 late, P6 never
        "bevestiging door het SWV binnen 5 werkdagen": [(0, 0), (1, 3)],
        # started: H2 2024 P1 (back-loaded, stamschool in the export: involved) and P7 (no
        # stamschool action); H1 2025 P2 (involved), P3, P6 (P4 has none: not counted)
        "stamschool betrokken vanaf de instroom": [(1, 2), (1, 3)],
        # actions due in H1 2025: P2 x2 on time, P7 ambulant on time; late or open: P3 x2, P6,
        # P7 6w (a day late), P7 3m, P8 3m
        "acties uit de routekaart op tijd afgerond": [(0, 0), (3, 9)],
    }


def test_the_spiegel_per_swv_against_the_hand_count(golden):
    per = kerngetallen(zuid_west(), VAN, TOT, "verantwoordelijk_swv__code")
    assert per[SWV_A] == {
        "plaatsingen": 4,
        "leerlingen": 3,
        "instroom": 2,
        "uitstroom": 3,
        "actief": 1,
        "herplaatsingen": 1,
        "zonder_vervolgplek": 0,
        "buiten": 0,
        "afgebroken": 0,
    }
    assert per[SWV_B] == {
        "plaatsingen": 2,
        "leerlingen": 2,
        "instroom": 2,
        "uitstroom": 1,
        "actief": 1,
        "herplaatsingen": 0,
        "zonder_vervolgplek": 1,
        "buiten": 1,
        "afgebroken": 1,
    }
    assert "VO 21-02" not in per


def _sectie(uit, sleutel):
    return next(s for s in uit if s["id"] == sleutel)


def test_the_monitor_sections_suppress_every_new_figure(golden):
    zw = Coalitie.objects.get(slug="zuid-west")
    qs = zuid_west()
    c = alle_cijfers(qs, VAN, TOT, VANDAAG, verantwoording=True)
    c["doelen"] = doelen_cijfers(zw, qs, VAN, TOT, VANDAAG)
    c["spiegel"] = kerngetallen(qs, VAN, TOT, "verantwoordelijk_swv__code")
    c["spiegel_swvs"] = [SWV_A, SWV_B]
    uit = secties(c, onderdrukken=True)
    gemeenten = _sectie(uit, "gemeenten")
    assert gemeenten["rijen"][0] == ["Westland", KLEIN]
    # A total with hidden cells is the range they imply (five cells of 1-4), not "x".
    assert gemeenten["totaal"] == ["totaal", "5–20"]
    assert _sectie(uit, "swv")["totaal"] == ["totaal", "2–8"]
    uniek = dict(_sectie(uit, "uniek")["rijen"])
    assert uniek["plaatsingen in de periode"] == "2–8"
    assert uniek["unieke leerlingen"] == "1–7"  # 2-8 placements minus 1-4 repeats
    assert not [s["id"] for s in uit if s["totaal"] and VERBORGEN in s["totaal"]]
    # A free-text reason given fewer than 5 times is never printed in the monitor.
    redenen = _sectie(uit, "afgebroken_redenen")
    assert redenen["rijen"] == [[OVERIGE_REDENEN, KLEIN]]
    assert "Verhuisd" not in str(uit)
    spiegel = _sectie(uit, "spiegel")
    assert spiegel["rijen"][0][:3] == [SWV_A, KLEIN, KLEIN]
    assert spiegel["totaal"][1] == "2–8"
    # The coalition team's dashboard shows the exact numbers and the reason.
    exact = secties(c, onderdrukken=False)
    assert _sectie(exact, "afgebroken_redenen")["rijen"] == [["Verhuisd naar buitenland", "1"]]
    assert _sectie(exact, "spiegel")["totaal"][1] == "6"


def test_half_years_are_clipped_to_the_period():
    assert halfjaren(D(2025, 3, 15), D(2025, 9, 30)) == [
        ("1e helft 2025", D(2025, 3, 15), D(2025, 6, 30)),
        ("2e helft 2025", D(2025, 7, 1), D(2025, 9, 30)),
    ]
    assert len(halfjaren(D(2020, 7, 1), D(2025, 6, 30))) == 10
