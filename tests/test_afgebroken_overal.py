"""'Afgebroken' (with its reason) apart from a completed route everywhere: the placement lists,
their fase filter, print and export, and the monthly list with its count (issue 19, defect 6)."""

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from coalitie.toegang import SYSTEEM
from rapportage.selectors import maandlijst_regels, totalen
from rapportage.services import maandlijst_maken
from routetool.states import Fase

from .conftest import SCHAKENBOSCH, SWV_A
from .factories import LeerlingFactory, instellingsschool, swv
from .test_maandlijst_inhoud import _bestanden_in_tmp, pdf_tekst, xlsx_rijen  # noqa: F401
from .test_route_transities import VANDAAG, in_fase, naar

pytestmark = pytest.mark.django_db
REDEN = "verhuisd naar het buitenland"


@pytest.fixture
def twee_gesloten(procesregisseur):
    """One route afgebroken in verblijf, one completed after nazorg, one still open."""
    with time_machine.travel(VANDAAG):
        waar = {
            "verantwoordelijk_swv": swv(SWV_A),
            "instellingsschool": instellingsschool(SCHAKENBOSCH),
        }
        af = in_fase(Fase.VERBLIJF, leerling=LeerlingFactory(achternaam="Afbreker"), **waar)
        naar(af, Fase.AFGESLOTEN, door=procesregisseur, reden=REDEN, afbreken=True)
        klaar = in_fase(Fase.NAZORG, leerling=LeerlingFactory(achternaam="Afronder"), **waar)
        from routetool.models import Actie, ActieStatus

        Actie.objects.filter(plaatsing=klaar, status=ActieStatus.OPEN).update(
            status=ActieStatus.GEDAAN
        )
        naar(klaar, Fase.AFGESLOTEN, door=procesregisseur)
        open_ = in_fase(Fase.INSTROOM, leerling=LeerlingFactory(achternaam="Lopend"), **waar)
    return af, klaar, open_


def _lijst(client, **params):
    return client.get(reverse("home"), params).content.decode()


@time_machine.travel(VANDAAG)
def test_the_placement_list_shows_afgebroken_with_its_reason_apart_from_afgerond(
    client, procesregisseur, twee_gesloten
):
    af, klaar, _ = twee_gesloten
    client.force_login(procesregisseur)
    html = _lijst(client, fase="alle")
    rij_af = html.split(reverse("plaatsingen:detail", args=[af.pk]))[1].split("</tr>")[0]
    rij_klaar = html.split(reverse("plaatsingen:detail", args=[klaar.pk]))[1].split("</tr>")[0]
    assert 'fase-afgebroken">afgebroken</span>' in rij_af and REDEN in rij_af
    assert "afgebroken" not in rij_klaar and ">afgesloten</span>" in rij_klaar


@time_machine.travel(VANDAAG)
def test_the_fase_filter_offers_afgebroken_and_afgerond_separately(
    client, procesregisseur, twee_gesloten
):
    af, klaar, open_ = twee_gesloten
    client.force_login(procesregisseur)
    html = _lijst(client)
    assert '<option value="afgebroken">afgebroken</option>' in html
    detail = lambda p: reverse("plaatsingen:detail", args=[p.pk]) + '"'  # noqa: E731
    alleen_af = _lijst(client, fase="afgebroken")
    assert detail(af) in alleen_af and detail(klaar) not in alleen_af
    assert detail(open_) not in alleen_af
    afgerond = _lijst(client, fase="afgesloten")
    assert detail(klaar) in afgerond and detail(af) not in afgerond


@time_machine.travel(VANDAAG)
def test_print_and_export_of_the_list_say_afgebroken(client, procesregisseur, twee_gesloten):
    client.force_login(procesregisseur)
    afdruk = _lijst(client, fase="afgebroken", formaat="afdruk")
    assert f"afgebroken ({REDEN})" in afdruk
    r = client.get(reverse("plaatsingen:export"), {"fase": "alle"})
    ws = load_workbook(io.BytesIO(r.content)).active
    fasen = {row[3]: row[6] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert fasen["Afbreker"] == f"afgebroken ({REDEN})"
    assert fasen["Afronder"] == "afgesloten"


def test_the_monthly_list_shows_and_counts_afgebroken(twee_gesloten):
    maand = VANDAAG.replace(day=1)
    regels = {r.naam.split()[-1]: r for r in maandlijst_regels(swv=swv(SWV_A), maand=maand)}
    assert regels["Afbreker"].fase == f"afgebroken ({REDEN})"
    assert regels["Afronder"].fase == "afgesloten"
    assert totalen(list(regels.values()))["afgebroken"] == 1
    with time_machine.travel(dt.datetime(2025, 12, 1, 5, 0, tzinfo=dt.UTC), tick=False):
        lijst, _ = maandlijst_maken(swv=swv(SWV_A), maand=maand, door=SYSTEEM)
    tekst = " ".join(pdf_tekst(lijst).split())
    assert "Route afgebroken (niet afgerond) 1" in tekst
    assert any(
        f"afgebroken ({REDEN})" in str(c)
        for rij in xlsx_rijen(lijst).iter_rows(values_only=True)
        for c in rij
    )


def test_the_overview_of_open_placements_offers_no_closed_choices(client, procesregisseur):
    client.force_login(procesregisseur)
    html = client.get(reverse("routetool:overzicht")).content.decode()
    assert '<option value="verblijf">' in html
    assert '<option value="afgebroken">' not in html and '<option value="alle">' not in html
