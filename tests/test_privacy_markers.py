"""The privacy proof: a file whose names, birthdates, postcodes and numbers are unique markers
goes through the real processes (gunicorn, Celery worker and beat started with the compose
file's own commands, real PostgreSQL, Redis and SMTP); every error path, the search, the
downloads, exports and PDFs are driven; then every log stream (app, gunicorn access and error,
worker, beat), every mail and every error page is searched for the markers: zero hits.

A positive control proves the markers are really there to be found (in the database and in the
pages that rightly show them to a user who may see them).
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.http import Http404, HttpResponse
from django.test import Client
from django.urls import path
from django.utils import timezone

from coalitie.models import Rol
from config.celery import app
from config.logs import GeenPersoonsgegevensFilter, JsonFormatter, RequestIdFilter
from plaatsingen.importeren import services as importeren
from plaatsingen.models import ImportBestand, ImportStatus, Leerling, Plaatsing

from .conftest import SWV_A, persona
from .factories import swv
from .markers import (
    ACHTERNAMEN,
    KOPJES,
    LEERLINGNUMMERS,
    MARKERS,
    marker_csv,
    marker_rij,
    treffers,
)
from .test_deploy_processes import BIN, ROOT, compose_command, free_port, process_env, wait_for
from .test_privacy_logs import ONLEESBAAR

pytestmark = pytest.mark.django_db(transaction=True)
AANTAL_GEDOOD = 4000  # rows of the import whose worker is killed
SLEUTEL = "x" * 60  # the processes' SECRET_KEY (process_env): our session cookie must fit


@pytest.fixture
def alle_processen(tmp_path, smtp_server, settings):
    env = process_env(tmp_path)
    env.update(
        LOG_FORMAT="json",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(settings.EMAIL_PORT),
        MAIL_HERHALEN_EERSTE="0.2",
        MAIL_HERHALEN_MAX="0.2",
        MAIL_HERHALEN_TOTAAL="0.5",
    )
    for cmd in (["collectstatic", "--noinput", "-v0"], ["migrate", "--noinput", "-v0"]):
        subprocess.run([str(BIN / "python"), "manage.py", *cmd], cwd=ROOT, env=env, check=True)
    port = free_port()
    web = [a.replace("0.0.0.0:8000", f"127.0.0.1:{port}") for a in compose_command("web")]
    # The container's /data and /tmp paths (schedule, pidfile) into this test's own folder.
    beat = [f"{tmp_path}/{a.split('/', 2)[2]}" if a.startswith(("/data/", "/tmp/")) else a
            for a in compose_command("beat")]  # fmt: skip
    cmds = {"web": web, "worker": compose_command("worker"), "beat": beat}
    logs = {n: open(tmp_path / f"{n}.log", "w") for n in cmds}  # noqa: SIM115 (closed below)
    procs = {
        n: subprocess.Popen(c, cwd=ROOT, env=env, stdout=logs[n], stderr=subprocess.STDOUT)
        for n, c in cmds.items()
    }
    # The test process and the workers share the files (imports, lists) and the session key.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SECRET_KEY = SLEUTEL
    app.conf.task_always_eager = False
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", procs["web"])
        yield {"url": f"http://127.0.0.1:{port}", "tmp": tmp_path, "procs": procs}
    finally:
        app.conf.task_always_eager = True
        for p in procs.values():
            p.terminate()
        for p in procs.values():
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        for f in logs.values():
            f.close()


def _wacht(voorwaarde, seconden=90, uitleg="", stap=0.3):
    einde = time.monotonic() + seconden
    while time.monotonic() < einde:
        if voorwaarde():
            return
        time.sleep(stap)
    pytest.fail(f"niet binnen {seconden} s: {uitleg}")


def _importeer(inhoud: bytes, door) -> ImportBestand:
    from plaatsingen import tasks

    ib = importeren.import_bestand_aanmaken(bestand=ContentFile(inhoud), naam="e.csv", door=door)
    tasks.import_controleren.delay(ib.pk)
    _wacht(
        lambda: ImportBestand.objects.get(pk=ib.pk).status != ImportStatus.ONTVANGEN,
        uitleg="controle door de worker",
    )
    ib.refresh_from_db()
    return ib


def _kinderen(pid: int) -> list[int]:
    """The pool processes of the Celery worker `pid` (its direct children, read from /proc)."""
    kinderen = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            velden = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(velden[1]) == pid:
            kinderen.append(int(stat.parent.name))
    return kinderen


def _worker_gedood_midden_in_import(procs, beheerder) -> int:
    """A marker file whose import is running when the pool process doing it gets SIGKILL (what
    the out-of-memory killer does); the worker logs the lost task and, acks_late with
    reject_on_worker_lost, the message is delivered again and the import runs to the end."""
    from plaatsingen import tasks

    rijen = []
    for i in range(AANTAL_GEDOOD):  # enough to catch it writing; names etc. are the markers
        rij = marker_rij(i % len(ACHTERNAMEN))
        rij[0] = f"97{i:05d}"
        rijen.append(";".join(rij))
    inhoud = ("\r\n".join([";".join(KOPJES), *rijen]) + "\r\n").encode("cp1252")
    ib = _importeer(inhoud, beheerder)
    assert ib.status == ImportStatus.VOORBEELD, ib.fouten[:3]
    importeren.import_bevestigen(import_bestand_id=ib.pk, door=beheerder)
    tasks.import_uitvoeren.delay(ib.pk)
    _wacht(
        lambda: ImportBestand.objects.filter(
            pk=ib.pk, voortgang_stap="opslaan", voortgang_verwerkt__gt=0
        ).exists(),
        seconden=60,
        uitleg="de worker schrijft de import",
        stap=0.01,
    )
    kinderen = _kinderen(procs["worker"].pid)
    assert kinderen, "geen pool-processen onder de worker"
    for kind in kinderen:  # the busy one among them; the idle one is restarted just the same
        os.kill(kind, signal.SIGKILL)
    assert ImportBestand.objects.get(pk=ib.pk).status == ImportStatus.BEZIG  # killed mid-way
    _wacht(
        lambda: ImportBestand.objects.get(pk=ib.pk).status == ImportStatus.GEIMPORTEERD,
        uitleg="de import opnieuw bezorgd en afgemaakt",
    )
    assert procs["worker"].poll() is None  # the main process lived on
    return ib.pk


class Browser:
    """urllib with the session cookie of a user logged in through Django's test client."""

    def __init__(self, basis: str, user):
        client = Client()
        client.force_login(user)
        self.basis, self.cookie = basis, f"sessionid={client.cookies['sessionid'].value}"
        self.paginas: dict[str, tuple[int, bytes]] = {}

    def get(self, pad: str) -> tuple[int, bytes]:
        kop = {"Cookie": self.cookie}
        verzoek = urllib.request.Request(self.basis + pad, headers=kop)  # noqa: S310
        try:
            with urllib.request.urlopen(verzoek, timeout=30) as r:  # noqa: S310 (loopback)
                antwoord = r.status, r.read()
        except urllib.error.HTTPError as e:
            antwoord = e.code, e.read()
        self.paginas[pad] = antwoord
        return antwoord


