"""What a monthly list holds: the right pupils, in PDF and Excel, made once per SWV and month."""

import datetime as dt
import io
import re

import pytest
import time_machine
from django.core.management import call_command
from openpyxl import load_workbook
from pypdf import PdfReader

from coalitie.models import Coalitie
from coalitie.toegang import SYSTEEM
from rapportage.models import LogSoort, Maandlijst, MaandlijstStatus
from rapportage.selectors import maandlijst_plaatsingen, vorige_maand
from rapportage.services import maandlijst_maken

from .conftest import HARREVELD, RIJNSTROOM, SWV_A, SWV_B
from .factories import LeerlingFactory, PlaatsingFactory, instellingsschool, swv

pytestmark = pytest.mark.django_db

OKTOBER = dt.date(2025, 10, 1)
# 1 November 2025, 06:00 in Amsterdam (CET, UTC+1): the moment the beat job runs.
GEMAAKT_OP = dt.datetime(2025, 11, 1, 5, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _bestanden_in_tmp(settings, tmp_path):
    """Generated lists go to a throw-away media folder, not the developer's var/."""
    settings.MEDIA_ROOT = tmp_path


def plaatsing(naam: str, nummer: str, **kwargs):
    roepnaam, achternaam = naam.split(" ", 1)
    leerling = LeerlingFactory(roepnaam=roepnaam, achternaam=achternaam, leerlingnummer=nummer)
    return PlaatsingFactory(leerling=leerling, **kwargs)


@pytest.fixture
def oktober():
    """Placements of SWV A around October 2025, and one of SWV B."""
    a = swv(SWV_A)
    return {
        "lopend": plaatsing("Anna Lopend", "100001", verantwoordelijk_swv=a),
        "nieuw": plaatsing(
            "Bram Nieuw", "100002", verantwoordelijk_swv=a, startdatum=dt.date(2025, 10, 10)
        ),
        "beeindigd": plaatsing(
            "Cas Halverwege",
            "100003",
            verantwoordelijk_swv=a,
            einddatum=dt.date(2025, 10, 15),
            fase="uitstroom",
        ),
        "elders": plaatsing(
            "Dirk Elders",
            "100004",
            verantwoordelijk_swv=a,
            instellingsschool=instellingsschool(HARREVELD),
            startdatum=dt.date(2025, 8, 1),
        ),
        "formule": plaatsing("=HYPERLINK(1) @Jansen", "100005", verantwoordelijk_swv=a),
        "eerder_weg": plaatsing(
            "Eva Eerder",
            "100006",
            verantwoordelijk_swv=a,
            startdatum=dt.date(2025, 6, 1),
            einddatum=dt.date(2025, 9, 30),
        ),
        "later": plaatsing(
            "Fem Later", "100007", verantwoordelijk_swv=a, startdatum=dt.date(2025, 11, 1)
        ),
        "ander_swv": plaatsing(
            "Gijs Anders",
            "100008",
            verantwoordelijk_swv=swv(SWV_B),
            instellingsschool=instellingsschool(RIJNSTROOM),
        ),
    }


OP_DE_LIJST = ["lopend", "nieuw", "beeindigd", "elders", "formule"]
NIET_OP_DE_LIJST = ["eerder_weg", "later", "ander_swv"]


def pdf_tekst(lijst) -> str:
    with lijst.pdf.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def xlsx_rijen(lijst):
    with lijst.xlsx.open("rb") as f:
        wb = load_workbook(io.BytesIO(f.read()))
    assert len(wb.worksheets) == 1
    return wb.active


def test_selection_holds_every_placement_of_the_swv_that_ran_in_the_month(oktober):
    gekozen = maandlijst_plaatsingen(swv=swv(SWV_A), maand=OKTOBER)
    assert {p.pk for p in gekozen} == {oktober[k].pk for k in OP_DE_LIJST}
    status = {p.leerling.leerlingnummer: p.maandstatus for p in gekozen}
    assert status == {
        "100001": "lopend",
        "100002": "nieuw",
        "100003": "beëindigd",
        "100004": "lopend",
        "100005": "lopend",
    }


def test_selection_is_one_query_however_many_placements(oktober, django_assert_num_queries):
    a = swv(SWV_A)
    with django_assert_num_queries(1):
        list(maandlijst_plaatsingen(swv=a, maand=OKTOBER))


@time_machine.travel(GEMAAKT_OP, tick=False)
def test_pdf_holds_exactly_the_swvs_pupils_with_header_and_page_numbers(oktober):
    lijst, gemaakt = maandlijst_maken(swv=swv(SWV_A), maand=OKTOBER, door=SYSTEEM)
    assert gemaakt
    tekst = pdf_tekst(lijst)
    vlak = " ".join(tekst.split())
    for key in OP_DE_LIJST:
        assert oktober[key].leerling.leerlingnummer in tekst
    for key in NIET_OP_DE_LIJST:
        assert oktober[key].leerling.leerlingnummer not in tekst
        assert oktober[key].leerling.achternaam not in vlak
    assert "Halverwege" in vlak and "15-10-2025" in vlak
    assert "SG Harreveld" in vlak
    assert Coalitie.objects.get(slug="zuid-west").naam in vlak
    assert "oktober 2025" in vlak
    assert "vertrouwelijk" in vlak
    assert "01-11-2025 06:00" in vlak
    assert re.search(r"pagina 1 van \d+", vlak)
    assert PdfReader(io.BytesIO(lijst.pdf.open("rb").read())).pages[0].mediabox.width > 800
    assert lijst.aantal_leerlingen == 5


def test_xlsx_has_typed_columns_a_filter_and_exactly_the_swvs_pupils(oktober):
    lijst, _ = maandlijst_maken(swv=swv(SWV_A), maand=OKTOBER, door=SYSTEEM)
    ws = xlsx_rijen(lijst)
    kop = [c.value for c in ws[1]]
    rijen = [dict(zip(kop, (c.value for c in rij), strict=True)) for rij in ws.iter_rows(min_row=2)]
    assert {r["Leerlingnummer"] for r in rijen} == {
        oktober[k].leerling.leerlingnummer for k in OP_DE_LIJST
    }
    beeindigd = next(r for r in rijen if r["Leerlingnummer"] == "100003")
    assert beeindigd["Einddatum"] == dt.datetime(2025, 10, 15)
    assert beeindigd["Status in de maand"] == "beëindigd"
    assert isinstance(beeindigd["Startdatum"], dt.datetime)
    assert ws.auto_filter.ref.startswith("A1:")
    elders = next(r for r in rijen if r["Leerlingnummer"] == "100004")
    assert elders["Instellingsschool"] == HARREVELD


def test_formula_like_names_are_neutralised_in_the_xlsx(oktober):
    lijst, _ = maandlijst_maken(swv=swv(SWV_A), maand=OKTOBER, door=SYSTEEM)
    ws = xlsx_rijen(lijst)
    namen = [rij[0].value for rij in ws.iter_rows(min_row=2)]
    assert "'=HYPERLINK(1) @Jansen" in namen
    assert not any(isinstance(n, str) and n.startswith(("=", "+", "-", "@")) for n in namen)


def test_swv_without_pupils_gets_an_explicit_empty_list(oktober):
    lijst, _ = maandlijst_maken(swv=swv("VO 28-10"), maand=OKTOBER, door=SYSTEEM)
    assert lijst.aantal_leerlingen == 0
    assert "Geen leerlingen" in " ".join(pdf_tekst(lijst).split())
    assert xlsx_rijen(lijst)["A2"].value == "geen leerlingen"


def test_making_a_list_twice_keeps_the_first_files_and_logs_once(oktober):
    eerste, gemaakt = maandlijst_maken(swv=swv(SWV_A), maand=OKTOBER, door=SYSTEEM)
    tweede, opnieuw_gemaakt = maandlijst_maken(
        swv=swv(SWV_A), maand=dt.date(2025, 10, 20), door=SYSTEEM
    )
    assert gemaakt and not opnieuw_gemaakt
    assert tweede.pk == eerste.pk and tweede.pdf.name == eerste.pdf.name
    assert Maandlijst.objects.count() == 1
    assert list(eerste.logs.values_list("soort", flat=True)) == [LogSoort.GEMAAKT]


def test_regenerating_replaces_the_files_and_logs_who(oktober, beheerder):
    eerste, _ = maandlijst_maken(swv=swv(SWV_A), maand=OKTOBER, door=SYSTEEM)
    oude_pdf = eerste.pdf.name
    PlaatsingFactory(verantwoordelijk_swv=swv(SWV_A), startdatum=dt.date(2025, 10, 30))
    tweede, gemaakt = maandlijst_maken(swv=swv(SWV_A), maand=OKTOBER, opnieuw=True, door=beheerder)
    assert gemaakt and tweede.pdf.name != oude_pdf
    assert tweede.aantal_leerlingen == 6
    log = tweede.logs.get(soort=LogSoort.OPNIEUW_GEMAAKT)
    assert log.door == beheerder


def test_the_mail_says_the_list_is_ready_with_a_link_and_no_personal_data(
    oktober, contact_swv_a, mailoutbox, settings
):
    from rapportage.tasks import maandlijst_maken_taak

    maandlijst_maken_taak.delay(swv(SWV_A).pk, OKTOBER.isoformat())
    lijst = Maandlijst.objects.get(swv=swv(SWV_A), maand=OKTOBER)
    assert lijst.status == MaandlijstStatus.GEMAILD
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [contact_swv_a.email]
    assert mail.subject == "De maandlijst van oktober 2025 staat klaar"
    assert f"{settings.SITE_URL}/maandlijsten/{lijst.pk}/" in mail.body
    for p in oktober.values():
        for gegeven in (p.leerling.achternaam, p.leerling.leerlingnummer, "17-05-2010"):
            assert gegeven not in mail.subject + mail.body
    assert lijst.logs.get(soort=LogSoort.GEMAILD).ontvangers == contact_swv_a.email

    maandlijst_maken_taak.delay(swv(SWV_A).pk, OKTOBER.isoformat())
    assert len(mailoutbox) == 1


def test_a_list_without_contact_persons_is_logged_as_failed_once(oktober):
    from rapportage.tasks import maandlijst_maken_taak

    maandlijst_maken_taak.delay(swv(SWV_B).pk, OKTOBER.isoformat())
    maandlijst_maken_taak.delay(swv(SWV_B).pk, OKTOBER.isoformat())
    lijst = Maandlijst.objects.get(swv=swv(SWV_B))
    assert lijst.status == MaandlijstStatus.MISLUKT
    assert lijst.logs.filter(soort=LogSoort.MISLUKT).count() == 1
    assert "Geen contactpersoon" in lijst.logs.get(soort=LogSoort.MISLUKT).reden


def test_command_makes_and_skips(oktober, capsys):
    call_command("maandlijsten", "--maand", "2025-10", "--swv", SWV_A)
    call_command("maandlijsten", "--maand", "2025-10", "--swv", SWV_A)
    uit = capsys.readouterr().out
    assert "VO 28-06: gemaakt (5 leerlingen)" in uit
    assert "VO 28-06: bestond al, overgeslagen" in uit
    call_command("maandlijsten", "--maand", "2025-10", "--swv", SWV_A, "--opnieuw")
    assert Maandlijst.objects.get().logs.filter(soort=LogSoort.OPNIEUW_GEMAAKT).count() == 1


def test_command_refuses_a_bad_month():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="JJJJ-MM"):
        call_command("maandlijsten", "--maand", "oktober")


def test_beat_runs_on_the_first_at_six_for_the_previous_month(settings):
    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["maandlijsten-vorige-maand"]
    assert entry["task"] in app.tasks
    cron = entry["schedule"]
    assert cron.minute == {0} and cron.hour == {6} and cron.day_of_month == {1}
    assert settings.CELERY_TIMEZONE == "Europe/Amsterdam"
    assert vorige_maand(dt.date(2025, 11, 1)) == OKTOBER
    assert vorige_maand(dt.date(2026, 1, 1)) == dt.date(2025, 12, 1)
