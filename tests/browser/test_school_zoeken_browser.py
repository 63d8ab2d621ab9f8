"""The stamschool field finds a school by name as the user types (htmx into a <datalist>),
inside the route section whose own htmx settings (hx-select="#inhoud") it must not inherit."""

import pytest
from playwright.sync_api import expect

from coalitie.toegang import SYSTEEM
from tests.conftest import SCHAKENBOSCH, SWV_A, persona

pytestmark = pytest.mark.django_db(transaction=True)


def test_typing_part_of_a_name_offers_the_fitting_schools(page, aanmelden, live_server):
    from coalitie.models import Rol
    from routetool.services import route_starten
    from tests.factories import PlaatsingFactory, SchoolFactory, instellingsschool, swv

    SchoolFactory(brin="12AB01", naam="Het Mozaïek College")
    SchoolFactory(brin="12AB02", naam="Mozaïek Lyceum")
    SchoolFactory(brin="34CD01", naam="De Brug")
    p = PlaatsingFactory(
        instellingsschool=instellingsschool(SCHAKENBOSCH), verantwoordelijk_swv=swv(SWV_A)
    )
    route_starten(plaatsingen=[p], door=SYSTEEM)
    aanmelden(persona(Rol.SWV_CONTACTPERSOON, swv=swv(SWV_A)))
    page.goto(f"{live_server.url}/plaatsingen/{p.pk}/")
    actie = page.locator("li.actie-open", has_text="Stamschool geïnformeerd")
    actie.locator("summary", has_text="Afronden").click()
    veld = actie.get_by_label("Stamschool (BRIN of naam)")
    veld.press_sequentially("moza", delay=30)
    opties = actie.locator("datalist option")
    expect(opties).to_have_count(2)
    assert opties.first.get_attribute("value") == "Het Mozaïek College (12AB01)"
    veld.fill("Mozaïek Lyceum (12AB02)")
    actie.get_by_role("button", name="Markeer als gedaan").click()
    expect(page.get_by_text("Gedaan: Stamschool geïnformeerd").first).to_be_visible()
    p.refresh_from_db()
    assert p.stamschool.brin == "12AB02"
