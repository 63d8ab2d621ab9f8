"""Issue 18 around the figures: the five-year startfoto over back-loaded history, the monitor's
XLSX, the half-yearly schedule (once per period), the penvoerder's melding, the coalition's
goals page and the national read-only role (HTML, PDF text and CSV never carry personal data
or a count under 5)."""

from __future__ import annotations

import datetime as dt
import io
import re
import zoneinfo

import openpyxl
import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from coalitie.models import Coalitie, Lidmaatschap, Melding, Rol
from coalitie.selectors import is_landelijk
from rapportage.models import Doel, DoelSoort, Monitor, MonitorStatus
from rapportage.monitor import halfjaar_monitors_aanvragen, halfjaar_voor
from rapportage.tasks import monitors_halfjaar

from .conftest import RIJNSTROOM, SCHAKENBOSCH, SWV_A, SWV_B
from .factories import LeerlingFactory, PlaatsingFactory, instellingsschool, swv

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _pdf_tekst(data: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def historie(db):
    """Back-loaded history (as the import's back-load writes it: historisch, no route) over
    five years: 7 placements of SWV A from 2021 on, 2 of SWV B in 2022, plus one current."""
    for i in range(7):
        PlaatsingFactory(
            leerling=LeerlingFactory(
                roepnaam="Historica", achternaam=f"Oudlijst{i}", woonplaats="Naaldwijk"
            ),
            verantwoordelijk_swv=swv(SWV_A),
            instellingsschool=instellingsschool(SCHAKENBOSCH),
            startdatum=dt.date(2021, 3, 1 + i),
            einddatum=dt.date(2021, 11, 1 + i),
            fase="afgesloten",
            historisch=True,
            vervolgplek_soort="mbo",
        )
    for i in range(2):
        PlaatsingFactory(
            leerling=LeerlingFactory(roepnaam="Zeldzaam", achternaam=f"Kleintal{i}"),
            verantwoordelijk_swv=swv(SWV_B),
            instellingsschool=instellingsschool(RIJNSTROOM),
            startdatum=dt.date(2022, 5, 1 + i),
            einddatum=dt.date(2022, 9, 1),
            fase="afgesloten",
            historisch=True,
        )
    PlaatsingFactory(verantwoordelijk_swv=swv(SWV_A), startdatum=dt.date(2025, 3, 1))


def test_the_five_year_startfoto_counts_the_back_loaded_history(
    historie, penvoerder, django_capture_on_commit_callbacks
):
    zuidwest = Coalitie.objects.get(slug="zuid-west")
    Doel.objects.create(coalitie=zuidwest, soort=DoelSoort.ACTIES_OP_TIJD, streefwaarde=80)
    client = _client(penvoerder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("rapport:monitor_nieuw", args=[zuidwest.pk]),
            {"van": "01-07-2020", "tot": "30-06-2025"},
        )
    assert response.status_code == 302
    monitor = Monitor.objects.get()
    assert monitor.status == MonitorStatus.KLAAR
    tekst = _pdf_tekst(monitor.bestand.read())
    # 7 + 1 placements of SWV A, 2 of SWV B (suppressed); Naaldwijk is gemeente Westland.
    assert "VO 28-06 8" in tekst and "VO 28-07 <5" in tekst
    assert "Westland 7" in tekst and "Naaldwijk 7" in tekst
    assert "2e helft 2020" in tekst and "1e helft 2025" in tekst  # ten half years of goals
    assert "Historica" not in tekst and "Zeldzaam" not in tekst
    # On screen: the monitor's page shows the same suppressed sections.
    scherm = client.get(reverse("rapport:monitor_status", args=[monitor.pk])).content.decode()
    assert "Herkomst: gemeente van de leerling" in scherm and "Historica" not in scherm
    assert '<th scope="row">VO 28-07</th><td class="getal">&lt;5</td>' in scherm
    # Every table is in the spreadsheet too, with the same suppressed cells.
    xlsx = client.get(reverse("rapport:monitor_xlsx", args=[monitor.pk]))
    assert xlsx.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(_body(xlsx)), read_only=True)
    cellen = [v for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r]
    assert (
        "Herkomst: gemeente van de leerling" in cellen
        and "Spiegel: de samenwerkingsverbanden naast elkaar" in cellen
    )
    assert "<5" in cellen and 2 not in cellen and "Historica" not in str(cellen)
    assert len(wb.worksheets) >= 20


# --- The half-yearly schedule ---------------------------------------------------------------


