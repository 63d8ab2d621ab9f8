"""The coalitiemonitor (small-numbers rule, PDF text, access), the dashboard page and the
routeoverzicht PDF."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from coalitie.models import Coalitie, Toegangslog
from coalitie.toegang import SYSTEEM
from rapportage.models import Monitor, MonitorStatus
from rapportage.onderdrukking import KLEIN, VERBORGEN, groep
from routetool.services import route_starten

from .conftest import RIJNSTROOM, SCHAKENBOSCH, SWV_A, SWV_B
from .factories import LeerlingFactory, PlaatsingFactory, instellingsschool, swv

# Inline scripts are forbidden (CSP); <script src> of our own static files is fine.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)")

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def _lege_cache():
    """The dashboard caches its figures per scope; every test starts without."""
    cache.clear()
    yield
    cache.clear()


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _pdf_tekst(data: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


# --- The small-numbers rule -------------------------------------------------------------------


def test_counts_from_one_to_four_show_as_less_than_five_and_zero_stays_zero():
    cellen, totaal = groep([0, 1, 4, 5, 12])
    assert [c.tekst for c in cellen] == ["0", KLEIN, KLEIN, "5", "12"]
    # Not "x" (defect 11 of issue 19): what the cells say, 17 plus 1-4 twice.
    assert totaal.tekst == "19–25" and totaal.tekst != VERBORGEN


def test_a_total_of_one_hidden_cell_and_zeros_shows_as_less_than_five():
    assert groep([0, 3, 0])[1].tekst == KLEIN
    assert groep([0, 0])[1].tekst == "0"


def test_a_total_the_own_cells_add_up_to_is_printed_even_when_a_related_table_hides_a_cell():
    assert groep([5, 12], totaal_verbergen=True)[1].tekst == "17"


def test_a_group_without_small_counts_shows_its_exact_total():
    cellen, totaal = groep([0, 5, 12])
    assert [c.tekst for c in cellen] == ["0", "5", "12"] and totaal.tekst == "17"


def test_a_hidden_count_cannot_be_recovered_from_the_published_table():
    # Every group of three counts 0..9: the published texts of two groups that differ in one
    # hidden cell are the same, so a hidden cell could be any of 1..4.
    gepubliceerd: dict[tuple, set] = {}
    for waarden in itertools.product(range(10), repeat=3):
        cellen, totaal = groep(list(waarden))
        sleutel = (tuple(c.tekst for c in cellen), totaal.tekst)
        gepubliceerd.setdefault(sleutel, set()).add(waarden)
    for (teksten, _), mogelijk in gepubliceerd.items():
        for i, tekst in enumerate(teksten):
            if tekst == KLEIN:
                assert {w[i] for w in mogelijk} == {1, 2, 3, 4}


# --- The monitor ---------------------------------------------------------------------------


@pytest.fixture
def monitor_data(db):
    """SWV A: 6 placements started in 2025-Q3 (3 at Schakenbosch ended in October with an mbo
    destination); SWV B: 2 placements (a small number)."""
    for i in range(6):
        PlaatsingFactory(
            verantwoordelijk_swv=swv(SWV_A),
            instellingsschool=instellingsschool(SCHAKENBOSCH if i < 3 else RIJNSTROOM),
            startdatum=dt.date(2025, 8, 1 + i),
            einddatum=dt.date(2025, 10, 10) if i < 3 else None,
            vervolgplek_soort="mbo" if i < 3 else "",
        )
    for i in range(2):
        PlaatsingFactory(
            verantwoordelijk_swv=swv(SWV_B),
            instellingsschool=instellingsschool(RIJNSTROOM),
            startdatum=dt.date(2025, 9, 1 + i),
        )


def _monitor_aanvragen(client, coalitie, **data):
    velden = {"van": "01-07-2025", "tot": "31-12-2025"} | data
    return client.post(reverse("rapport:monitor_nieuw", args=[coalitie.pk]), velden)


def test_the_monitor_pdf_holds_the_right_numbers_with_small_ones_suppressed(
    monitor_data, procesregisseur, django_capture_on_commit_callbacks
):
    zuidwest = Coalitie.objects.get(slug="zuid-west")
    with time_machine.travel(dt.datetime(2026, 1, 15, 12, 0, tzinfo=AMS), tick=False):
        client = _client(procesregisseur)
        with django_capture_on_commit_callbacks(execute=True):
            response = _monitor_aanvragen(client, zuidwest)
        monitor = Monitor.objects.get()
        pdf = client.get(reverse("rapport:monitor_download", args=[monitor.pk]))
    assert response.status_code == 302
    assert monitor.status == MonitorStatus.KLAAR and monitor.voortgang == 100
    assert monitor.door == procesregisseur
    assert pdf.status_code == 200
    tekst = _pdf_tekst(b"".join(pdf.streaming_content))
    assert "Periode 01-07-2025 t/m 31-12-2025" in tekst  # margin box, on every page
    assert tekst.count("Gemaakt op 15-01-2026") == len(
        PdfReader(io.BytesIO(monitor.bestand.read())).pages
    )
    assert "VO 28-06 6" in tekst  # six pupils of SWV A
    assert "VO 28-07 <5" in tekst  # two pupils of SWV B: suppressed
    assert "VO 28-07 2" not in tekst
    assert "mbo 3" not in tekst and "mbo <5" in tekst  # three ended with mbo: suppressed
    # A total with a hidden cell is the range its cells imply (6 + 1-4), not 8 (which would
    # give B back next to "VO 28-06 6") and never the unexplained "x" of defect 11 (issue 19).
    swv_tabel = tekst[tekst.index("VO 28-06 6") :]
    assert swv_tabel.split("\n")[2] == "totaal 7–10", swv_tabel[:200]
    assert not re.search(r"^totaal(?: \S+)* x(?: |$)", tekst, re.MULTILINE), tekst
    assert Toegangslog.objects.filter(
        user=procesregisseur, actie="gedownload", object_type="monitor"
    ).exists()


def test_the_monitor_can_be_limited_to_some_swvs_of_the_coalition(
    monitor_data, procesregisseur, django_capture_on_commit_callbacks
):
    client = _client(procesregisseur)
    zuidwest = Coalitie.objects.get(slug="zuid-west")
    with django_capture_on_commit_callbacks(execute=True):
        _monitor_aanvragen(client, zuidwest, swvs=[swv(SWV_B).pk])
    monitor = Monitor.objects.get()
    tekst = _pdf_tekst(monitor.bestand.read())
    assert "VO 28-07" in tekst and "VO 28-06 6" not in tekst


def test_the_monitor_form_defaults_to_the_last_half_year(procesregisseur):
    client = _client(procesregisseur)
    with time_machine.travel(dt.datetime(2026, 1, 15, 12, 0, tzinfo=AMS), tick=False):
        response = client.get(reverse("rapport:monitor_index"))
    assert 'value="01-07-2025"' in response.content.decode()
    assert 'value="31-12-2025"' in response.content.decode()


def test_another_coalitions_procesregisseur_gets_404_for_this_coalitions_monitor(
    monitor_data,
    procesregisseur,
    procesregisseur_andere_coalitie,
    django_capture_on_commit_callbacks,
):
    zuidwest = Coalitie.objects.get(slug="zuid-west")
    with django_capture_on_commit_callbacks(execute=True):
        _monitor_aanvragen(_client(procesregisseur), zuidwest)
    monitor = Monitor.objects.get()
    ander = _client(procesregisseur_andere_coalitie)
    assert ander.get(reverse("rapport:monitor_status", args=[monitor.pk])).status_code == 404
    assert ander.get(reverse("rapport:monitor_download", args=[monitor.pk])).status_code == 404
    assert _monitor_aanvragen(ander, zuidwest).status_code == 404
    assert "01-07-2025" not in ander.get(reverse("rapport:monitor_index")).content.decode()


@pytest.mark.parametrize("persona", ["contact_swv_a", "medewerker_schakenbosch", "zonder_rol"])
def test_only_the_coalition_team_may_request_a_monitor(request, persona):
    zuidwest = Coalitie.objects.get(slug="zuid-west")
    response = _monitor_aanvragen(_client(request.getfixturevalue(persona)), zuidwest)
    assert response.status_code == 404
    assert not Monitor.objects.exists()


def test_a_period_that_ends_before_it_starts_is_refused(procesregisseur):
    zuidwest = Coalitie.objects.get(slug="zuid-west")
    response = _monitor_aanvragen(_client(procesregisseur), zuidwest, tot="01-01-2025")
    assert response.status_code == 400
    assert "De einddatum ligt voor de begindatum." in response.content.decode()


# --- The dashboard -----------------------------------------------------------------------------


def test_the_dashboard_shows_exact_numbers_to_the_coalition_team(monitor_data, procesregisseur):
    with time_machine.travel(dt.datetime(2026, 1, 15, 12, 0, tzinfo=AMS), tick=False):
        response = _client(procesregisseur).get(reverse("rapport:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<th scope="row">VO 28-07</th><td class="getal">2</td>' in html
    assert 'role="img"' in html and "<title" in html and not INLINE_SCRIPT.search(html)
    assert "style=" not in html
    assert "augustus 2025" in html


def test_the_dashboard_of_a_contact_person_counts_only_the_own_swv(monitor_data, contact_swv_b):
    with time_machine.travel(dt.datetime(2026, 1, 15, 12, 0, tzinfo=AMS), tick=False):
        html = _client(contact_swv_b).get(reverse("rapport:dashboard")).content.decode()
    assert "VO 28-07" in html and "VO 28-06" not in html


def test_the_dashboard_says_what_to_do_when_there_is_nothing_yet(contact_swv_a, zonder_rol):
    html = _client(contact_swv_a).get(reverse("rapport:dashboard")).content.decode()
    assert "nog geen plaatsingen in uw bereik" in html
    html = _client(zonder_rol).get(reverse("rapport:dashboard")).content.decode()
    assert "nog geen rol" in html


def test_the_dashboard_costs_the_same_number_of_queries_for_more_data(
    procesregisseur, django_assert_max_num_queries
):
    client = _client(procesregisseur)
    client.get(reverse("rapport:dashboard"))
    for i in range(20):
        PlaatsingFactory(startdatum=dt.date(2025, 6, 1) + dt.timedelta(days=i))
    cache.clear()
    with django_assert_max_num_queries(20):
        client.get(reverse("rapport:dashboard"))
    # From the cache: no figure queries. Fixed costs: session, user, MFA, the scope's roles and
    # its SWV/school id lookups (coalitie.selectors.Scope), the session touch.
    with django_assert_max_num_queries(10):  # +1: unread meldingen in the header
        client.get(reverse("rapport:dashboard"))


# --- The routeoverzicht ---------------------------------------------------------------------


@pytest.fixture
def plaatsing_met_route(db):
    leerling = LeerlingFactory(roepnaam="Overdrachtje", achternaam="Routeman")
    plaatsing = PlaatsingFactory(leerling=leerling, verantwoordelijk_swv=swv(SWV_A))
    route_starten(plaatsingen=[plaatsing], door=SYSTEEM)
    return plaatsing


def test_the_routeoverzicht_pdf_holds_the_placements_actions(plaatsing_met_route, contact_swv_a):
    client = _client(contact_swv_a)
    response = client.get(reverse("rapport:routeoverzicht", args=[plaatsing_met_route.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    tekst = _pdf_tekst(response.content)
    assert "Overdrachtje Routeman" in tekst
    for actie in plaatsing_met_route.acties.all():
        assert actie.omschrijving[:30] in " ".join(tekst.split())
    assert Toegangslog.objects.filter(
        user=contact_swv_a, actie="gedownload", leerling_id=plaatsing_met_route.leerling_id
    ).exists()


@pytest.mark.parametrize("persona", ["contact_swv_b", "medewerker_rijnstroom", "zonder_rol"])
def test_the_routeoverzicht_is_404_for_users_who_may_not_see_the_placement(
    request, persona, plaatsing_met_route
):
    client = _client(request.getfixturevalue(persona))
    response = client.get(reverse("rapport:routeoverzicht", args=[plaatsing_met_route.pk]))
    assert response.status_code == 404
    assert b"Overdrachtje" not in response.content


# --- Paging with signals (the performance fix of the list pages) ------------------------------


def test_the_placement_list_pages_by_ids_and_still_shows_every_placement_once(
    procesregisseur,
):
    from routetool.plaatsing_views import PER_PAGINA

    plaatsingen = PlaatsingFactory.create_batch(PER_PAGINA + 3)
    client = _client(procesregisseur)
    eerste = client.get(reverse("home"))
    tweede = client.get(reverse("home") + "?pagina=2")
    voorbij = client.get(reverse("home") + "?pagina=99")
    gezien = [p.pk for p in eerste.context["pagina"].object_list] + [
        p.pk for p in tweede.context["pagina"].object_list
    ]
    assert sorted(gezien) == sorted(p.pk for p in plaatsingen)
    assert eerste.context["pagina"].paginator.count == PER_PAGINA + 3
    assert [p.pk for p in voorbij.context["pagina"].object_list] == [
        p.pk for p in tweede.context["pagina"].object_list
    ]
    assert hasattr(tweede.context["pagina"].object_list[0], "signaal_te_laat")
