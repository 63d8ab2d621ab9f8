"""Finding 1: no value from an import file or a pupil record in an exception, log line or task
failure. The reader names lines, the import task raises ids, and one filter on every log handler
(web, worker, beat) drops exception messages, Celery's exception reprs and query strings."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from coalitie.toegang import SYSTEEM
from config.logs import GeenPersoonsgegevensFilter, JsonFormatter, PlainFormatter
from plaatsingen.importeren.services import import_bestand_aanmaken, import_controleren
from plaatsingen.models import ImportStatus

from .markers import ACHTERNAMEN, marker_csv, treffers

ROOT = Path(__file__).resolve().parents[1]

# 0x81 is undefined in Windows-1252 (and invalid UTF-8): the byte that crashed the check task.
ONLEESBAAR = marker_csv(extra=b"9876599;Na\x81me;;X;01-01-2010\r\n")


@pytest.mark.django_db
def test_an_undecodable_csv_is_rejected_naming_the_line_and_no_value():
    ib = import_bestand_aanmaken(bestand=ContentFile(ONLEESBAAR), naam="e.csv", door=SYSTEEM)
    import_controleren(import_bestand_id=ib.pk)
    ib.refresh_from_db()
    assert ib.status == ImportStatus.AFGEWEZEN
    melding = " ".join(ib.fouten)
    assert "Regel 23" in melding  # header + 21 rows, then the bad one
    assert treffers(melding) == []


def _record(exc: BaseException, msg="Task %(name)s[%(id)s] %(description)s: %(exc)s", args=None):
    try:
        raise exc
    except BaseException:
        record = logging.LogRecord(
            "celery.app.trace", logging.ERROR, __file__, 1, msg, None, sys.exc_info()
        )
    record.args = args if args is not None else {
        "name": "plaatsingen.tasks.import_controleren", "id": "abc", "description": "raised",
        "exc": repr(exc), "traceback": "...", "args": "(5,)", "kwargs": "{}",
    }  # fmt: skip
    return record


def _nested():
    try:
        ONLEESBAAR.decode("cp1252")
    except UnicodeDecodeError as inner:
        raise RuntimeError(f"rij {ACHTERNAMEN[3]}") from inner


@pytest.mark.parametrize("formatter", [JsonFormatter(), PlainFormatter("%(message)s")])
def test_the_log_filter_keeps_exception_type_and_place_but_no_message(formatter):
    try:
        _nested()
    except RuntimeError as exc:
        record = _record(exc)
        record.args = {**record.args, "exc": repr(exc.__cause__)}
    assert treffers(repr(record.args["exc"]))  # the unfiltered line would leak
    GeenPersoonsgegevensFilter().filter(record)
    regel = formatter.format(record)
    assert treffers(regel) == [], regel
    assert "RuntimeError" in regel and "import_controleren" in regel


def test_the_log_filter_turns_exception_arguments_into_their_type():
    exc = ValueError(f"leerling {ACHTERNAMEN[0]}")
    record = _record(exc, msg="mislukt: %r", args=(exc,))
    GeenPersoonsgegevensFilter().filter(record)
    assert treffers(PlainFormatter("%(message)s").format(record)) == []


def test_query_strings_are_cut_from_any_logged_url():
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "Fout: %s",
        ("/plaatsingen/?q=Qzmarkachter00",),
        None,
    )
    GeenPersoonsgegevensFilter().filter(record)
    regel = JsonFormatter().format(record)
    assert "/plaatsingen/?" in regel and treffers(regel) == []


CELERY_FAALT = """
import django; django.setup()
from config.celery import app
app.log.setup(loglevel="INFO")  # what `celery worker` / `celery beat` do at start

@app.task(name="kapot")
def kapot(import_bestand_id):
    open(__import__("sys").argv[1], "rb").read().decode("cp1252")

kapot.apply(args=(7,), kwargs={}, throw=False)
"""


def test_a_failing_task_in_a_celery_process_logs_type_and_ids_only(tmp_path):
    """The real Celery log set-up and failure path (celery.app.trace), in its own process."""
    bestand = tmp_path / "e.csv"
    bestand.write_bytes(ONLEESBAAR)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_FORMAT": "plain"}
    r = subprocess.run(
        [sys.executable, "-c", CELERY_FAALT, str(bestand)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    log = r.stdout + r.stderr
    assert "raised unexpected" in log and "UnicodeDecodeError" in log, log
    assert treffers(log) == [], log


def test_an_import_task_fails_with_ids_and_a_type_never_the_original_message(monkeypatch):
    from plaatsingen import tasks

    def kapot(**kwargs):
        raise ValueError(f"Key (leerlingnummer)=({ACHTERNAMEN[5]}) already exists")

    monkeypatch.setattr(tasks.services, "import_controleren", kapot)
    resultaat = tasks.import_controleren.apply(args=(5,), throw=False)
    assert isinstance(resultaat.result, tasks.ImportTaakFout)
    assert str(resultaat.result) == "import 5: ValueError"
    assert resultaat.result.__cause__ is None and resultaat.result.__suppress_context__
