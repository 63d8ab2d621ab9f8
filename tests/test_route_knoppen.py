"""Transition controls offer only what is possible now, say which box is which, and aborting
asks for a standard reason and a confirmation and shows 'afgebroken' (issue 19, defect 6)."""

import re

import pytest
import time_machine
from django.urls import reverse

from routetool.states import Fase

from .test_route_transities import VANDAAG, fase_afronden, gestart

pytestmark = pytest.mark.django_db


def _detail(client, p):
    return client.get(reverse("plaatsingen:detail", args=[p.pk])).content.decode()


@time_machine.travel(VANDAAG)
def test_a_step_that_is_not_possible_now_has_no_button_but_says_why(client, procesregisseur):
    p = gestart()
    client.force_login(procesregisseur)
    html = _detail(client, p)
    assert "Naar verblijf</strong>: nog niet mogelijk" in html
    assert ">Naar verblijf</button>" not in html
    fase_afronden(p)
    html = _detail(client, p)
    assert ">Naar verblijf</button>" in html


@time_machine.travel(VANDAAG)
def test_every_explanation_box_names_its_step(client, procesregisseur):
    p = gestart()
    fase_afronden(p)
    client.force_login(procesregisseur)
    labels = re.findall(r"<label for=\"id_overgang_[^\"]+\">([^<]+)</label>", _detail(client, p))
    assert "Toelichting (optioneel)" not in labels
    assert len(labels) == len(set(labels))


@time_machine.travel(VANDAAG)
def test_aborting_needs_a_standard_reason_and_confirmation_and_shows_afgebroken(
    client, procesregisseur
):
    p = gestart()
    client.force_login(procesregisseur)
    url = reverse("routetool:transitie", args=[p.pk])
    basis = {"naar": "afgesloten", "versie": p.versie, "afbreken": "True"}
    client.post(url, basis | {"reden": "weg"})
    p.refresh_from_db()
    assert p.fase == Fase.INSTROOM  # no reason chosen, not confirmed
    client.post(url, basis | {"reden_keuze": "verhuisd naar het buitenland"})
    p.refresh_from_db()
    assert p.fase == Fase.INSTROOM  # not confirmed
    client.post(url, basis | {"reden_keuze": "verhuisd naar het buitenland", "bevestigd": "on"})
    p.refresh_from_db()
    assert p.fase == Fase.AFGESLOTEN
    html = _detail(client, p)
    assert "afgebroken</span> (reden: verhuisd naar het buitenland)" in html
