"""The account pages that come from allauth (two-step verification, password reset) are Dutch
and accessible too."""

import pytest
from playwright.sync_api import expect

from tests.test_login import WACHTWOORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_step_pages_are_dutch_and_accessible(page, live_server, aanmelden, bezoek, screenshot):
    from coalitie.models import Rol
    from tests.conftest import SWV_A, persona
    from tests.factories import swv

    aanmelden(persona(Rol.SWV_CONTACTPERSOON, swv=swv(SWV_A)))
    bezoek("/", "home")
    page.get_by_role("link", name="Tweestapsverificatie").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    bezoek(page.url.removeprefix(live_server.url), "mfa-overzicht")
    screenshot(page, "mfa-overzicht", volledig=False)
    bezoek("/accounts/password/reset/", "wachtwoord-vergeten")
    screenshot(page, "wachtwoord-vergeten", volledig=False)


def test_totp_setup_page_is_accessible(page, live_server, axe_check, screenshot):
    from tests.factories import UserFactory

    user = UserFactory()  # no TOTP yet: sent to the set-up page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    if "/reauthenticate/" in page.url:
        axe_check(page, "herauthenticatie")
        page.get_by_label("Wachtwoord").fill(WACHTWOORD)
        page.get_by_role("button").filter(has_text="Bevestig").first.click()
    page.wait_for_url("**/2fa/totp/activate/**")
    axe_check(page, "totp-instellen")
    screenshot(page, "totp-instellen", volledig=False)