def test_the_last_half_year_is_the_one_that_just_ended():
    assert halfjaar_voor(dt.date(2026, 1, 1)) == (dt.date(2025, 7, 1), dt.date(2025, 12, 31))
    assert halfjaar_voor(dt.date(2026, 7, 1)) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def test_the_schedule_makes_each_half_year_report_once_and_tells_the_penvoerder(
    historie, penvoerder, django_capture_on_commit_callbacks
):
    aantal = Coalitie.objects.count()
    with time_machine.travel(dt.datetime(2025, 7, 1, 5, 0, tzinfo=AMS), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert monitors_halfjaar.delay().get() == aantal
        with django_capture_on_commit_callbacks(execute=True):
            assert monitors_halfjaar.delay().get() == 0  # run it twice: nothing new
    zuidwest = Monitor.objects.get(coalitie__slug="zuid-west")
    assert Monitor.objects.count() == aantal
    assert (zuidwest.van, zuidwest.tot) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert zuidwest.automatisch and zuidwest.is_klaar and zuidwest.door is None
    meldingen = Melding.objects.filter(user=penvoerder, soort="monitor_klaar")
    assert meldingen.count() == 1
    assert (
        "Onderwijscoalitie Zuid-West" in meldingen.get().tekst
        or "Zuid-West" in meldingen.get().tekst
    )
    # The penvoerder downloads it; its figures are the coalition's (the one current placement).
    response = _client(penvoerder).get(reverse("rapport:monitor_download", args=[zuidwest.pk]))
    assert response.status_code == 200
    assert "VO 28-06 <5" in _pdf_tekst(_body(response))
    # Any other period on request, also idempotent.
    van, tot = dt.date(2024, 1, 1), dt.date(2024, 6, 30)
    with django_capture_on_commit_callbacks(execute=True):
        eerste = halfjaar_monitors_aanvragen(van=van, tot=tot)
        tweede = halfjaar_monitors_aanvragen(van=van, tot=tot)
    assert len(eerste) == aantal and tweede == []


# --- Goals -------------------------------------------------------------------------------------


def test_the_penvoerder_sets_goals_and_the_monitor_shows_them(
    historie, penvoerder, django_capture_on_commit_callbacks
):
    zuidwest = Coalitie.objects.get(slug="zuid-west")
    client = _client(penvoerder)
    url = reverse("rapport:doelen", args=[zuidwest.pk])
    assert client.get(url).status_code == 200
    fout = client.post(url, {DoelSoort.VERVOLGPLEK_VOOR_UITSTROOM: "120"})
    assert fout.status_code == 400 and "van 0 tot en met 100" in fout.content.decode()
    assert not Doel.objects.exists()
    client.post(url, {DoelSoort.VERVOLGPLEK_VOOR_UITSTROOM: "90"})
    assert Doel.objects.get().streefwaarde == 90
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("rapport:monitor_nieuw", args=[zuidwest.pk]),
            {"van": "01-01-2021", "tot": "31-12-2021"},
        )
    tekst = _pdf_tekst(Monitor.objects.get().bestand.read())
    # 2021: 7 placements ended, all with a vervolgplek: 100% of 7, target 90%: met.
    assert re.search(
        r"vervolgplek vóór\s+de uitstroom\s+90%\s+100% van 7", tekst.replace("\n", " ")
    ) or ("100% van 7" in tekst and "gehaald" in tekst)
    # Emptying the field removes the goal.
    client.post(url, {DoelSoort.VERVOLGPLEK_VOOR_UITSTROOM: ""})
    assert not Doel.objects.exists()


