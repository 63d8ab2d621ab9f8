"""Issue 19, "Done when": in a real browser the beheerder invites a user of an own SWV, edits a
routekaart deadline and sees the effect on an open placement; a school worker reopens an action
marked done by mistake and records the actual uitschrijving."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from coalitie.toegang import SYSTEEM
from tests.conftest import SCHAKENBOSCH, SWV_A, persona

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mensen(transactional_db):
    from coalitie.models import Coalitie, Rol
    from tests.factories import instellingsschool

    zuid_west = Coalitie.objects.get(slug="zuid-west")
    return {
        "beheer": persona(Rol.BEHEERDER, coalitie=zuid_west),
        "school": persona(
            Rol.MEDEWERKER_INSTELLINGSSCHOOL, instellingsschool=instellingsschool(SCHAKENBOSCH)
        ),
        "coalitie": zuid_west,
    }


@pytest.fixture
def plaatsing(transactional_db):
    from routetool.services import route_starten
    from tests.factories import LeerlingFactory, PlaatsingFactory, instellingsschool, swv

    p = PlaatsingFactory(
        leerling=LeerlingFactory(roepnaam="Noor", achternaam="Bakker"),
        instellingsschool=instellingsschool(SCHAKENBOSCH),
        verantwoordelijk_swv=swv(SWV_A),
    )
    route_starten(plaatsingen=[p], door=SYSTEEM)
    return p


def _actie(plaatsing, code):
    from routetool.models import Actie

    return Actie.objects.get(plaatsing=plaatsing, code=code)


def test_beheerder_invites_and_changes_a_deadline_that_an_open_placement_then_shows(
    page, mensen, plaatsing, aanmelden, bezoek, screenshot
):
    from coalitie.models import Lidmaatschap, Rol
    from routetool import route
    from tests.factories import swv

    aanmelden(mensen["beheer"])
    # Invite a contact person of an own SWV: the pick-list holds only the coalition's SWVs.
    bezoek("/coalitiebeheer/gebruikers/nieuw/", "beheer-uitnodigen")
    swv_keuzes = page.get_by_label("SWV", exact=True).locator("option").all_inner_texts()
    assert any(SWV_A in k for k in swv_keuzes)
    assert not any("Oost" in k for k in swv_keuzes)
    page.get_by_label("E-mailadres").fill("nieuw.contact@swv.example")
    page.get_by_label("Voornaam").fill("Kees")
    page.get_by_label("Achternaam").fill("Nieuwkomer")
    page.get_by_label("Rol").select_option(Rol.SWV_CONTACTPERSOON)
    page.get_by_label("SWV", exact=True).select_option(str(swv(SWV_A).pk))
    page.get_by_role("button", name="Uitnodiging versturen").click()
    expect(page.get_by_text("nieuw.contact@swv.example is uitgenodigd als")).to_be_visible()
    lid = Lidmaatschap.objects.get(user__email="nieuw.contact@swv.example")
    assert (lid.rol, lid.swv.code) == (Rol.SWV_CONTACTPERSOON, SWV_A)
    assert any("nieuw.contact@swv.example" in m.to for m in mail.outbox)

    # The routekaart: change the deadline of "SWV geïnformeerd" for open actions too.
    oud = _actie(plaatsing, route.BEVESTIGD).deadline
    bezoek(f"/route/routekaart/{mensen['coalitie'].pk}/", "beheer-routekaart")
    page.get_by_role("link", name=re.compile("Wijzigen SWV geïnformeerd")).click()
    page.get_by_label("Termijn (aantal)").fill("15")
    page.get_by_label(re.compile("Ook de open acties van lopende routes")).check()
    page.get_by_role("button", name="Bekijk wat dit doet").click()
    effect = page.locator("#effect")
    expect(effect).to_contain_text("1 open actie van lopende routes krijgt de nieuwe waarden")
    screenshot(page, "beheer-routekaart-effect")
    page.get_by_role("button", name="Bevestigen en opslaan").click()
    nieuw = _actie(plaatsing, route.BEVESTIGD).deadline
    assert nieuw > oud

    bezoek(f"/plaatsingen/{plaatsing.pk}/", "detail-na-routekaart")
    regel = page.locator("li.actie-open", has_text="SWV geïnformeerd")
    expect(regel).to_contain_text(nieuw.strftime("%d-%m-%Y"))
    expect(regel).not_to_contain_text(oud.strftime("%d-%m-%Y"))


def test_school_worker_reopens_a_mistaken_action_and_records_the_uitschrijving(
    page, mensen, plaatsing, aanmelden, bezoek
):
    from plaatsingen.models import Plaatsing

    aanmelden(mensen["school"])
    bezoek(f"/plaatsingen/{plaatsing.pk}/", "detail-school")
    actie = page.locator("li.actie-open", has_text="Onderwijsgegevens overgedragen")
    actie.locator("summary", has_text="Afronden").click()
    actie.get_by_role("button", name="Markeer als gedaan").click()
    expect(page.get_by_text("Gedaan: Onderwijsgegevens overgedragen")).to_be_visible()

    # Done by mistake: reopen it, with the reason in the history.
    gedaan = page.locator("li.tijdlijn-fase.huidig li", has_text="Onderwijsgegevens overgedragen")
    gedaan.locator("summary", has_text="Heropenen").click()
    gedaan.get_by_label("Waarom heropenen?").fill("Per ongeluk aangeklikt")
    gedaan.get_by_role("button", name="Actie heropenen").click()
    expect(page.get_by_text("De actie staat weer open; de reden staat erbij.")).to_be_visible()
    expect(page.locator("li.actie-open", has_text="Onderwijsgegevens overgedragen")).to_have_count(
        1
    )
    expect(page.get_by_text("Per ongeluk aangeklikt").first).to_be_visible()

    # The actual uitschrijving, as the school knows it.
    page.locator("summary", has_text="Uitschrijving vastleggen").click()
    page.get_by_label("Datum uitschrijving").fill(plaatsing.startdatum.strftime("%d-%m-%Y"))
    page.get_by_label("Reden uitschrijving").select_option("mbo")
    page.get_by_role("button", name="Uitschrijving opslaan").click()
    expect(page.get_by_text("De uitschrijving is vastgelegd.")).to_be_visible()
    p = Plaatsing.objects.get(pk=plaatsing.pk)
    assert p.einddatum == plaatsing.startdatum and p.reden_uitschrijving == "mbo"
