"""What FORMAT.md allows: encodings, delimiters, header matching, variants, Excel cells."""

import datetime as dt
import io

import openpyxl
import pytest
import time_machine

from coalitie.models import School
from coalitie.toegang import SYSTEEM
from plaatsingen.importeren import normaliseren as norm
from plaatsingen.importeren.services import import_bestand_aanmaken, import_uitvoeren
from plaatsingen.importeren.verwerken import maak_plan
from plaatsingen.models import ImportStatus, Plaatsing
from plaatsingen.resources import IhubPlaatsingResource

from .factories import LidmaatschapFactory, UserFactory

pytestmark = pytest.mark.django_db

KOPJES = list(IhubPlaatsingResource.kolommen())
RIJ = [
    "900001", "Jansen", "", "Sem", "29-12-2010", "M", "2525 AB", "Den Haag",
    "Schakenbosch Onderwijs & Werk", "Schakenbosch", "03-02-2025", "", "gesloten",
    "95CF01", "Lyceum Middelharnis", "VO 28-05", "havo", "3", "", "", "",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _vandaag():
    with time_machine.travel(dt.datetime(2025, 11, 5, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def csv_bytes(kopjes=KOPJES, rijen=(RIJ,), scheiding=";", encoding="utf-8", regeleinde="\r\n"):
    regels = [scheiding.join(kopjes)] + [scheiding.join(r) for r in rijen]
    return (regeleinde.join(regels) + regeleinde).encode(encoding)


def plan_van(inhoud: bytes, door=SYSTEEM):
    return maak_plan(io.BytesIO(inhoud), door=door)


@pytest.mark.parametrize(
    "variant", ["2806", "VO2806", "28-06", "vo 28-06", "VO28-06", " VO 28-06 ", "vo28-06"]
)
def test_swv_code_variants_become_the_standard_code(variant):
    assert norm.swv_code(variant) == "VO 28-06"


def test_po_code_keeps_its_sector():
    assert norm.swv_code("po 28-06") == "PO 28-06"


@pytest.mark.parametrize("tekst", ["31-02-2025", "2010/13/45", "1-13-2020", "gisteren"])
def test_impossible_dates_are_refused(tekst):
    with pytest.raises(norm.Ongeldig, match="ongeldige datum"):
        norm.datum(tekst)


def test_excel_dates_are_accepted():
    assert norm.datum(dt.datetime(2025, 2, 3, 0, 0)) == dt.date(2025, 2, 3)
    assert norm.datum("45691") == dt.date(2025, 2, 3)  # an Excel serial number


@pytest.mark.parametrize(
    ("scheiding", "encoding", "regeleinde"),
    [
        (";", "utf-8", "\r\n"),
        (";", "utf-8-sig", "\n"),
        (",", "utf-8", "\n"),
        ("\t", "utf-8", "\r\n"),
        (";", "cp1252", "\r\n"),
        ("\t", "utf-16", "\r\n"),
    ],
)
def test_encodings_and_delimiters_are_detected(scheiding, encoding, regeleinde):
    rij = [*RIJ]
    rij[1] = "Çelik"
    plan = plan_van(
        csv_bytes(rijen=[rij], scheiding=scheiding, encoding=encoding, regeleinde=regeleinde)
    )
    assert plan.fouten == []
    assert plan.nieuw[0].leerling["achternaam"] == "Çelik"


def test_headers_match_case_and_space_insensitively_in_any_order_and_cells_are_trimmed():
    kopjes = [f"  {k.upper()} " for k in reversed(KOPJES)]
    rij = [f"  {c}  " for c in reversed(RIJ)]
    plan = plan_van(csv_bytes(kopjes=kopjes, rijen=[rij]) + b"\r\n\r\n;;;\r\n")
    assert plan.fouten == []
    assert plan.aantal_rijen == 1
    assert plan.nieuw[0].startdatum == dt.date(2025, 2, 3)


def test_unknown_columns_give_one_notice():
    plan = plan_van(csv_bytes(kopjes=[*KOPJES, "BSN", "Opmerking"], rijen=[[*RIJ, "1", "x"]]))
    assert plan.fouten == []
    assert plan.meldingen == ["Deze kolommen kennen we niet; ze zijn genegeerd: BSN, Opmerking."]


def test_a_missing_required_column_rejects_the_file_with_one_message_naming_it():
    i = KOPJES.index("Locatie")
    kopjes = KOPJES[:i] + KOPJES[i + 1 :]
    rij = RIJ[:i] + RIJ[i + 1 :]
    plan = plan_van(csv_bytes(kopjes=kopjes, rijen=[rij, rij]))
    assert plan.fouten == ["De verplichte kolom 'Locatie' ontbreekt; het bestand is afgewezen."]


def test_geboortedatum_in_the_future_and_unknown_school_are_errors():
    toekomst = [*RIJ]
    toekomst[4] = "01-01-2030"
    onbekend = [*RIJ]
    onbekend[0] = "900002"
    onbekend[8] = "Bestaat Niet"
    plan = plan_van(csv_bytes(rijen=[toekomst, onbekend]))
    assert plan.fouten == [
        "regel 2, kolom Geboortedatum: de geboortedatum ligt in de toekomst",
        "regel 3, kolom Instellingsschool: onbekende instellingsschool (niet in de referentiegegevens)",
    ]


def test_two_open_placements_of_one_pupil_are_an_error_not_a_crash():
    tweede = [*RIJ]
    tweede[8], tweede[9], tweede[10] = "Rijnstroom College", "Rijnhove", "01-03-2025"
    plan = plan_van(csv_bytes(rijen=[RIJ, tweede]))
    assert plan.fouten == [
        "regel 3, kolom Datum uitschrijving: deze leerling heeft al een andere plaatsing "
        "zonder datum uitschrijving"
    ]


def test_xlsx_with_real_dates_and_numbers_is_read():
    boek = openpyxl.Workbook()
    blad = boek.active
    blad.append(KOPJES)
    rij = [*RIJ]
    rij[0] = 900001  # a number cell
    rij[4] = dt.datetime(2010, 12, 29)
    rij[10] = dt.datetime(2025, 2, 3)
    rij[17] = 3
    blad.append(rij)
    uit = io.BytesIO()
    boek.save(uit)
    plan = plan_van(uit.getvalue())
    assert plan.fouten == []
    assert plan.nieuw[0].leerlingnummer == "900001"
    assert plan.nieuw[0].startdatum == dt.date(2025, 2, 3)
    assert plan.nieuw[0].leerjaar == 3


def test_unknown_stamschool_is_created_under_the_swv_of_the_row():
    from django.core.files.base import ContentFile

    ib = import_bestand_aanmaken(bestand=ContentFile(csv_bytes()), naam="x.csv", door=SYSTEEM)
    ib = import_uitvoeren(import_bestand_id=ib.pk)
    assert (ib.status, ib.aantal_nieuw, ib.aantal_nieuwe_scholen) == (
        ImportStatus.GEIMPORTEERD,
        1,
        1,
    )
    school = School.objects.get(brin="95CF01")
    assert (school.naam, school.swv.code) == ("Lyceum Middelharnis", "VO 28-05")
    assert Plaatsing.objects.get().stamschool == school


def test_beheerder_may_import_only_rows_of_own_coalitions_schools():
    from coalitie.models import Coalitie, Rol

    beheerder_limburg = LidmaatschapFactory(
        rol=Rol.BEHEERDER, coalitie=Coalitie.objects.get(slug="limburg"), user=UserFactory()
    ).user
    plan = plan_van(csv_bytes(), door=beheerder_limburg)
    # Another coalition's rows are skipped with a notice, never errors; with none left the
    # file holds nothing for this beheerder.
    assert plan.fouten == ["Het bestand bevat geen plaatsingen van scholen van uw coalitie."]
    assert any("1 regels van Schakenbosch" in m for m in plan.meldingen)
