"""Broken files fail cleanly: a Dutch message, a finished (failed) import, nothing written, the
worker's memory bounded; and a worker killed mid-import leaves it failed and re-runnable."""

import datetime as dt
import io
import os
import random
import signal
import subprocess
import sys
import time
import tracemalloc
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.core.files import File
from django.db import connection
from django.utils import timezone

from coalitie.toegang import SYSTEEM
from plaatsingen.importeren import services
from plaatsingen.importeren.fouten import als_csv, gegroepeerd
from plaatsingen.models import ImportBestand, ImportRij, ImportStatus, Leerling, Plaatsing
from tools.management.commands.benchmark_import import genereer

IHUB = Path(__file__).resolve().parents[2] / "shared" / "ihub"
NOV = IHUB / "ihub-export-2025-11-01.csv"
FOUTEN = IHUB / "ihub-export-fouten.csv"
ROOT = Path(__file__).resolve().parents[1]


def controleer(inhoud: bytes, naam="export.csv") -> ImportBestand:
    ib = services.import_bestand_aanmaken(bestand=File(io.BytesIO(inhoud)), naam=naam, door=SYSTEEM)
    return services.import_controleren(import_bestand_id=ib.pk)


def afgewezen_met(ib: ImportBestand, *stukken: str) -> None:
    assert ib.status == ImportStatus.AFGEWEZEN and ib.is_klaar
    assert len(ib.fouten) == 1, ib.fouten[:3]
    for stuk in stukken:
        assert stuk in ib.fouten[0]
    assert not Plaatsing.objects.exists() and not Leerling.objects.exists()
    assert not ImportRij.objects.exists()


def _kop() -> bytes:
    return NOV.read_bytes().split(b"\r\n", 1)[0]


@pytest.mark.django_db
def test_undecodable_csv_fails_with_a_dutch_message_and_no_file_content():
    # Not UTF-8 (a lone continuation byte) and 0x81 has no meaning in Windows-1252.
    inhoud = _kop() + b"\r\n202075;Geheim\x81Naam\xc3;Sem\r\n"
    ib = controleer(inhoud)
    afgewezen_met(ib, "geen leesbare CSV", "UTF-8", "Windows-1252")
    assert "Geheim" not in str(ib.fouten) + str(ib.meldingen)


@pytest.mark.django_db
def test_random_bytes_fail_cleanly():
    ib = controleer(random.Random(15).randbytes(200_000), naam="ruis.csv")
    afgewezen_met(ib, "geen leesbare CSV")


@pytest.mark.django_db
def test_duplicate_header_column_is_named():
    kop = _kop().decode()
    inhoud = (kop + ";Verblijf\r\n").encode() + NOV.read_bytes().split(b"\r\n", 1)[1]
    afgewezen_met(controleer(inhoud), "De kolom 'Verblijf' staat meer dan één keer")


@pytest.mark.django_db
def test_more_rows_than_the_cap_is_refused(settings):
    settings.IMPORT_MAX_RIJEN = 100
    afgewezen_met(controleer(NOV.read_bytes()), "meer dan 100 regels", "IMPORT_MAX_RIJEN")


def _xlsx(rijen: int) -> bytes:
    boek = openpyxl.Workbook()
    blad = boek.active
    blad.append(["Leerlingnummer", "Achternaam"])
    for i in range(rijen):
        blad.append([f"{i}", "Naam"])
    uit = io.BytesIO()
    boek.save(uit)
    return uit.getvalue()


@pytest.mark.django_db
def test_xlsx_with_too_many_rows_by_its_own_dimension_is_refused(settings):
    settings.IMPORT_MAX_RIJEN = 10
    afgewezen_met(controleer(_xlsx(50), naam="groot.xlsx"), "volgens zijn eigen opgave 50 regels")


