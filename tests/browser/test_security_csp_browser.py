"""The strict CSP in a real browser: no violations on the login, TOTP set-up, list and detail
pages, and the TOTP QR code (a data: image) still renders."""

import pytest

from tests.conftest import persona
from tests.test_login import WACHTWOORD

pytestmark = pytest.mark.django_db(transaction=True)


def _csp_meldingen(page) -> list[str]:
    meldingen: list[str] = []
    page.on(
        "console",
        lambda msg: meldingen.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return meldingen


def test_totp_setup_shows_the_qr_code_without_csp_violations(page, live_server):
    from tests.factories import UserFactory

    user = UserFactory()  # no TOTP yet: MFA_REQUIRED sends it to the set-up page
    meldingen = _csp_meldingen(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    if "/reauthenticate/" in page.url:  # allauth asks for the password again first
        page.get_by_label("Wachtwoord").fill(WACHTWOORD)
        page.get_by_role("button").filter(has_text="Bevestig").first.click()
    page.wait_for_url("**/2fa/totp/activate/**")
    qr = page.locator("img[src^='data:image/svg+xml']")
    assert qr.count() == 1
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert meldingen == []


def test_list_and_detail_pages_have_no_csp_violations(page, live_server, transactional_db):
    from coalitie.models import Rol
    from tests.factories import PlaatsingFactory, swv
    from tests.test_login import totp_code

    user = persona(Rol.SWV_CONTACTPERSOON, swv=swv("VO 28-06"))
    plaatsing = PlaatsingFactory()
    meldingen = _csp_meldingen(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(WACHTWOORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code").fill(totp_code(user.totp_secret))
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(f"{live_server.url}/te-doen/")
    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).is_visible()
    page.goto(f"{live_server.url}/plaatsingen/{plaatsing.pk}/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert meldingen == []
