"""A placement registered by the instellingsschool, acknowledged by the SWV with its stamschool,
and the procesregisseur watching the signals go away."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.conftest import SCHAKENBOSCH, SWV_A, persona

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mensen(transactional_db):
    from coalitie.models import Coalitie, Rol
    from tests.factories import SchoolFactory, instellingsschool, swv

    SchoolFactory(brin="12AB01", naam="Stamschool De Delta", swv=swv(SWV_A))
    return {
        "school": persona(
            Rol.MEDEWERKER_INSTELLINGSSCHOOL, instellingsschool=instellingsschool(SCHAKENBOSCH)
        ),
        "swv": persona(Rol.SWV_CONTACTPERSOON, swv=swv(SWV_A)),
        "regie": persona(Rol.PROCESREGISSEUR, coalitie=Coalitie.objects.get(slug="zuid-west")),
    }


def rij_van(page, naam: str):
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=naam))


def test_school_registers_swv_acknowledges_and_the_signals_disappear(
    page, mensen, aanmelden, bezoek, axe_check, screenshot
):
    # Registered a month late: the deadlines to acknowledge and name the stamschool have passed.
    start = dt.date.today() - dt.timedelta(days=30)

    aanmelden(mensen["school"])
    bezoek("/", "home-instellingsschool")
    page.get_by_role("link", name="Nieuwe plaatsing registreren").click()
    expect(page.get_by_role("heading", name="Nieuwe plaatsing registreren")).to_be_visible()
    page.get_by_label("Instellingsschool").select_option(label=SCHAKENBOSCH)
    page.get_by_label("Leerlingnummer (iHUB)").fill("990001")
    page.get_by_label("Roepnaam").fill("Sanne")
    page.get_by_label("Achternaam").fill("Visser")
    page.get_by_label("Datum inschrijving").fill(
        start.strftime("%d-%m-%Y")
    )  # typed as Dutch users do
    page.get_by_label("Verantwoordelijk SWV").select_option(
        label=f"{SWV_A} SWV Zuid-Holland West (SWVZHW)"
    )
    page.get_by_role("button", name="Plaatsing registreren").click()
    expect(page.get_by_role("heading", name="Sanne Visser")).to_be_visible()
    expect(page.get_by_text("De plaatsing is geregistreerd")).to_be_visible()

    aanmelden(mensen["regie"])
    bezoek("/route/overzicht/", "overzicht-voor")
    rij = rij_van(page, "Sanne Visser")
    expect(rij.get_by_text("niet bevestigd")).to_be_visible()
    expect(rij.get_by_text("geen stamschool")).to_be_visible()

    aanmelden(mensen["swv"])
    bezoek("/", "home-swv")
    rij_van(page, "Sanne Visser").get_by_role("link", name="Sanne Visser").click()
    page.get_by_role("button", name="Plaatsing bevestigen").click()
    expect(page.get_by_text("Gedaan: SWV geïnformeerd en plaatsing bevestigd.")).to_be_visible()

    stamschool = page.locator("li.actie").filter(has_text="Stamschool geïnformeerd")
    stamschool.get_by_text("Afronden").click()
    stamschool.get_by_label("Stamschool (BRIN of naam)").fill("12ab01")
    stamschool.get_by_label("Naam contactpersoon stamschool").fill("J. de Vries")
    stamschool.get_by_role("button", name="Markeer als gedaan").click()
    expect(page.get_by_text("Gedaan: Stamschool geïnformeerd")).to_be_visible()
    expect(page.locator(".gegevens").get_by_text("Stamschool De Delta")).to_be_visible()
    axe_check(page, "detail-swv")

    aanmelden(mensen["regie"])
    bezoek("/route/overzicht/", "overzicht-na")
    rij = rij_van(page, "Sanne Visser")
    expect(rij).to_be_visible()
    expect(rij.get_by_text("niet bevestigd")).to_have_count(0)
    expect(rij.get_by_text("geen stamschool")).to_have_count(0)
    screenshot(page, "overzicht-procesregisseur")