@pytest.mark.django_db
def test_xlsx_zip_bomb_is_refused_from_the_zip_directory_with_bounded_memory(settings):
    """A small zip that unpacks to 400 MB of shared strings: refused before openpyxl reads it."""
    settings.IMPORT_XLSX_MAX_UITGEPAKT_MB = 250
    gewoon = zipfile.ZipFile(io.BytesIO(_xlsx(2)))
    uit = io.BytesIO()
    with zipfile.ZipFile(uit, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bom:
        for lid in gewoon.infolist():
            bom.writestr(lid, gewoon.read(lid))
        with bom.open("xl/sharedStrings.xml", "w", force_zip64=True) as groot:
            blok = b"<si><t>" + b"A" * 1_000_000 + b"</t></si>"
            for _ in range(400):
                groot.write(blok)
    inhoud = uit.getvalue()
    assert len(inhoud) < 2 * 1024 * 1024  # ~1.5 MB on disk, 400 MB unpacked
    tracemalloc.start()
    try:
        ib = controleer(inhoud, naam="bom.xlsx")
        piek = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    afgewezen_met(ib, "uitgepakt groter dan 250 MB")
    assert piek < 30 * 1024 * 1024  # the file (~1.5 MB, a few copies), never its 400 MB


@pytest.mark.django_db
def test_an_unexpected_error_ends_the_import_failed_not_stuck(monkeypatch, caplog):
    from plaatsingen.importeren import verwerken

    def stuk(*args, **kwargs):
        raise RuntimeError("regel 7 met Geheime Naam")  # what an exception might carry

    monkeypatch.setattr(verwerken, "controleer", stuk)
    ib = controleer(NOV.read_bytes())
    assert ib.status == ImportStatus.MISLUKT and ib.is_klaar and ib.opnieuw_te_proberen
    assert "opnieuw starten" in ib.fouten[0]
    assert "Geheime" not in caplog.text and "Geheime" not in str(ib.fouten)


@pytest.mark.django_db
def test_errors_are_grouped_by_kind_and_downloadable_without_cell_values(client, beheerder):
    from django.urls import reverse

    ib = controleer(FOUTEN.read_bytes())
    assert ib.status == ImportStatus.AFGEWEZEN
    soorten = dict(gegroepeerd(ib.fouten))
    assert soorten["kolom Datum inschrijving: ongeldige datum (verwacht dd-mm-jjjj)"] == 1
    assert soorten["kolom Leerlingnummer: verplichte waarde ontbreekt"] == 1
    assert (
        soorten["kolom Leerlingnummer: dubbele plaatsing: dezelfde plaatsing als een andere regel"]
        == 1
    )
    regels = als_csv(ib.fouten).lstrip("\ufeff").splitlines()
    assert regels[0] == "regel;kolom;melding"
    assert "62;Leerlingnummer;dubbele plaatsing: dezelfde plaatsing als regel 32" in regels
    assert len(regels) == 1 + len(ib.fouten)
    # No cell value of the file in any message (names, dates, codes of the faulty lines).
    for waarde in ("31-02-2025", "VO99-99", "2010/13/45", "Nguyen", "Öztürk", "22-05-2024"):
        assert waarde not in "\n".join(regels)

    # The page shows the kinds with counts, then every line, and links the CSV.
    ib.door = beheerder
    ib.save()
    client.force_login(beheerder)
    pagina = client.get(reverse("importeren:status", args=[ib.pk])).content.decode()
    assert "Soorten fouten" in pagina and "Alle fouten, per regel" in pagina
    r = client.get(reverse("importeren:fouten_csv", args=[ib.pk]))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "regel;kolom;melding" in r.content.decode("utf-8-sig")


# --- a worker killed mid-import ----------------------------------------------------------


def _worker_env(tmp_path, settings) -> dict:
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DATABASE_URL=(
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        ROUTETOOL_VAR_DIR=str(tmp_path),
        CELERY_TASK_ALWAYS_EAGER="false",
    )
    return env


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_leaves_it_failed_rerunnable_and_the_database_as_before(
    tmp_path, settings
):
    if connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"):
        pytest.fail("Deze test draait een echte worker: PostgreSQL en REDIS_URL nodig.")
    from config.celery import app

    pad = tmp_path / "groot.csv"
    genereer(pad, 6000, voorvoegsel="KW")
    with pad.open("rb") as f:
        ib = services.import_bestand_aanmaken(bestand=File(f), naam=pad.name, door=SYSTEEM)
    ib = services.import_controleren(import_bestand_id=ib.pk)
    assert ib.status == ImportStatus.VOORBEELD
    assert services.import_bevestigen(import_bestand_id=ib.pk, door=SYSTEEM) is not None

    app.conf.broker_url = os.environ["REDIS_URL"]
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-l", "INFO"],
        cwd=ROOT,
        env=_worker_env(tmp_path, settings),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        with warnings.catch_warnings():  # eager mode (the suite's default) is not asked here
            warnings.simplefilter("ignore")
            app.send_task("plaatsingen.tasks.import_uitvoeren", args=[ib.pk])
        # Kill -9 once the import is writing inside its transaction (progress is visible
        # outside it through its side connection).
        einde = time.monotonic() + 90
        while time.monotonic() < einde:
            ib.refresh_from_db()
            if ib.voortgang_stap == "opslaan" and ib.voortgang_verwerkt > 0:
                break
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()[-2000:]
            time.sleep(0.02)
        else:
            pytest.fail("de import kwam niet bij het opslaan")
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        log.close()

    ib.refresh_from_db()
    assert ib.status == ImportStatus.BEZIG  # what the page would show for ever without sweeping
    assert not Plaatsing.objects.exists() and not Leerling.objects.exists()  # rolled back

    # The sweeper marks it failed once the worker has been silent long enough, not before.
    assert services.vastgelopen_opruimen() == 0
    later = timezone.now() + dt.timedelta(minutes=settings.IMPORT_VASTGELOPEN_MINUTEN + 1)
    assert services.vastgelopen_opruimen(nu=later) == 1
    ib.refresh_from_db()
    assert ib.status == ImportStatus.MISLUKT and "opnieuw starten" in ib.fouten[0]
    # A redelivered task does not run a failed import behind the beheerder's back.
    services.import_uitvoeren(import_bestand_id=ib.pk)
    assert not Plaatsing.objects.exists()

    # Re-runnable: back to the check, then confirmed and imported in full.
    assert services.opnieuw_proberen(import_bestand_id=ib.pk) is not None
    assert services.import_controleren(import_bestand_id=ib.pk).status == ImportStatus.VOORBEELD
    services.import_bevestigen(import_bestand_id=ib.pk, door=SYSTEEM)
    ib = services.import_uitvoeren(import_bestand_id=ib.pk)
    assert ib.status == ImportStatus.GEIMPORTEERD and ib.aantal_nieuw == 6000
    assert Plaatsing.objects.count() == 6000


@pytest.mark.django_db
def test_only_a_beheerder_of_the_coalition_restarts_a_failed_import(
    client, beheerder, beheerder_andere_coalitie, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    ib = services.import_bestand_aanmaken(
        bestand=File(io.BytesIO(NOV.read_bytes())), naam="nov.csv", door=beheerder
    )
    ImportBestand.objects.filter(pk=ib.pk).update(status=ImportStatus.MISLUKT, fouten=["x"])
    url = reverse("importeren:opnieuw", args=[ib.pk])
    client.force_login(beheerder_andere_coalitie)
    assert client.post(url).status_code == 404
    ib.refresh_from_db()
    assert ib.status == ImportStatus.MISLUKT
    client.force_login(beheerder)
    pagina = client.get(reverse("importeren:status", args=[ib.pk])).content.decode()
    assert "Opnieuw proberen" in pagina
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    ib.refresh_from_db()
    assert ib.status == ImportStatus.VOORBEELD and ib.fouten == []  # checked again at once