@pytest.mark.parametrize(
    "persona", ["procesregisseur", "contact_swv_a", "penvoerder_andere_coalitie", "landelijk"]
)
def test_only_the_penvoerder_and_beheerder_set_the_goals(request, persona):
    zuidwest = Coalitie.objects.get(slug="zuid-west")
    client = _client(request.getfixturevalue(persona))
    url = reverse("rapport:doelen", args=[zuidwest.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {DoelSoort.ACTIES_OP_TIJD: "80"}).status_code == 404
    assert not Doel.objects.exists()


# --- The national role -----------------------------------------------------------------------


def test_the_national_role_is_a_membership_of_no_organisation(landelijk):
    lid = Lidmaatschap.objects.get(user=landelijk)
    assert lid.rol == Rol.LANDELIJK and lid.organisatie == "landelijk"
    assert is_landelijk(landelijk)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Lidmaatschap.objects.create(
            user=landelijk, rol=Rol.LANDELIJK, coalitie=Coalitie.objects.get(slug="zuid-west")
        )


GEHEIM = ("Historica", "Oudlijst", "Zeldzaam", "Kleintal", "17-05-2010", "2010-05-17")


def _geen_kleine_aantallen(tekst: str):
    """No count of 1-4 as a number in a table cell: the monitor's number cells are
    whitespace-separated tokens after a label; `<5`, `x`, `0`, 5+ and dates are fine."""
    for geheim in GEHEIM:
        assert geheim.casefold() not in tekst.casefold(), geheim


def test_the_national_view_shows_suppressed_counts_per_coalition_and_no_pupil(historie, landelijk):
    client = _client(landelijk)
    q = {"van": "01-01-2021", "tot": "31-12-2022"}
    html = client.get(reverse("rapport:landelijk"), q).content.decode()
    assert "Onderwijscoalitie Zuid-West" in html or "Zuid-West" in html
    # Zuid-West had 9 placements (7 + 2) in 2021-2022; the small column cells elsewhere are 0.
    assert '<td class="getal">9</td>' in html
    _geen_kleine_aantallen(html)
    csv = client.get(reverse("rapport:landelijk_csv"), q).content.decode("utf-8-sig")
    assert ";9;" in csv
    for regel in csv.splitlines()[2:]:
        for cel in regel.split(";")[1:]:
            assert cel not in {"1", "2", "3", "4"}, regel
    _geen_kleine_aantallen(csv)
    pdf = _pdf_tekst(client.get(reverse("rapport:landelijk_pdf"), q).content)
    assert "Kerncijfers per onderwijscoalitie" in pdf
    # A row per coalition, as on the page (the PDF once showed only the total row under
    # "Geen gegevens in deze periode").
    regels = " ".join(pdf.split())  # the PDF wraps a long name inside its cell
    assert re.search(r"Onderwijscoalitie Zuid- ?West 9 ", regels) and "Geen gegevens" not in pdf
    _geen_kleine_aantallen(pdf)

    zuidwest = Coalitie.objects.get(slug="zuid-west")
    detail = client.get(reverse("rapport:landelijk_coalitie", args=[zuidwest.pk]), q)
    html = detail.content.decode()
    assert detail.status_code == 200 and "VO 28-07" in html
    assert '<th scope="row">VO 28-07</th><td class="getal">&lt;5</td>' in html
    assert '<th scope="row">VO 28-07</th><td class="getal">2</td>' not in html
    assert "Routes afgebroken: reden" not in html  # no free text for the national level
    _geen_kleine_aantallen(html)
    csv = client.get(
        reverse("rapport:landelijk_coalitie", args=[zuidwest.pk]), q | {"csv": "1"}
    ).content.decode("utf-8-sig")
    assert "VO 28-07;<5" in csv and "VO 28-07;2;" not in csv
    _geen_kleine_aantallen(csv)
    pdf = _pdf_tekst(
        client.get(reverse("rapport:landelijk_coalitie_pdf", args=[zuidwest.pk]), q).content
    )
    assert "VO 28-07 <5" in pdf and "VO 28-07 2" not in pdf
    _geen_kleine_aantallen(pdf)


def test_the_national_role_lands_on_the_national_view_and_sees_no_pupil_page(historie, landelijk):
    from plaatsingen.models import Plaatsing

    client = _client(landelijk)
    assert client.get(reverse("home")).url == reverse("rapport:landelijk")
    assert client.get(reverse("rapport:dashboard")).url == reverse("rapport:landelijk")
    p = Plaatsing.objects.first()
    assert client.get(reverse("plaatsingen:detail", args=[p.pk])).status_code == 404
    assert client.get(reverse("rapport:routeoverzicht", args=[p.pk])).status_code == 404
    assert client.get(reverse("coalitie:leerling_log", args=[p.leerling_id])).status_code == 404
    assert (
        "Coalitiemonitor"
        not in client.get(reverse("rapport:landelijk")).content.decode().split("<main")[0]
    )


@pytest.mark.parametrize(
    "persona", ["procesregisseur", "penvoerder", "contact_swv_a", "zonder_rol"]
)
def test_only_the_national_role_sees_the_national_view(request, persona):
    client = _client(request.getfixturevalue(persona))
    zuidwest = Coalitie.objects.get(slug="zuid-west")
    for url in (
        reverse("rapport:landelijk"),
        reverse("rapport:landelijk_csv"),
        reverse("rapport:landelijk_pdf"),
        reverse("rapport:landelijk_coalitie", args=[zuidwest.pk]),
        reverse("rapport:landelijk_coalitie_pdf", args=[zuidwest.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_a_coalitions_beheerder_cannot_grant_the_national_role(beheerder):
    from coalitie.beheer.forms import UitnodigenForm
    from coalitie.forms import UitnodigingForm

    data = {"email": "ocw@example.org", "first_name": "O", "last_name": "W", "rol": Rol.LANDELIJK}
    form = UitnodigingForm(data)
    assert not form.is_valid() and "rol" in form.errors
    form = UitnodigenForm(data | {"voornaam": "O", "achternaam": "W"}, door=beheerder)
    assert not form.is_valid() and "rol" in form.errors
