"""Issue 17 (17d): a deelnemer sees only what their part of the route needs. The phase, every
action with its status, deadline and the role that must act; the content (notes, recorded data,
skip reasons, who did it) only of their own actions; no transition reasons, no names of the
people who moved the route. Decided once in `route.mag_actie_details_zien` /
`route.mag_route_details_zien`; the SWV still sees everything."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from coalitie.toegang import SYSTEEM, RouteRol
from plaatsingen.deelnemers import casusregisseur_toewijzen, deelnemer_intrekken
from plaatsingen.models import Deelnemer, Plaatsing
from routetool import route, services
from routetool.models import Actie, ActieStatus
from routetool.overdrachtsprofiel import profiel_opslaan
from routetool.states import Fase

from .conftest import SCHAKENBOSCH, SWV_A, deelnemer_van
from .factories import LeerlingFactory, PlaatsingFactory, instellingsschool, swv

pytestmark = pytest.mark.django_db
R = RouteRol

# What others recorded: none of it may reach a partner whose action it is not.
SWV_NOTITIE = "Moeder belde over de verhuizing naar Tiel"
OVERSLAAN_REDEN = "Ouders wilden geen gesprek op de groep"
OVERGANG_REDEN = "Toelichting: na overleg met de gezinsvoogd vervroegd"
UITSTROOM_REDEN = "Toelichting: rechter besliste over terugkeer"
COLLEGA = ("Hendrika", "Zwaluwstaart")  # SWV contact who did an SWV action
REGISSEUR = ("Geertruida", "Kwartelkoning")  # procesregisseur: skipped, moved the route
# What the stamschool itself recorded: theirs to see, not the vervolgschool's.
STAMSCHOOL_NOTITIE = "Leerling blijft bij ons, mentor belt maandelijks"
STAMSCHOOL_CONTACT = "Bertha Grutto"


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _noem(user, voornaam_achternaam):
    user.first_name, user.last_name = voornaam_achternaam
    user.save(update_fields=["first_name", "last_name"])
    return user


def _actie(p, code):
    return Actie.objects.get(plaatsing=p, code=code, status=ActieStatus.OPEN)


def _naar(p, fase, door, reden):
    p.refresh_from_db()
    Actie.objects.filter(plaatsing=p, fase=p.fase, status=ActieStatus.OPEN).update(
        status=ActieStatus.GEDAAN
    )
    services.transitie_uitvoeren(
        plaatsing_id=p.pk, naar=fase, door=door, versie=p.versie, reden=reden
    )


@pytest.fixture
def keten(contact_swv_a, procesregisseur):
    """A placement in verblijf whose instroom others filled in, with a stamschool deelnemer who
    did their own action, and a vervolgschool deelnemer."""
    leerling = LeerlingFactory(roepnaam="Merel", achternaam="Vinkenoog", leerlingnummer="4455667")
    p = PlaatsingFactory(
        leerling=leerling,
        verantwoordelijk_swv=swv(SWV_A),
        instellingsschool=instellingsschool(SCHAKENBOSCH),
    )
    services.route_starten(plaatsingen=[p], door=SYSTEEM)
    collega = _noem(contact_swv_a, COLLEGA)
    regisseur = _noem(procesregisseur, REGISSEUR)
    stamschool = deelnemer_van(p, soort="stamschool")
    vervolgschool = deelnemer_van(p, soort="vervolgschool")
    services.actie_afronden(
        actie_id=_actie(p, route.BEVESTIGD).pk, door=collega, notitie=SWV_NOTITIE
    )
    services.actie_afronden(
        actie_id=_actie(p, route.STAMSCHOOL_BEVESTIGT).pk,
        door=stamschool,
        notitie=STAMSCHOOL_NOTITIE,
        gegevens={
            "contact_naam": STAMSCHOOL_CONTACT,
            "contact_email": "b.grutto@stamschool.example.org",
            "blijft_ingeschreven": "ja",
        },
    )
    services.actie_overslaan(
        actie_id=_actie(p, "startgesprek").pk, door=regisseur, reden=OVERSLAAN_REDEN
    )
    _naar(p, Fase.VERBLIJF, regisseur, OVERGANG_REDEN)
    return {
        "plaatsing": Plaatsing.objects.get(pk=p.pk),
        "swv": collega,
        "regisseur": regisseur,
        "stamschool": stamschool,
        "vervolgschool": vervolgschool,
    }


def _pagina(user, p) -> str:
    response = _client(user).get(reverse("plaatsingen:detail", args=[p.pk]))
    assert response.status_code == 200
    return response.content.decode()


ANDERMANS = [
    SWV_NOTITIE,
    OVERSLAAN_REDEN,
    OVERGANG_REDEN,
    COLLEGA[1],
    REGISSEUR[1],
]


def test_the_stamschool_sees_the_route_but_not_what_others_recorded(keten):
    p = keten["plaatsing"]
    html = _pagina(keten["stamschool"], p)
    for geheim in ANDERMANS:
        assert escape(geheim) not in html, geheim
    assert keten["swv"].email not in html and keten["regisseur"].email not in html
    # The route itself is there: phases, every action with status and the role that acts.
    assert "Startgesprek gehouden" in html and "Overgeslagen op" in html
    assert "SWV geïnformeerd en plaatsing bevestigd" in html and "✓ Gedaan op" in html
    assert "(SWV" in html and "(instellingsschool" in html
    # Their own action in full: their note and the data they recorded.
    assert escape(STAMSCHOOL_NOTITIE) in html
    assert STAMSCHOOL_CONTACT in html
    # And the form of their open action of this phase.
    eigen = _actie(p, route.VOORTGANG_STAMSCHOOL)
    assert reverse("routetool:actie_afronden", args=[eigen.pk]) in html
    assert f'name="actie{eigen.pk}-' in html
    # Minimal pupil data: name and birth date, not the iHUB number.
    assert "Vinkenoog" in html and "4455667" not in html


def test_the_vervolgschool_sees_its_own_handover_not_the_stamschools_answer(keten):
    p = keten["plaatsing"]
    profiel_opslaan(
        plaatsing_id=p.pk, door=keten["swv"], gegevens={"doelen_leerling": "Diploma halen"}
    )
    _naar(p, Fase.UITSTROOM, keten["regisseur"], UITSTROOM_REDEN)
    html = _pagina(keten["vervolgschool"], p)
    for geheim in [*ANDERMANS, UITSTROOM_REDEN, STAMSCHOOL_NOTITIE, STAMSCHOOL_CONTACT]:
        assert escape(geheim) not in html, geheim
    eigen = _actie(p, route.OVERDRACHT_GEACCEPTEERD)
    assert reverse("routetool:actie_afronden", args=[eigen.pk]) in html
    assert f'name="actie{eigen.pk}-geaccepteerd"' in html
    # 17b: the receiving school keeps reading the overdrachtsprofiel (not who typed it).
    assert "kop-overdracht" in html and "Diploma halen" in html


def test_an_aborted_route_shows_a_partner_no_reason(keten):
    p = keten["plaatsing"]
    reden = "Afgebroken: jongere overgeplaatst naar Hoenderloo"
    p.refresh_from_db()
    services.transitie_uitvoeren(
        plaatsing_id=p.pk,
        naar=Fase.AFGESLOTEN,
        door=keten["regisseur"],
        versie=p.versie,
        reden=reden,
        afbreken=True,
    )
    stamschool = _pagina(keten["stamschool"], p)
    assert "afgebroken" in stamschool and escape(reden) not in stamschool
    assert escape(reden) in _pagina(keten["swv"], p)


def test_the_swv_sees_everything_the_partner_does_not(keten):
    p = keten["plaatsing"]
    swv_html = _pagina(keten["swv"], p)
    stamschool_html = _pagina(keten["stamschool"], p)
    for geheim in ANDERMANS:
        assert escape(geheim) in swv_html, geheim
        assert escape(geheim) not in stamschool_html, geheim
    assert STAMSCHOOL_CONTACT in swv_html and "4455667" in swv_html


class _A:
    def __init__(self, wie):
        self.wie = wie


@pytest.mark.parametrize(
    ("rollen", "wie", "ziet", "route_details"),
    [
        ({R.STAMSCHOOL}, R.STAMSCHOOL, True, False),
        ({R.STAMSCHOOL}, R.SWV, False, False),
        ({R.STAMSCHOOL}, R.VERVOLGSCHOOL, False, False),
        ({R.VERVOLGSCHOOL}, R.STAMSCHOOL, False, False),
        ({R.AMBULANT}, R.INSTELLINGSSCHOOL, False, False),
        # Also a route role on this placement: the whole route, as before.
        ({R.SWV, R.STAMSCHOOL}, R.INSTELLINGSSCHOOL, True, True),
        ({R.SWV}, R.STAMSCHOOL, True, True),
        ({R.PROCESREGISSEUR}, R.VERVOLGSCHOOL, True, True),
        # Read-only (penvoerder, beheerder): no partner, reads as before.
        (set(), R.STAMSCHOOL, True, True),
    ],
)
def test_who_sees_the_content_of_an_action(rollen, wie, ziet, route_details):
    rollen = frozenset(rollen)
    assert route.mag_actie_details_zien(rollen, _A(wie)) is ziet
    assert route.mag_route_details_zien(rollen) is route_details


def test_a_partner_with_a_role_elsewhere_gets_the_same_part_and_no_routeoverzicht(
    keten, contact_swv_b
):
    """Contact person of another SWV, and stamschool deelnemer of this placement: the lists are
    open to them, but on this placement they are the stamschool and nothing more."""
    p = keten["plaatsing"]
    user = deelnemer_van(p, soort="stamschool", email=contact_swv_b.email)
    assert user.pk == contact_swv_b.pk
    html = _pagina(user, p)
    for geheim in ANDERMANS:
        assert escape(geheim) not in html, geheim
    assert "routeoverzicht" not in html
    c = _client(user)
    assert c.get(reverse("rapport:routeoverzicht", args=[p.pk])).status_code == 404
    assert (
        _client(keten["swv"]).get(reverse("rapport:routeoverzicht", args=[p.pk])).status_code == 200
    )


def test_the_routeoverzicht_names_the_casusregisseur_and_the_partners_invited_now(keten):
    """The warm handover on paper says who is at the table: the casusregisseur and every live
    invitation (name, organisation, as what, e-mail); a revoked one is no longer listed."""
    p = keten["plaatsing"]
    casusregisseur_toewijzen(plaatsing_id=p.pk, casusregisseur=keten["swv"], door=keten["swv"])
    vervolg = Deelnemer.objects.get(plaatsing=p, user=keten["vervolgschool"])
    deelnemer_intrekken(deelnemer_id=vervolg.pk, door=keten["swv"])

    response = _client(keten["swv"]).get(reverse("rapport:routeoverzicht", args=[p.pk]))
    assert response.status_code == 200
    tekst = " ".join(
        " ".join(pagina.extract_text().split())
        for pagina in PdfReader(io.BytesIO(response.content)).pages
    )
    # pypdf reads a definition list labels first, so the label and its value are asserted apart.
    assert "Casusregisseur" in tekst and "Deelnemers" in tekst
    assert f"{' '.join(COLLEGA)} ({keten['swv'].email})" in tekst
    assert "Partner Persoon, Partnerorganisatie (stamschool;" in tekst
    # The stamschool's own confirmation of its contact (kept in the action's data) is listed.
    assert f"{STAMSCHOOL_CONTACT}, b.grutto@stamschool.example.org" in tekst
    assert "(vervolgschool;" not in tekst
