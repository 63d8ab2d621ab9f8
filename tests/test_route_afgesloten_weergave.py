"""A closed route shows its open optional actions as not done, on the page and in the PDF,
and the routeoverzicht PDF carries the ambulant hours and nazorg answers (issue 19, defect 7)."""

import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from routetool.models import Actie, ActieStatus
from routetool.states import Fase

from .test_route_transities import VANDAAG, fase_afronden, in_fase, naar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bestanden_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@time_machine.travel(VANDAAG)
def test_closed_route_shows_optional_open_actions_as_not_done_and_pdf_has_hours_and_answers(
    client, procesregisseur
):
    p = in_fase(Fase.NAZORG)
    Actie.objects.filter(plaatsing=p, code="ambulant").update(uren_gepland=20, uren_gebruikt=7)
    Actie.objects.filter(plaatsing=p, code="nazorg-6-weken").update(nazorg_antwoord="deels")
    fase_afronden(p)
    Actie.objects.filter(plaatsing=p, code="nazorg-3-maanden").update(
        verplicht=False, status=ActieStatus.OPEN
    )
    naar(p, Fase.AFGESLOTEN)
    client.force_login(procesregisseur)
    html = client.get(reverse("plaatsingen:detail", args=[p.pk])).content.decode()
    assert "Niet gedaan (niet verplicht)" in html
    r = client.get(reverse("rapport:routeoverzicht", args=[p.pk]))
    tekst = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages).split()
    )
    assert "niet gedaan (niet verplicht)" in tekst
    assert "gepland: 20" in tekst and "gebruikt: 7" in tekst
    assert "Nazorg: deels" in tekst


@time_machine.travel(VANDAAG)
def test_a_closed_route_without_casusregisseur_is_not_flagged_as_missing_one(
    client, procesregisseur
):
    """An open placement without casusregisseur shows it as missing (a task for the SWV); once
    the route is closed nobody will assign one, so the page states it plainly."""
    p = in_fase(Fase.NAZORG)
    assert p.casusregisseur_id is None
    client.force_login(procesregisseur)
    url = reverse("plaatsingen:detail", args=[p.pk])
    assert '<span class="ontbreekt">nog niet toegewezen</span>' in client.get(url).content.decode()
    fase_afronden(p)
    naar(p, Fase.AFGESLOTEN)
    html = client.get(url).content.decode()
    assert "<dd>niet toegewezen</dd>" in html
    assert "nog niet toegewezen" not in html


@time_machine.travel(VANDAAG)
def test_an_ended_placement_shows_its_uitschrijving_not_an_unknown_expected_date(
    client, procesregisseur
):
    """Once the uitschrijving is known the route line says when, instead of "verwachte
    uitstroomdatum: nog niet bekend" on a closed route."""
    import datetime as dt

    from plaatsingen.models import Plaatsing

    p = in_fase(Fase.VERBLIJF)
    client.force_login(procesregisseur)
    url = reverse("plaatsingen:detail", args=[p.pk])
    assert "Verwachte uitstroomdatum: nog niet bekend" in client.get(url).content.decode()
    einde = p.startdatum + dt.timedelta(days=40)
    Plaatsing.objects.filter(pk=p.pk).update(einddatum=einde)
    html = client.get(url).content.decode()
    assert "Verwachte uitstroomdatum:" not in html
    assert f"Uitgeschreven op {einde:%d-%m-%Y}" in html
