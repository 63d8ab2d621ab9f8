"""An SWV contact who opens another SWV's placement gets the Dutch not-found page, the same as
for a placement that does not exist."""

import pytest
from playwright.sync_api import expect

from tests.conftest import RIJNSTROOM, SWV_A, SWV_B, persona

pytestmark = pytest.mark.django_db(transaction=True)


def test_contact_of_another_swv_gets_the_dutch_not_found_page(
    page, live_server, aanmelden, axe_check
):
    from coalitie.models import Rol
    from tests.factories import PlaatsingFactory, instellingsschool, swv

    andermans = PlaatsingFactory(
        verantwoordelijk_swv=swv(SWV_B), instellingsschool=instellingsschool(RIJNSTROOM)
    )
    aanmelden(persona(Rol.SWV_CONTACTPERSOON, swv=swv(SWV_A)))

    antwoord = page.goto(f"{live_server.url}/plaatsingen/{andermans.pk}/")
    assert antwoord.status == 404
    expect(page.get_by_role("heading", name="Niet gevonden")).to_be_visible()
    expect(
        page.get_by_text("Deze pagina bestaat niet, of u heeft er geen toegang toe.")
    ).to_be_visible()
    expect(page.get_by_text(andermans.leerling.achternaam)).to_have_count(0)
    axe_check(page, "niet-gevonden")

    bestaat_niet = page.goto(f"{live_server.url}/plaatsingen/{andermans.pk + 1000}/")
    assert bestaat_niet.status == 404
    expect(page.get_by_role("heading", name="Niet gevonden")).to_be_visible()
    page.get_by_role("link", name="Naar de plaatsingen").click()
    expect(page.get_by_role("heading", name="Plaatsingen")).to_be_visible()