# Like every URL of the app, these hold a numeric id; the exceptions quote the pupil.
def _kapot(request, pk):
    leerling = Leerling.objects.get(pk=pk)
    raise RuntimeError(f"kapot bij {leerling.achternaam} {leerling.postcode}")


def _weg(request, pk):
    raise Http404(f"leerling {Leerling.objects.get(pk=pk).achternaam} weg")


urlpatterns = [
    path("kapot/<int:pk>/", _kapot),
    path("weg/<int:pk>/", _weg),
    path("", lambda request: HttpResponse("ok"), name="home"),  # the error pages link home
]


def test_no_marker_in_any_log_mail_or_error_page(alle_processen, smtp_server, settings):
    tmp, url = alle_processen["tmp"], alle_processen["url"]
    beheerder = persona(Rol.BEHEERDER, coalitie=swv(SWV_A).coalitie)
    contact = persona(Rol.SWV_CONTACTPERSOON, swv=swv(SWV_A))
    penvoerder = persona(Rol.PENVOERDER, coalitie=swv(SWV_A).coalitie)

    # 1. The undecodable file (the byte that crashed the check task) and a file of bad rows.
    ib = _importeer(ONLEESBAAR, beheerder)
    assert ib.status == ImportStatus.AFGEWEZEN and "Regel 23" in " ".join(ib.fouten)
    fout = marker_rij(1)
    fout[4], fout[15] = "31-02-2010", "VO 99-99"  # no such date, no such SWV
    slecht = marker_csv(1) + (";".join(fout) + "\r\n").encode()
    assert _importeer(slecht, beheerder).status == ImportStatus.AFGEWEZEN

    # 2. The good file: checked, confirmed and imported by the worker; new-placement mails.
    ib = _importeer(marker_csv(21), beheerder)
    assert ib.status == ImportStatus.VOORBEELD, ib.fouten
    from plaatsingen import tasks

    importeren.import_bevestigen(import_bestand_id=ib.pk, door=beheerder)
    tasks.import_uitvoeren.delay(ib.pk)
    _wacht(
        lambda: ImportBestand.objects.get(pk=ib.pk).status == ImportStatus.GEIMPORTEERD,
        uitleg="import door de worker",
    )
    _wacht(lambda: len(smtp_server.berichten) >= 1, uitleg="mail over nieuwe plaatsingen")
    assert Leerling.objects.filter(achternaam__in=ACHTERNAMEN).count() == 21  # control
    plaatsing = Plaatsing.objects.get(leerling__leerlingnummer=LEERLINGNUMMERS[0])

    # 3. Search, view, downloads, PDFs and exports through gunicorn, as the users do.
    b = Browser(url, contact)
    status, zoek = b.get(f"/?zoek={ACHTERNAMEN[0]}")
    assert status == 200 and treffers(zoek.decode())  # control: the page shows her
    b.get(f"/?zoek={LEERLINGNUMMERS[1]}&fase=")
    b.get(f"/plaatsingen/{plaatsing.pk}/")
    status, pdf = b.get(f"/rapportage/plaatsing/{plaatsing.pk}/routeoverzicht.pdf")
    assert status == 200 and pdf.startswith(b"%PDF")
    from rapportage.models import Maandlijst
    from rapportage.tasks import maandlijst_maken_taak

    # 4. The monthly list made by the worker; its mail refused by SMTP until the task gives up.
    smtp_server.weiger_eerste(1000)
    maand = plaatsing.startdatum.replace(day=1).isoformat()
    maandlijst_maken_taak.delay(swv(SWV_A).pk, maand)
    _wacht(
        lambda: Maandlijst.objects.filter(swv=swv(SWV_A), status="mislukt").exists(),
        uitleg="maandlijst gemaakt en mailen opgegeven",
    )
    smtp_server.weiger_eerste(0)
    lijst = Maandlijst.objects.get(swv=swv(SWV_A))
    p = Browser(url, penvoerder)
    for soort in ("pdf", "xlsx"):
        assert p.get(f"/maandlijsten/{lijst.pk}/{soort}/")[0] == 200
    bh = Browser(url, beheerder)
    bh.get(f"/privacy/leerlingen/{plaatsing.leerling_id}/log-nen7513.csv")
    bh.get(f"/import/{ib.pk}/")

    # 5. Error pages through gunicorn: a 404 with markers in the URL, a page not for this user.
    foutpaginas = [
        b.get(f"/plaatsingen/99999999/?zoek={ACHTERNAMEN[3]}"),
        b.get(f"/privacy/leerlingen/{plaatsing.leerling_id}/log/?q={ACHTERNAMEN[4]}"),
    ]
    assert [s for s, _ in foutpaginas] == [404, 404]

    # 6. A 500 and a 404 whose exceptions quote the pupil, in this process with the app's own
    #    log handler set-up (the same filter and formatter as settings.LOGGING).
    app_log = io.StringIO()
    handler = logging.StreamHandler(app_log)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(GeenPersoonsgegevensFilter())
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)
    try:
        settings.DEBUG = False
        settings.ROOT_URLCONF = __name__
        client = Client(raise_request_exception=False)
        for pad in (
            f"/kapot/{plaatsing.leerling_id}/?zoek={ACHTERNAMEN[5]}",
            f"/weg/{plaatsing.leerling_id}/",
        ):
            r = client.get(pad)
            foutpaginas.append((r.status_code, r.content))
    finally:
        logging.getLogger().removeHandler(handler)
    assert [s for s, _ in foutpaginas[2:]] == [500, 404]
    assert "RuntimeError" in app_log.getvalue()  # control: the 500 was logged

    # 7. A killed task: the worker's pool process gets SIGKILL while it writes a marker import;
    #    the task is delivered again and finishes.
    gedood = _worker_gedood_midden_in_import(alle_processen["procs"], beheerder)
    assert Leerling.objects.filter(leerlingnummer__startswith="97").count() == AANTAL_GEDOOD
    # And a marker import whose task died with its worker before it began: silent for longer
    # than IMPORT_VASTGELOPEN_MINUTEN, the sweeper (run by the worker, as beat sends it) ends it.
    vast = importeren.import_bestand_aanmaken(
        bestand=ContentFile(marker_csv(21)), naam="vast.csv", door=beheerder
    )
    stil = timezone.now() - dt.timedelta(minutes=settings.IMPORT_VASTGELOPEN_MINUTEN + 1)
    ImportBestand.objects.filter(pk=vast.pk).update(voortgang_op=stil)
    opruimen = tasks.import_vastgelopen_opruimen.delay()
    _wacht(
        lambda: f"{opruimen.id}] succeeded" in (tmp / "worker.log").read_text(),
        seconden=30,
        uitleg="de opruimtaak in de worker",
    )
    assert ImportBestand.objects.get(pk=vast.pk).status == ImportStatus.MISLUKT
    assert ImportBestand.objects.get(pk=gedood).status == ImportStatus.GEIMPORTEERD

    for naam, proc in alle_processen["procs"].items():
        assert proc.poll() is None, f"{naam} stopte onderweg"  # beat too ran all along
        proc.terminate()
        proc.wait(timeout=30)
    stromen = {n: (tmp / f"{n}.log").read_text() for n in ("web", "worker", "beat")}
    stromen["app (500-pagina)"] = app_log.getvalue()
    assert '"GET /?zoek=' not in stromen["web"] and '"GET / HTTP/1.1" 200' in stromen["web"]
    assert "maandlijst_mailen_taak" in stromen["worker"]  # the failed mail was logged
    # The killed task was logged (lost worker), then run again to the end, then the sweeper.
    assert "WorkerLostError" in stromen["worker"] or "SIGKILL" in stromen["worker"]
    # Only the redelivered run logs this: the killed one died before its commit.
    assert f"import {gedood}: {AANTAL_GEDOOD} new" in stromen["worker"]
    assert f"import {vast.pk}: no sign of life" in stromen["worker"]
    assert "beat: Starting" in stromen["beat"] and "Traceback" not in stromen["beat"]
    gevonden = {naam: treffers(tekst) for naam, tekst in stromen.items()}
    gevonden["mails"] = treffers(
        "\n".join(m.as_string() for m in smtp_server.berichten)
        + "".join(f.read_text(errors="replace") for f in Path(tmp / "mail").glob("*"))
    )
    gevonden["foutpaginas"] = treffers(b"".join(c for _, c in foutpaginas).decode(errors="replace"))
    assert gevonden == {naam: [] for naam in gevonden}, {
        naam: hits[:5] for naam, hits in gevonden.items() if hits
    }
    assert len(MARKERS) > 40
