"""The import streams: groups of whole pupils, one transaction, scratch rows cleaned up."""

import datetime as dt
import io
import uuid
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile

from coalitie.models import School
from coalitie.toegang import SYSTEEM
from plaatsingen import retentie
from plaatsingen.importeren import vergelijken
from plaatsingen.importeren.controleren import controleer
from plaatsingen.importeren.lezen import lees
from plaatsingen.importeren.plan import MAX_FOUTEN, Plan
from plaatsingen.importeren.services import import_bestand_aanmaken, import_uitvoeren
from plaatsingen.importeren.verwerken import maak_plan
from plaatsingen.models import ImportRij, ImportStatus, Leerling, Plaatsing
from plaatsingen.resources import IhubPlaatsingResource

pytestmark = pytest.mark.django_db

IHUB = Path(__file__).resolve().parents[2] / "shared" / "ihub"
KOPJES = list(IhubPlaatsingResource.kolommen())


def rij(nummer, start, eind="", swv="VO 28-06", brin="95CF01"):
    return [
        nummer, "Jansen", "", "Sem", "29-12-2010", "M", "2525 AB", "Den Haag",
        "Schakenbosch Onderwijs & Werk", "Schakenbosch", start, eind, "gesloten",
        brin, f"School {brin}", swv, "havo", "3", "verhuisd" if eind else "", "", "",
    ]  # fmt: skip


def csv_bytes(rijen):
    return ("\r\n".join(";".join(r) for r in [KOPJES, *rijen]) + "\r\n").encode()


def importeer(inhoud: bytes):
    ib = import_bestand_aanmaken(bestand=ContentFile(inhoud), naam="export.csv", door=SYSTEEM)
    return import_uitvoeren(import_bestand_id=ib.pk)


