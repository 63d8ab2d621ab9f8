"""The iHUB import through the service and the `import_ihub` command, on the sample exports."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from coalitie.models import School
from plaatsingen.importeren import vergelijken
from plaatsingen.models import ImportBestand, ImportStatus, Leerling, Plaatsing, PlaatsingWijziging
from routetool.states import Fase

pytestmark = pytest.mark.django_db

IHUB = Path(__file__).resolve().parents[2] / "shared" / "ihub"
OKT = IHUB / "ihub-export-2025-10-01.csv"
NOV = IHUB / "ihub-export-2025-11-01.csv"
NOV_XLSX = IHUB / "ihub-export-2025-11-01.xlsx"
FOUTEN = IHUB / "ihub-export-fouten.csv"

# Derived once with a tiny independent script (csv.DictReader, trim every cell, key =
# (Leerlingnummer, Instellingsschool, Datum inschrijving), compare every column of Nov to Oct):
# Oct has 452 distinct placements; Nov has 456, of which 29 keys are not in Oct (new),
# 31 differ in some column (all 31: Datum uitschrijving appeared, with Reden uitschrijving, 11 of
# them also a Vervolgschool) and 396 are identical. 25 Oct placements are absent from Nov.
OKT_NIEUW = 452
NOV_NIEUW, NOV_GEWIJZIGD, NOV_ONGEWIJZIGD = 29, 31, 396

# Exactly the faults FORMAT.md lists for ihub-export-fouten.csv, and nothing else.
FOUTEN_VERWACHT = [
    "regel 5, kolom Datum inschrijving: ongeldige datum (verwacht dd-mm-jjjj)",
    "regel 7, kolom Instellingsschool: verplichte waarde ontbreekt",
    "regel 9, kolom SWV: onbekende SWV-code",
    "regel 15, kolom Geboortedatum: ongeldige datum (verwacht dd-mm-jjjj)",
    "regel 34, kolom Datum uitschrijving: de datum uitschrijving ligt vóór de datum inschrijving",
    "regel 42, kolom Leerlingnummer: verplichte waarde ontbreekt",
    "regel 62, kolom Leerlingnummer: dubbele plaatsing: dezelfde plaatsing als regel 32",
]


@pytest.fixture(autouse=True)
def _na_de_novemberexport():
    with time_machine.travel(dt.datetime(2025, 11, 5, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def importeer(pad, *args):
    call_command("import_ihub", str(pad), *args)
    return ImportBestand.objects.order_by("pk").last()


def plaatsing(nummer, school, start):
    return Plaatsing.objects.get(
        leerling__leerlingnummer=nummer, instellingsschool__naam=school, startdatum=start
    )


def momentopname():
    return sorted(
        Plaatsing.objects.values_list(
            "leerling__leerlingnummer",
            "leerling__achternaam",
            "leerling__roepnaam",
            "leerling__geboortedatum",
            "instellingsschool__naam",
            "locatie__naam",
            "startdatum",
            "einddatum",
            "verblijf",
            "stamschool__brin",
            "verantwoordelijk_swv__code",
            "niveau",
            "leerjaar",
            "reden_uitschrijving",
            "vervolgschool__brin",
            "vervolgplek_soort",
            "fase",
        )
    )


@pytest.mark.parametrize("deel", [2000, 7], ids=["een-groep", "groepen-van-7"])
def test_october_then_november_export_gives_the_exact_counts_and_moves_the_route(
    django_capture_on_commit_callbacks, monkeypatch, deel
):
    # With groups of 7 pupils the files go through in ~65 groups: the same outcome proves
    # that nothing depends on seeing the whole file at once.
    monkeypatch.setattr(vergelijken, "DEEL", deel)
    with django_capture_on_commit_callbacks(execute=True):
        okt = importeer(OKT)
    assert (okt.status, okt.aantal_nieuw, okt.aantal_gewijzigd) == (
        ImportStatus.GEIMPORTEERD,
        OKT_NIEUW,
        0,
    )
    assert Plaatsing.objects.count() == OKT_NIEUW
    na_oktober = set(Plaatsing.objects.values_list("pk", flat=True))
    verhuisd = plaatsing("202945", "Rijnstroom College", dt.date(2024, 9, 24))
    assert verhuisd.einddatum is None and verhuisd.fase == Fase.INSTROOM

    with django_capture_on_commit_callbacks(execute=True):
        nov = importeer(NOV)
    assert (nov.aantal_nieuw, nov.aantal_gewijzigd, nov.aantal_ongewijzigd) == (
        NOV_NIEUW,
        NOV_GEWIJZIGD,
        NOV_ONGEWIJZIGD,
    )
    # Placements absent from the November export are left alone.
    assert Plaatsing.objects.count() == OKT_NIEUW + NOV_NIEUW

    verhuisd.refresh_from_db()
    assert verhuisd.einddatum == dt.date(2025, 10, 4)
    assert verhuisd.reden_uitschrijving == "verhuisd"
    assert verhuisd.fase == Fase.UITSTROOM  # uitschrijving_verwerken was called
    assert verhuisd.vervolgschool is None  # no vervolgplek: a thuiszitrisico for the routetool
    geschiedenis = {
        (w.veld, w.oud, w.nieuw) for w in verhuisd.wijzigingen.filter(import_bestand=nov)
    }
    assert geschiedenis == {
        ("datum uitschrijving", "—", "04-10-2025"),
        ("reden uitschrijving", "—", "verhuisd"),
    }

    naar_school = plaatsing("203369", "Schakenbosch Onderwijs & Werk", dt.date(2025, 2, 5))
    assert naar_school.vervolgschool.brin == "51EU03"
    assert naar_school.vervolgplek_soort == "school"
    assert naar_school.fase == Fase.UITSTROOM

    uitgeschreven = PlaatsingWijziging.objects.filter(
        import_bestand=nov, veld="datum uitschrijving"
    ).values_list("plaatsing", flat=True)
    assert len(uitgeschreven) == NOV_GEWIJZIGD
    assert set(Plaatsing.objects.filter(pk__in=uitgeschreven).values_list("fase", flat=True)) == {
        Fase.UITSTROOM
    }
    # New placements started their route (route_starten) in instroom.
    nieuwe = Plaatsing.objects.exclude(pk__in=na_oktober)
    assert nieuwe.count() == NOV_NIEUW
    assert set(nieuwe.values_list("fase", flat=True)) == {Fase.INSTROOM}


def test_xlsx_gives_the_same_result_as_csv():
    importeer(OKT)
    via_xlsx = importeer(NOV_XLSX)
    assert (via_xlsx.aantal_nieuw, via_xlsx.aantal_gewijzigd, via_xlsx.aantal_ongewijzigd) == (
        NOV_NIEUW,
        NOV_GEWIJZIGD,
        NOV_ONGEWIJZIGD,
    )
    na_xlsx = momentopname()
    via_csv = importeer(NOV)  # other bytes, same content: goes through the full comparison
    assert (via_csv.aantal_nieuw, via_csv.aantal_gewijzigd) == (0, 0)
    assert via_csv.aantal_ongewijzigd == NOV_NIEUW + NOV_GEWIJZIGD + NOV_ONGEWIJZIGD
    assert momentopname() == na_xlsx


def test_faulty_export_is_rejected_with_exactly_the_listed_errors_and_nothing_is_written(capsys):
    importeer(OKT)
    voor = (
        momentopname(),
        School.objects.count(),
        Leerling.objects.count(),
        PlaatsingWijziging.objects.count(),
    )
    with pytest.raises(CommandError, match="afgewezen"):
        importeer(FOUTEN)
    fout = ImportBestand.objects.order_by("pk").last()
    assert fout.status == ImportStatus.AFGEWEZEN
    assert fout.fouten == FOUTEN_VERWACHT
    stderr = capsys.readouterr().err
    assert all(f"{fout}\n" in stderr for fout in FOUTEN_VERWACHT)
    na = (
        momentopname(),
        School.objects.count(),
        Leerling.objects.count(),
        PlaatsingWijziging.objects.count(),
    )
    assert na == voor


def test_reimporting_the_same_file_is_recognised_and_changes_nothing_or_mails(
    django_capture_on_commit_callbacks, contact_swv_a
):
    with django_capture_on_commit_callbacks(execute=True):
        importeer(OKT)
    assert mail.outbox, "the first import announces the new placements to the SWV"
    verzonden = len(mail.outbox)
    voor = (momentopname(), PlaatsingWijziging.objects.count())

    with django_capture_on_commit_callbacks(execute=True):
        tweede = importeer(OKT)
    assert tweede.status == ImportStatus.DUBBEL
    assert "al geïmporteerd" in tweede.meldingen[0]
    assert (momentopname(), PlaatsingWijziging.objects.count()) == voor
    assert len(mail.outbox) == verzonden


def test_same_content_in_other_bytes_goes_through_the_comparison_and_notifies_nobody(
    django_capture_on_commit_callbacks, contact_swv_a, tmp_path
):
    with django_capture_on_commit_callbacks(execute=True):
        importeer(OKT)
    verzonden = len(mail.outbox)
    voor = (momentopname(), PlaatsingWijziging.objects.count())
    lf = tmp_path / "okt-lf.csv"
    lf.write_bytes(OKT.read_bytes().replace(b"\r\n", b"\n"))
    with django_capture_on_commit_callbacks(execute=True):
        opnieuw = importeer(lf)
    assert opnieuw.status == ImportStatus.GEIMPORTEERD
    assert (opnieuw.aantal_nieuw, opnieuw.aantal_gewijzigd) == (0, 0)
    assert (momentopname(), PlaatsingWijziging.objects.count()) == voor
    assert len(mail.outbox) == verzonden


def test_dry_run_checks_but_writes_nothing(capsys):
    call_command("import_ihub", str(OKT), "--dry-run")
    assert "452 nieuwe" in capsys.readouterr().out
    assert not Plaatsing.objects.exists()
    assert not ImportBestand.objects.exists()
    with pytest.raises(CommandError):
        call_command("import_ihub", str(FOUTEN), "--dry-run")


def test_command_exits_non_zero_for_a_missing_file():
    with pytest.raises(CommandError, match="niet gevonden"):
        call_command("import_ihub", "/bestaat/niet.csv")


def test_formula_like_names_are_stored_as_text(tmp_path):
    regels = FOUTEN.read_text(encoding="utf-8-sig").splitlines()
    # The header plus lines 13 and 35 of the faulty file: the formula-like names.
    pad = tmp_path / "formules.csv"
    pad.write_text("\n".join([regels[0], regels[12], regels[34]]), encoding="utf-8")
    importeer(pad)
    namen = set(Leerling.objects.values_list("achternaam", "roepnaam"))
    assert ("+SUM(1+1)*cmd|' /C calc'!A0", "Kevin") in namen
    assert ("Doğan", '=HYPERLINK("http://evil.example/x","klik")') in namen
