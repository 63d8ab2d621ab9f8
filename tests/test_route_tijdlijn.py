"""The timeline starts at the inschrijving and keeps the route's order (issue 19, defect 5)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from routetool.models import Transitie
from routetool.selectors import tijdlijn
from routetool.services import transitie_uitvoeren
from routetool.states import Fase

from .test_route_transities import VANDAAG, fase_afronden, gestart

pytestmark = pytest.mark.django_db


@time_machine.travel(VANDAAG)
def test_the_timeline_starts_on_the_inschrijving_date_not_at_the_import(client, procesregisseur):
    p = gestart(startdatum=dt.date(2025, 9, 1))
    blokken = tijdlijn(p)
    assert blokken[0]["fase"] == Fase.INSTROOM
    assert blokken[0]["vanaf"] == dt.date(2025, 9, 1)
    client.force_login(procesregisseur)
    html = client.get(reverse("plaatsingen:detail", args=[p.pk])).content.decode()
    tijdlijn_html = html.split("Tijdlijn")[1]
    assert "01-09-2025" in tijdlijn_html.split("</h4>")[0]


@time_machine.travel(VANDAAG)
def test_a_back_dated_move_does_not_put_verblijf_above_instroom(procesregisseur):
    p = gestart(startdatum=dt.date(2025, 9, 1))
    fase_afronden(p)
    transitie_uitvoeren(
        plaatsing_id=p.pk, naar=Fase.VERBLIJF, door=procesregisseur, versie=p.versie
    )
    # As the demo and history loads do: the move into verblijf is dated back to October.
    Transitie.objects.filter(plaatsing=p, naar=Fase.VERBLIJF).update(
        op=timezone.make_aware(dt.datetime(2025, 10, 1, 14))
    )
    blokken = tijdlijn(p)
    assert [b["fase"] for b in blokken] == [Fase.INSTROOM, Fase.VERBLIJF]
    assert blokken[0]["tot"] == dt.date(2025, 10, 1)
