"""How the app looks and behaves for keyboard and phone users, on a small coalition in use: screenshots of
the main pages at 1280 px, no sideways scrolling at 390 px, a skip link and visible focus, and
empty pages that say what to do."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

TELEFOON = {"width": 390, "height": 844}


def detail_in_verblijf(voorbeeld):
    return voorbeeld["plaatsingen"][1]


def geen_horizontaal_scrollen(page, naam: str):
    breed = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if breed[0] > breed[1]:
        # Name the culprits: elements sticking out, not inside a scrolling table wrapper.
        te_breed = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                .filter(el => !el.closest('.tabel-wrap'))
                .slice(0, 8).map(el => el.tagName + '.' + el.className + ' ' +
                    Math.round(el.getBoundingClientRect().right))"""
        )
        pytest.fail(
            f"{naam}: de pagina is {breed[0]} px breed bij {breed[1]} px scherm: {te_breed}"
        )


def test_main_pages_at_desktop_width(page, voorbeeld, aanmelden, bezoek, screenshot):
    aanmelden(voorbeeld["swv"])
    bezoek("/", "home-voorbeeld")
    screenshot(page, "plaatsingen")
    plaatsing = detail_in_verblijf(voorbeeld)
    bezoek(f"/plaatsingen/{plaatsing.pk}/", "detail-voorbeeld")
    screenshot(page, "plaatsing-detail")

    aanmelden(voorbeeld["regie"])
    bezoek("/route/overzicht/", "overzicht-voorbeeld")
    screenshot(page, "overzicht")
    bezoek("/rapportage/dashboard/", "dashboard-voorbeeld")
    screenshot(page, "dashboard", volledig=False)


def test_main_pages_fit_a_phone_without_sideways_scrolling(
    page, voorbeeld, aanmelden, bezoek, screenshot
):
    page.set_viewport_size(TELEFOON)
    bezoek("/accounts/login/", "inloggen-telefoon")
    geen_horizontaal_scrollen(page, "inloggen")
    plaatsing = detail_in_verblijf(voorbeeld)
    paginas = {
        "swv": ["/", f"/plaatsingen/{plaatsing.pk}/", "/maandlijsten/"],
        "school": ["/plaatsingen/nieuw/"],
        "regie": ["/route/overzicht/"],
        "beheer": ["/import/"],
    }
    for rol, paden in paginas.items():
        aanmelden(voorbeeld[rol])
        for pad in paden:
            bezoek(pad, f"{pad} (390 px)")
            geen_horizontaal_scrollen(page, pad)
    aanmelden(voorbeeld["swv"])
    bezoek(f"/plaatsingen/{plaatsing.pk}/", "detail-telefoon")
    screenshot(page, "telefoon-plaatsing", volledig=False)


def test_tab_reaches_the_skip_link_first_and_focus_is_visible(
    page, voorbeeld, aanmelden, live_server
):
    aanmelden(voorbeeld["swv"])
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    skiplink = page.get_by_role("link", name="Naar de inhoud")
    expect(skiplink).to_be_focused()
    expect(skiplink).to_be_in_viewport()
    assert skiplink.evaluate("a => getComputedStyle(a).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "inhoud"

    # Every next stop shows a focus ring too.
    for _ in range(4):
        page.keyboard.press("Tab")
        stijl = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; }"
        )
        assert stijl[1] == "solid" and stijl[2] != "0px", stijl


def test_every_form_field_has_a_dutch_label(page, voorbeeld, aanmelden, bezoek):
    plaatsing = detail_in_verblijf(voorbeeld)
    for rol, pad in [
        ("school", "/plaatsingen/nieuw/"),
        ("regie", f"/plaatsingen/{plaatsing.pk}/"),
        ("regie", "/route/overzicht/"),
        ("beheer", "/import/"),
    ]:
        aanmelden(voorbeeld[rol])
        bezoek(pad, pad)
        zonder = page.evaluate(
            """() => [...document.querySelectorAll('input, select, textarea')]
                .filter(el => el.type !== 'hidden')
                .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
                .map(el => el.name)"""
        )
        assert zonder == [], f"{pad}: velden zonder label: {zonder}"
        engels = page.evaluate(
            """() => [...document.querySelectorAll('label, option, button, summary')]
                .map(el => el.textContent.trim())
                .filter(t => /^(Submit|Save|Cancel|Choose|Select|-{5,})$/i.test(t))"""
        )
        assert engels == [], f"{pad}: Engelse of lege teksten: {engels}"


def test_empty_pages_say_what_to_do(
    page, live_server, aanmelden, bezoek, screenshot, transactional_db
):
    from coalitie.models import Coalitie, Rol
    from tests.conftest import persona

    aanmelden(persona(Rol.PROCESREGISSEUR, coalitie=Coalitie.objects.get(slug="zuid-west")))
    bezoek("/", "home-leeg")
    expect(page.locator(".leeg")).to_contain_text("Nog geen open plaatsingen")
    bezoek("/route/overzicht/", "overzicht-leeg")
    expect(page.locator(".leeg")).to_contain_text("Er zijn geen open plaatsingen")
    screenshot(page, "overzicht-leeg", volledig=False)
