"""The procesregisseur walks one placement from instroom to afgesloten with the buttons of the
placement page; leaving instroom too early is refused with a Dutch message."""

import pytest
from playwright.sync_api import expect

from coalitie.toegang import SYSTEEM
from tests.conftest import persona

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def regie(transactional_db):
    from coalitie.models import Coalitie, Rol

    return persona(Rol.PROCESREGISSEUR, coalitie=Coalitie.objects.get(slug="zuid-west"))


@pytest.fixture
def plaatsing(transactional_db):
    from routetool.services import route_starten
    from tests.factories import LeerlingFactory, PlaatsingFactory

    p = PlaatsingFactory(leerling=LeerlingFactory(roepnaam="Noor", achternaam="Bakker"))
    route_starten(plaatsingen=[p], door=SYSTEEM)
    return p


def open_acties(page):
    return page.locator("li.tijdlijn-fase.huidig li.actie-open")


def alles_overslaan(page, axe_check=None):
    """Skip every open action of the current phase, one form post each."""
    while voor := open_acties(page).count():
        actie = open_acties(page).first
        # On a loaded machine the route section can still be swapped in (htmx) after the
        # previous step's message showed: the fresh copy has its form folded again, so unfold
        # it anew when the field does not become visible.
        for poging in range(3):
            actie.locator("summary", has_text="Overslaan").click()
            veld = actie.get_by_label("Reden om over te slaan")
            try:
                expect(veld).to_be_visible(timeout=5_000)
                break
            except AssertionError:
                if poging == 2:
                    raise
        if axe_check:  # once, with a form unfolded
            axe_check(page, "detail-overslaan-open")
            axe_check = None
        veld.fill("Niet van toepassing in de test.")
        actie.get_by_role("button", name="Overslaan").click()
        # The route section is swapped in place (htmx): wait for this action to leave the list,
        # not for a message that the previous skip already showed.
        expect(open_acties(page)).to_have_count(voor - 1)
        expect(page.get_by_text("Overgeslagen:").first).to_be_visible()


def naar(page, knop: str, fase: str):
    page.get_by_role("button", name=knop, exact=True).click()
    expect(page.get_by_text(f"De plaatsing is nu in de fase {fase}.")).to_be_visible()


def test_procesregisseur_walks_a_placement_from_instroom_to_afgesloten(
    page, regie, plaatsing, aanmelden, bezoek, axe_check, screenshot
):
    aanmelden(regie)
    bezoek(f"/plaatsingen/{plaatsing.pk}/", "detail-instroom")
    # A full page load would wipe this; the route buttons swap only the main area (htmx).
    page.evaluate("window.__zelfdePagina = true")

    # Too early: the required actions of instroom are still open, so the step is offered
    # without a button, with the reason beside it (issue 19, defect 6).
    niet_mogelijk = page.locator(".overgang-niet-mogelijk", has_text="Naar verblijf")
    expect(niet_mogelijk).to_contain_text(
        "De fase instroom kan pas worden afgesloten als deze verplichte acties gedaan of "
        "overgeslagen zijn"
    )
    expect(page.get_by_role("button", name="Naar verblijf", exact=True)).to_have_count(0)
    axe_check(page, "detail-geweigerd")

    alles_overslaan(page, axe_check)
    naar(page, "Naar verblijf", "verblijf")
    alles_overslaan(page)
    naar(page, "Naar uitstroom", "uitstroom")

    vervolgplek = open_acties(page).filter(has_text="Vervolgplek vastgelegd")
    vervolgplek.locator("summary", has_text="Afronden").click()
    vervolgplek.get_by_label("Soort vervolgplek").select_option("mbo")
    vervolgplek.get_by_label("Omschrijving").fill("Entree-opleiding")
    vervolgplek.get_by_label("Startdatum op de vervolgplek").fill("02-02-2026")
    axe_check(page, "detail-afronden-open")
    vervolgplek.get_by_role("button", name="Markeer als gedaan").click()
    expect(page.get_by_text("Gedaan: Vervolgplek vastgelegd")).to_be_visible()
    alles_overslaan(page)
    naar(page, "Naar nazorg", "nazorg")
    alles_overslaan(page)
    # Closing needs the actual uitschrijving, recorded on the page (issue 19, defect 7).
    page.locator("summary", has_text="Uitschrijving vastleggen").click()
    page.get_by_label("Datum uitschrijving").fill("30-01-2026")  # dd-mm-jjjj, as typed
    page.get_by_label("Reden uitschrijving").select_option("mbo")
    page.get_by_role("button", name="Uitschrijving opslaan").click()
    expect(page.get_by_text("De uitschrijving is vastgelegd.")).to_be_visible()
    naar(page, "Route afsluiten", "afgesloten")

    expect(page.locator("h1 + p .fase")).to_have_text("afgesloten")
    expect(page.get_by_role("button", name="Route afsluiten")).to_have_count(0)
    expect(page.locator(".tijdlijn-fase")).to_have_count(5)
    assert page.evaluate("window.__zelfdePagina === true"), "een knop laadde de hele pagina opnieuw"
    axe_check(page, "detail-afgesloten")
    screenshot(page, "plaatsing-tijdlijn")
