"""Each role starts on its Te doen page and does its most common job from there; every page of
every role at 1280 and 390 px: no sideways scrolling, axe without serious or critical findings.
Screenshots of each role's Te doen page go into the README (docs/screenshots/tedoen-*.png)."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_weergave_browser import TELEFOON, geen_horizontaal_scrollen

pytestmark = pytest.mark.django_db(transaction=True)


def start_op_te_doen(page, live_server, bezoek, naam):
    """The brand link is the way home: it leads to Te doen, the page login also lands on."""
    bezoek("/te-doen/", naam)
    expect(page.get_by_role("heading", level=1)).to_have_text("Te doen")
    assert page.locator("a.merk").get_attribute("href") == "/te-doen/"


def test_swv_contact_acknowledges_two_new_placements_at_once(
    page, live_server, voorbeeld, aanmelden, bezoek, screenshot
):
    aanmelden(voorbeeld["swv"])
    start_op_te_doen(page, live_server, bezoek, "tedoen-swv")
    screenshot(page, "tedoen-swv")
    sectie = page.locator("#swv-bevestigen")
    vakjes = sectie.get_by_role("checkbox")
    aantal = vakjes.count()
    assert aantal >= 2
    vakjes.nth(0).check()
    vakjes.nth(1).check()
    sectie.get_by_role("button", name="Geselecteerde plaatsingen bevestigen").click()
    expect(page.get_by_text("2 acties afgerond.")).to_be_visible()
    expect(page.locator("#swv-bevestigen").get_by_role("checkbox")).to_have_count(aantal - 2)
    bezoek(page.url.replace(live_server.url, ""), "tedoen-swv-na-bevestigen")


def test_school_records_an_uitschrijving_from_te_doen(
    page, live_server, voorbeeld, aanmelden, bezoek, screenshot
):
    from plaatsingen.models import Plaatsing

    vertrekt = voorbeeld["plaatsingen"][3]  # in uitstroom at Schakenbosch
    Plaatsing.objects.filter(pk=vertrekt.pk).update(
        verwachte_uitstroomdatum=timezone.localdate() - dt.timedelta(days=1)
    )
    aanmelden(voorbeeld["school"])
    start_op_te_doen(page, live_server, bezoek, "tedoen-school")
    screenshot(page, "tedoen-school")
    kaart = page.locator("#school-uitschrijvingen li", has_text="Lucas Bakker")
    datum = (timezone.localdate() - dt.timedelta(days=1)).strftime("%d-%m-%Y")
    veld = kaart.get_by_label("Datum uitschrijving")
    assert veld.get_attribute("placeholder") == "dd-mm-jjjj"
    veld.fill(datum)
    kaart.get_by_label("Reden").select_option("mbo")
    kaart.get_by_role("button", name="Uitschrijving vastleggen").click()
    expect(page.get_by_text("De uitschrijving is vastgelegd")).to_be_visible()
    vertrekt.refresh_from_db()
    assert vertrekt.einddatum.strftime("%d-%m-%Y") == datum
    assert vertrekt.reden_uitschrijving == "mbo"


def test_procesregisseur_filters_overdue_by_who_sorts_and_exports_exactly_those_rows(
    page, live_server, voorbeeld, aanmelden, bezoek, screenshot
):
    aanmelden(voorbeeld["regie"])
    start_op_te_doen(page, live_server, bezoek, "tedoen-regie")
    screenshot(page, "tedoen-regie")
    page.get_by_role("link", name="Overzicht open plaatsingen").click()
    page.get_by_label("Wie moet handelen").select_option("swv")
    page.get_by_label("Termijn", exact=True).select_option("te_laat")
    page.get_by_role("button", name="Filteren").click()
    # Sort by days overdue, most first: a second click on the header reverses it.
    page.get_by_role("link", name="Dagen te laat").click()
    page.get_by_role("link", name="Dagen te laat").click()
    assert "sorteer=-dagen_te_laat" in page.url and "wie=swv" in page.url
    bezoek(page.url.replace(live_server.url, ""), "overzicht-gefilterd")
    screenshot(page, "overzicht-gefilterd")
    namen = page.locator("table.tabel tbody tr td:first-child a").all_inner_texts()
    dagen = [
        int(t)
        for t in page.locator("table.tabel tbody td[data-label='Dagen te laat']").all_inner_texts()
    ]
    assert namen and dagen == sorted(dagen, reverse=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="Exporteren naar Excel").click()
    pad = info.value.path()
    with open(pad, "rb") as f:
        ws = openpyxl.load_workbook(io.BytesIO(f.read())).active
    rijen = list(ws.iter_rows(values_only=True))[1:]
    assert [" ".join(p for p in (r[1], r[2], r[3]) if p) for r in rijen] == namen
    assert [r[9] for r in rijen] == dagen


def test_penvoerder_and_beheerder_start_on_their_te_doen(
    page, live_server, voorbeeld, aanmelden, bezoek, screenshot
):
    aanmelden(voorbeeld["penvoerder"])
    start_op_te_doen(page, live_server, bezoek, "tedoen-penvoerder")
    expect(page.get_by_role("heading", name="Maandlijsten", exact=False)).to_be_visible()
    screenshot(page, "tedoen-penvoerder")
    aanmelden(voorbeeld["beheer"])
    start_op_te_doen(page, live_server, bezoek, "tedoen-beheerder")
    expect(page.get_by_text("Uitnodigingen niet geaccepteerd")).to_be_visible()
    screenshot(page, "tedoen-beheerder")


PAGINAS = {
    "swv": ["/te-doen/", "/", "/?formaat=afdruk", "/meldingen/", "/maandlijsten/", "DETAIL"],
    "school": ["/te-doen/", "/", "/plaatsingen/nieuw/", "/meldingen/", "DETAIL"],
    "regie": [
        "/te-doen/",
        "/route/overzicht/",
        "/route/overzicht/?formaat=afdruk",
        "/",
        "/meldingen/",
        "/rapportage/dashboard/",
        "DETAIL",
    ],
    "penvoerder": ["/te-doen/", "/", "/maandlijsten/", "/rapportage/monitor/", "/meldingen/"],
    "beheer": ["/te-doen/", "/", "/route/overzicht/", "/import/", "/privacy/", "/meldingen/"],
}


@pytest.mark.parametrize("breedte", [1280, 390])
def test_every_page_of_every_role_fits_and_passes_axe(
    page, live_server, voorbeeld, aanmelden, bezoek, screenshot, breedte
):
    from coalitie.meldingen import melden

    page.set_viewport_size(TELEFOON if breedte == 390 else {"width": 1280, "height": 900})
    detail = voorbeeld["plaatsingen"][1]
    te_laat_gezien = 0
    for rol, paden in PAGINAS.items():
        melden([voorbeeld[rol]], "test", "De maandlijst van VO 28-06 staat klaar.", url="/")
        aanmelden(voorbeeld[rol])
        for pad in paden:
            pad = f"/plaatsingen/{detail.pk}/" if pad == "DETAIL" else pad
            bezoek(pad, f"{rol} {pad} {breedte}")
            geen_horizontaal_scrollen(page, f"{rol} {pad} {breedte}")
        if breedte == 390:
            page.goto(f"{live_server.url}/te-doen/")
            screenshot(page, f"tedoen-{rol}-telefoon")
            te_laat_gezien += markering_naast_het_label(page)
    if breedte == 390:
        assert te_laat_gezien, "no overdue card on any Te doen page: the check saw nothing"


def markering_naast_het_label(page) -> int:
    """On a phone an overdue row is a card whose left edge is red; the mark used to be drawn
    over the first letter of the first cell's label. Returns how many such cards it saw."""
    rijen = page.locator("tr.rij-te-laat")
    for i in range(rijen.count()):
        rij = rijen.nth(i)
        stijl = rij.evaluate(
            """tr => ({rand: getComputedStyle(tr).borderLeftWidth,
                       schaduw: getComputedStyle(tr.cells[0]).boxShadow})"""
        )
        assert stijl == {"rand": "4px", "schaduw": "none"}, stijl
    return rijen.count()


def test_dates_are_dd_mm_jjjj_in_an_english_browser_too(browser, live_server, voorbeeld):
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(voorbeeld["school"])
    context = browser.new_context(locale="en-US", timezone_id="Europe/Amsterdam")
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/plaatsingen/nieuw/")
    veld = page.get_by_label("Datum inschrijving")
    assert veld.get_attribute("type") == "text"
    assert veld.get_attribute("placeholder") == "dd-mm-jjjj"
    veld.fill("05-03-2026")
    assert veld.evaluate("el => el.checkValidity()")
    veld.fill("03/05/2026")
    assert not veld.evaluate("el => el.checkValidity()")  # the US order is refused at once
    context.close()