@pytest.fixture(autouse=True)
def _vandaag():
    with time_machine.travel(dt.datetime(2025, 11, 5, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def test_groups_never_split_a_pupil_and_deliver_every_row_once(monkeypatch):
    monkeypatch.setattr(vergelijken, "DEEL", 2)
    rijen = [
        rij("100003", "01-02-2025", "01-03-2025"),
        rij("100001", "01-02-2025"),
        rij("100003", "02-03-2025", "01-04-2025"),
        rij("100002", "01-02-2025"),
        rij("100003", "02-04-2025"),
        rij("100004", "01-02-2025"),
    ]
    partij = uuid.uuid4()
    plan = Plan()
    controleer(
        plan, lees(io.BytesIO(csv_bytes(rijen))), partij=partij, door=SYSTEEM, voortgang=None
    )
    assert plan.fouten == []

    groepen = list(vergelijken.delen(partij))
    regels = [r.regel for groep in groepen for r in groep]
    assert sorted(regels) == [2, 3, 4, 5, 6, 7]
    groep_van = {}
    for i, groep in enumerate(groepen):
        assert [r.regel for r in groep] == sorted(r.regel for r in groep)  # line order inside
        for r in groep:
            assert groep_van.setdefault(r.leerlingnummer, i) == i, "a pupil split over groups"
    assert len(groepen) > 1


def test_a_conflict_in_a_later_group_undoes_what_earlier_groups_wrote(monkeypatch):
    """Groups of one pupil: the first pupils are written before the last one turns out to have
    two open placements; the file must still leave nothing behind."""
    monkeypatch.setattr(vergelijken, "DEEL", 1)
    rijen = [rij(f"20000{i}", "01-02-2025", brin=f"9{i}XX01") for i in range(1, 5)]
    rijen += [rij("299999", "01-02-2025"), rij("299999", "01-03-2025")]
    scholen = School.objects.count()

    ib = importeer(csv_bytes(rijen))

    assert ib.status == ImportStatus.AFGEWEZEN
    assert ib.fouten == [
        "regel 7, kolom Datum uitschrijving: deze leerling heeft al een andere plaatsing zonder "
        "datum uitschrijving"
    ]
    assert not Plaatsing.objects.exists()
    assert not Leerling.objects.exists()
    assert School.objects.count() == scholen
    assert not ImportRij.objects.exists()


def test_one_mail_per_contact_person_however_many_groups(
    monkeypatch, contact_swv_a, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(vergelijken, "DEEL", 2)
    rijen = [rij(f"30000{i}", "01-02-2025") for i in range(1, 8)]
    with django_capture_on_commit_callbacks(execute=True):
        ib = importeer(csv_bytes(rijen))
    assert ib.aantal_nieuw == 7
    aan_contact = [m for m in mail.outbox if contact_swv_a.email in m.to]
    assert len(aan_contact) == 1


def test_scratch_rows_are_gone_after_preview_import_and_rejection():
    goed = csv_bytes([rij("400001", "01-02-2025")])
    fout = csv_bytes([rij("400002", "31-02-2025"), rij("400003", "01-02-2025")])
    assert maak_plan(io.BytesIO(goed), door=SYSTEEM).aantal_nieuw == 1
    assert not ImportRij.objects.exists()
    assert importeer(goed).status == ImportStatus.GEIMPORTEERD
    assert not ImportRij.objects.exists()
    assert importeer(fout).status == ImportStatus.AFGEWEZEN
    assert not ImportRij.objects.exists()


def test_a_file_wrong_on_every_line_lists_the_first_errors_and_says_how_many_more():
    rijen = [rij(f"5{i:05d}", "31-02-2025") for i in range(MAX_FOUTEN + 200)]
    plan = maak_plan(io.BytesIO(csv_bytes(rijen)), door=SYSTEEM)
    assert len(plan.fouten) == MAX_FOUTEN + 1
    assert plan.fouten[0].startswith("regel 2, kolom Datum inschrijving: ongeldige datum")
    assert plan.fouten[-1] == (f"… en nog 200 fouten; hierboven staan de eerste {MAX_FOUTEN}.")


def test_duplicates_and_row_errors_come_together_in_line_order():
    rijen = [
        rij("600001", "01-02-2025", "01-03-2025"),
        rij("600002", "31-02-2025"),
        rij("600001", "01-02-2025", "01-03-2025"),
    ]
    plan = maak_plan(io.BytesIO(csv_bytes(rijen)), door=SYSTEEM)
    assert plan.fouten == [
        "regel 3, kolom Datum inschrijving: ongeldige datum (verwacht dd-mm-jjjj)",
        "regel 4, kolom Leerlingnummer: dubbele plaatsing: dezelfde plaatsing als regel 2",
    ]


def test_retention_removes_scratch_rows_left_by_a_crashed_worker():
    partij = uuid.uuid4()
    plan = Plan()
    inhoud = csv_bytes([rij("700001", "01-02-2025")])
    controleer(plan, lees(io.BytesIO(inhoud)), partij=partij, door=SYSTEEM, voortgang=None)
    assert ImportRij.objects.filter(partij=partij).count() == 1
    assert retentie.achtergebleven_importregels_verwijderen() == 0  # still running, maybe
    later = dt.datetime(2025, 11, 7, 10, 0, tzinfo=dt.UTC)
    assert retentie.achtergebleven_importregels_verwijderen(nu=later) == 1
    assert not ImportRij.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_progress_of_the_writing_is_visible_to_the_status_page_while_the_transaction_runs(
    monkeypatch,
):
    """The status page reads the ImportBestand from another connection; while the one
    transaction writes group after group, that connection must see the count move."""
    from django.db import connection

    monkeypatch.setattr(vergelijken, "DEEL", 60)
    ib = import_bestand_aanmaken(
        bestand=ContentFile((IHUB / "ihub-export-2025-10-01.csv").read_bytes()),
        naam="okt.csv",
        door=SYSTEEM,
    )
    buiten = connection.get_new_connection(connection.get_connection_params())
    buiten.autocommit = True
    gezien = []

    def kijk(stap, verwerkt, totaal):
        if stap == "opslaan" and connection.in_atomic_block:
            gezien.append(
                buiten.execute(
                    "SELECT voortgang_stap, voortgang_verwerkt FROM plaatsingen_importbestand "
                    "WHERE id = %s",
                    [ib.pk],
                ).fetchone()
            )

    try:
        ib = import_uitvoeren(import_bestand_id=ib.pk, voortgang=kijk)
    finally:
        buiten.close()
    assert ib.status == ImportStatus.GEIMPORTEERD
    tussenstanden = [n for stap, n in gezien if stap == "opslaan" and 0 < n < ib.aantal_rijen]
    assert len(tussenstanden) >= 3, gezien
