"""Login with password and a TOTP code generated in the test, logout, wrong password."""

import pytest

from tests.conftest import persona
from tests.test_login import WACHTWOORD, totp_code

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def contactpersoon(transactional_db):
    from coalitie.models import Rol
    from tests.factories import swv

    return persona(Rol.SWV_CONTACTPERSOON, swv=swv("VO 28-06"))


def inloggen(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code").fill(totp_code(user.totp_secret))
    page.get_by_role("button", name="Aanmelden").click()


def test_login_with_password_and_totp_then_logout(
    page, live_server, contactpersoon, axe_check, screenshot
):
    page.goto(f"{live_server.url}/accounts/login/")
    axe_check(page, "inloggen")
    screenshot(page, "inloggen")
    inloggen(page, live_server, contactpersoon)
    page.wait_for_url(f"{live_server.url}/te-doen/")  # every role starts on Te doen
    assert page.get_by_role("heading", name="Te doen", exact=True).is_visible()
    axe_check(page, "home")
    page.get_by_role("button", name="Uitloggen").click()
    if page.get_by_role("button", name="Uitloggen").count():
        page.get_by_role("button", name="Uitloggen").click()  # allauth asks to confirm
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url


def test_wrong_password_shows_a_dutch_message(page, live_server, contactpersoon, axe_check):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(contactpersoon.email)
    page.get_by_label("Wachtwoord").fill("helemaal fout")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_text("wachtwoord is niet correct").is_visible()
    axe_check(page, "inloggen-fout")
