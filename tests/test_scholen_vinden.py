"""Issue 19, defect 10: a school is found by BRIN or by name (with or without JavaScript), the
stamschool is pre-filled when known, and the vervolgplek is not typed again."""

import re

import pytest
import time_machine
from django import forms
from django.urls import reverse

from coalitie.scholen import SchoolVeld
from routetool import route
from routetool.models import Actie, ActieStatus
from routetool.states import Fase

from .factories import LeerlingFactory, PlaatsingFactory, SchoolFactory
from .test_route_transities import VANDAAG, gestart, in_fase

pytestmark = pytest.mark.django_db


@pytest.fixture
def scholen():
    return (
        SchoolFactory(brin="12AB01", naam="Het Mozaïek College"),
        SchoolFactory(brin="12AB02", naam="Mozaïek Lyceum"),
        SchoolFactory(brin="34CD01", naam="De Brug"),
    )


def test_a_school_field_takes_a_brin_a_name_or_the_type_ahead_text(scholen):
    mozaiek, lyceum, brug = scholen
    veld = SchoolVeld(required=False)
    assert veld.clean("12ab01") == mozaiek
    assert veld.clean("de brug") == brug  # the whole name, any case
    assert veld.clean("lyceum") == lyceum  # part of a name that fits one school
    assert veld.clean("Mozaïek Lyceum (12AB02)") == lyceum  # what the datalist offers
    assert veld.clean("") is None
    with pytest.raises(forms.ValidationError, match="Meer scholen passen bij 'mozaïek'"):
        veld.clean("mozaïek")
    with pytest.raises(forms.ValidationError, match="geen school bekend met BRIN 99ZZ01"):
        veld.clean("99ZZ01")


def test_the_school_search_offers_fitting_schools_to_people_with_a_role_only(
    client, contact_swv_a, zonder_rol, scholen
):
    client.force_login(contact_swv_a)
    html = client.get(reverse("scholen_zoeken"), {"actie7-stamschool": "moza"}).content.decode()
    assert "Het Mozaïek College (12AB01)" in html and "Mozaïek Lyceum (12AB02)" in html
    assert "De Brug" not in html
    client.force_login(zonder_rol)
    assert client.get(reverse("scholen_zoeken"), {"q": "moza"}).status_code == 403
    client.logout()
    assert client.get(reverse("scholen_zoeken"), {"q": "moza"}).status_code == 302


def _invoer(html, naam_deel):
    return re.search(rf'<input[^>]*name="[^"]*{naam_deel}"[^>]*>', html).group(0)


@time_machine.travel(VANDAAG)
def test_the_stamschool_action_starts_on_the_school_of_the_previous_placement(
    client, contact_swv_a, scholen
):
    leerling = LeerlingFactory()
    PlaatsingFactory(
        leerling=leerling,
        stamschool=scholen[2],
        startdatum=VANDAAG.replace(year=2024),
        einddatum=VANDAAG.replace(year=2025, month=1),
        fase=Fase.AFGESLOTEN,
    )
    p = gestart(leerling=leerling)
    assert p.stamschool is None
    client.force_login(contact_swv_a)
    html = client.get(reverse("plaatsingen:detail", args=[p.pk])).content.decode()
    veld = _invoer(html, "-stamschool")
    assert 'value="De Brug (34CD01)"' in veld and 'list="' in veld and "hx-get" in veld


@time_machine.travel(VANDAAG)
def test_the_stamschool_from_the_import_is_pre_filled(client, contact_swv_a, scholen):
    p = gestart(stamschool=scholen[0])
    client.force_login(contact_swv_a)
    html = client.get(reverse("plaatsingen:detail", args=[p.pk])).content.decode()
    assert 'value="Het Mozaïek College (12AB01)"' in _invoer(html, "-stamschool")


@time_machine.travel(VANDAAG)
def test_the_vervolgplek_in_beeld_is_not_typed_again(client, contact_swv_a, scholen):
    p = in_fase(Fase.UITSTROOM)
    p.vervolgplek_soort, p.vervolgschool = "school", scholen[1]
    p.save(update_fields=["vervolgplek_soort", "vervolgschool"])
    Actie.objects.filter(plaatsing=p, code=route.VERVOLGPLEK).update(status=ActieStatus.OPEN)
    client.force_login(contact_swv_a)
    html = client.get(reverse("plaatsingen:detail", args=[p.pk])).content.decode()
    actie = Actie.objects.get(plaatsing=p, code=route.VERVOLGPLEK)
    assert 'value="Mozaïek Lyceum (12AB02)"' in _invoer(html, f"actie{actie.pk}-vervolgschool")
    keuze = re.search(
        rf'<select name="actie{actie.pk}-vervolgplek_soort".*?</select>', html, re.S
    ).group(0)
    assert '<option value="school" selected>' in keuze
