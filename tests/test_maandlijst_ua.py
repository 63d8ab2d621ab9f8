"""The faster monthly list PDF (fewer cells, small user-agent stylesheet) holds all it held."""

import re

import pytest
import time_machine

from coalitie.toegang import SYSTEEM
from rapportage import pdf
from rapportage.selectors import maandlijst_regels
from rapportage.services import maandlijst_maken

from .conftest import SWV_A
from .factories import swv
from .test_maandlijst_inhoud import (  # noqa: F401
    GEMAAKT_OP,
    OKTOBER,
    _bestanden_in_tmp,
    oktober,
    pdf_tekst,
)


def _box(html: str, tag: str, small_ua: bool):
    doc = pdf._document(html, small_ua).render()
    boxes = doc.pages[0]._page_box.descendants()
    return next(b for b in boxes if getattr(b, "element_tag", None) == tag)


def test_weasyprint_lays_out_with_the_small_user_agent_stylesheet():
    # A <ul> is indented by WeasyPrint's HTML5 stylesheet and has no rule in the small one: if
    # WeasyPrint stopped asking the HTML class for its stylesheets, both would be indented.
    html = "<html><body><ul><li>x</li></ul></body></html>"
    assert _box(html, "ul", small_ua=False).padding_left > 0
    assert _box(html, "ul", small_ua=True).padding_left == 0


def test_the_small_stylesheet_keeps_the_html5_rules_the_lists_use():
    html = "<html><body><table><tr><th>kop</th></tr></table><h1>titel</h1></body></html>"
    for tag in ("th", "h1", "body"):
        gewoon, klein = _box(html, tag, False), _box(html, tag, True)
        for eigenschap in ("font_weight", "font_size", "margin_top", "padding_top", "display"):
            assert klein.style[eigenschap] == gewoon.style[eigenschap], (tag, eigenschap)


@pytest.mark.django_db
@time_machine.travel(GEMAAKT_OP, tick=False)
def test_every_field_of_every_row_is_on_the_pdf(oktober):  # noqa: F811
    regels = maandlijst_regels(swv=swv(SWV_A), maand=OKTOBER)
    lijst, _ = maandlijst_maken(swv=swv(SWV_A), maand=OKTOBER, door=SYSTEEM)
    tekst = pdf_tekst(lijst)
    vlak = " ".join(tekst.split())
    for kop in ("Leerling", "leerlingnummer · geboortedatum", "Instellingsschool", "locatie"):
        assert kop in vlak
    for r in regels:
        # Leerlingnummer and geboortedatum on one line, never split inside the number.
        assert f"{r.leerlingnummer} · {r.geboortedatum:%d-%m-%Y}" in tekst
        velden = [r.naam, r.school, r.locatie, r.status, r.fase, r.stamschool, r.vervolgplek]
        velden += [r.startdatum.strftime("%d-%m-%Y"), r.signalen]
        if r.einddatum:
            velden.append(r.einddatum.strftime("%d-%m-%Y"))
        for waarde in filter(None, velden):
            assert " ".join(waarde.split()) in vlak, waarde
    assert not re.search(r"\d-\n\d", tekst)
