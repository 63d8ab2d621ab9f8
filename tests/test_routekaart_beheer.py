"""The routekaart editor in the app: route order, defaults beside own values, the effect on
running routes shown before saving, own coalition only."""

import pytest
import time_machine
from django.urls import reverse

from coalitie.models import Coalitie
from routetool.models import Actie, ActieStatus, Routekaart

from .test_route_transities import VANDAAG, gestart

pytestmark = pytest.mark.django_db


def _zw():
    return Coalitie.objects.get(slug="zuid-west")


def _url(coalitie, fase="instroom", code="stamschool"):
    return reverse("routetool:routekaart_actie", args=[coalitie.pk, fase, code])


def _post(client, coalitie, aantal, toepassen, bevestigd=False):
    data = {
        "omschrijving": "Stamschool geïnformeerd, contactpersoon vastgelegd",
        "wie": "swv",
        "termijn_soort": "werkdagen_na_fasestart",
        "aantal": aantal,
        "verplicht": "on",
        "actief": "on",
        "toepassen": toepassen,
    }
    if bevestigd:
        data["bevestigd"] = "1"
    return client.post(_url(coalitie), data)


def test_the_routekaart_shows_phases_in_route_order_with_the_defaults(client, beheerder):
    client.force_login(beheerder)
    html = client.get(reverse("routetool:routekaart", args=[_zw().pk])).content.decode()
    posities = [
        html.index(f'id="fase-{f}"') for f in ("instroom", "verblijf", "uitstroom", "nazorg")
    ]
    assert posities == sorted(posities)
    assert "standaardroutekaart" in html and "10 werkdagen na start van de fase" in html


@time_machine.travel(VANDAAG)
def test_a_deadline_change_shows_its_effect_first_and_then_applies_to_open_actions(
    client, beheerder
):
    p = gestart(startdatum=VANDAAG)
    actie = Actie.objects.get(plaatsing=p, code="stamschool")
    oud = actie.deadline
    client.force_login(beheerder)
    r = _post(client, _zw(), 15, "open")
    assert r.status_code == 200
    assert "1 open actie van lopende routes krijgt de nieuwe waarden" in r.content.decode()
    assert not Routekaart.objects.filter(coalitie=_zw()).exists()  # nothing saved yet
    actie.refresh_from_db()
    assert actie.deadline == oud
    r = _post(client, _zw(), 15, "open", bevestigd=True)
    assert r.status_code == 302
    kaart = Routekaart.objects.get(coalitie=_zw())
    assert kaart.acties.get(code="stamschool").aantal == 15
    actie.refresh_from_db()
    assert actie.aantal == 15 and actie.deadline > oud
    html = client.get(reverse("routetool:routekaart", args=[_zw().pk])).content.decode()
    assert "afwijkend" in html


@time_machine.travel(VANDAAG)
def test_from_now_on_only_leaves_running_routes_alone(client, beheerder):
    p = gestart(startdatum=VANDAAG)
    actie = Actie.objects.get(plaatsing=p, code="stamschool")
    client.force_login(beheerder)
    r = _post(client, _zw(), 15, "nieuw", bevestigd=True)
    assert r.status_code == 302
    actie.refresh_from_db()
    assert actie.aantal == 10
    assert Routekaart.objects.get(coalitie=_zw()).acties.get(code="stamschool").aantal == 15


def test_another_coalitions_beheerder_and_other_roles_cannot_edit(
    client, beheerder_andere_coalitie, procesregisseur
):
    client.force_login(beheerder_andere_coalitie)
    assert client.get(reverse("routetool:routekaart", args=[_zw().pk])).status_code == 404
    assert _post(client, _zw(), 1, "open", bevestigd=True).status_code == 404
    client.force_login(procesregisseur)
    assert _post(client, _zw(), 1, "open", bevestigd=True).status_code == 403
    assert not Routekaart.objects.filter(coalitie=_zw()).exists()
    assert Actie.objects.filter(status=ActieStatus.OPEN, aantal=1).count() == 0
