"""The monthly job end to end: a real Celery worker on real Redis, mail over real SMTP."""

import datetime as dt
import threading

import pytest
from celery.signals import task_postrun

from coalitie.models import Samenwerkingsverband
from coalitie.toegang import SYSTEEM
from rapportage.models import LogSoort, Maandlijst, MaandlijstLog, MaandlijstStatus
from rapportage.services import maandlijst_maken
from rapportage.tasks import maandlijst_mailen_taak, maandlijsten_vorige_maand

from .conftest import SWV_A, SWV_B, persona
from .factories import LeerlingFactory, PlaatsingFactory, swv
from .services import wacht_tot

OKTOBER = dt.date(2025, 10, 1)


@pytest.fixture(autouse=True)
def _bestanden_in_tmp(settings, tmp_path):
    """Generated lists go to a throw-away media folder, not the developer's var/."""
    settings.MEDIA_ROOT = tmp_path


class Teller:
    """Counts tasks the worker finished (signal sent in the worker thread)."""

    def __init__(self):
        self.aantal = 0
        self._lock = threading.Lock()

    def __call__(self, **kwargs):
        with self._lock:
            self.aantal += 1


@pytest.fixture
def klaar_taken():
    teller = Teller()
    task_postrun.connect(teller, weak=False)
    yield teller
    task_postrun.disconnect(teller)


def in_de_worker(worker) -> bool:
    return bool(worker.taakdraden) and threading.get_ident() not in worker.taakdraden


def tekst_van(bericht) -> str:
    return bericht["Subject"] + "\n" + bericht.get_body(("plain",)).get_content()


def test_job_makes_every_list_once_and_mails_each_contact_once(
    redis_worker, smtp_server, klaar_taken
):
    from coalitie.models import Rol

    contact_a = persona(Rol.SWV_CONTACTPERSOON, swv=swv(SWV_A))
    contact_b = persona(Rol.SWV_CONTACTPERSOON, swv=swv(SWV_B))
    leerling = LeerlingFactory(roepnaam="Vera", achternaam="Geheimhouding", leerlingnummer="777001")
    PlaatsingFactory(leerling=leerling, verantwoordelijk_swv=swv(SWV_A))
    aantal_swvs = Samenwerkingsverband.objects.count()
    # Per run: the fan-out, one task for the SWV with a pupil, one for all empty lists
    # together, and one mail task per SWV.
    per_run = 1 + 1 + 1 + aantal_swvs

    maandlijsten_vorige_maand.delay(OKTOBER.isoformat())
    wacht_tot(lambda: klaar_taken.aantal >= per_run, timeout=120)

    assert in_de_worker(redis_worker)
    assert Maandlijst.objects.filter(maand=OKTOBER).count() == aantal_swvs
    assert not Maandlijst.objects.filter(pdf="").exists()
    assert Maandlijst.objects.get(swv=swv(SWV_A)).aantal_leerlingen == 1
    ontvangen = sorted(m.envelope_rcpt_tos[0] for m in smtp_server.berichten)
    assert ontvangen == sorted([contact_a.email, contact_b.email])
    for bericht in smtp_server.berichten:
        tekst = tekst_van(bericht)
        assert "De maandlijst van oktober 2025 staat klaar" in bericht["Subject"]
        assert "/maandlijsten/" in tekst
        assert "Geheimhouding" not in tekst and "Vera" not in tekst and "777001" not in tekst
    bestanden = sorted(Maandlijst.objects.values_list("pdf", "xlsx"))
    logs = MaandlijstLog.objects.count()

    maandlijsten_vorige_maand.delay(OKTOBER.isoformat())
    wacht_tot(lambda: klaar_taken.aantal >= 2 * per_run, timeout=60)

    assert sorted(Maandlijst.objects.values_list("pdf", "xlsx")) == bestanden
    assert MaandlijstLog.objects.count() == logs
    assert len(smtp_server.berichten) == 2


def test_smtp_failure_is_retried_with_backoff_and_then_delivered(
    redis_worker, smtp_server, contact_swv_a, settings
):
    settings.MAIL_HERHALEN_EERSTE = 0.2
    lijst, _ = maandlijst_maken(swv=swv(SWV_A), maand=OKTOBER, door=SYSTEEM)
    smtp_server.weiger_eerste(2)

    maandlijst_mailen_taak.delay(lijst.pk)
    wacht_tot(lambda: lijst.logs.filter(soort=LogSoort.GEMAILD).exists(), timeout=30)

    assert in_de_worker(redis_worker)
    assert smtp_server.pogingen == 3
    assert len(smtp_server.berichten) == 1
    lijst.refresh_from_db()
    assert lijst.status == MaandlijstStatus.GEMAILD
    assert not lijst.logs.filter(soort=LogSoort.MISLUKT).exists()


def test_permanent_smtp_failure_ends_as_failed_in_the_log(
    redis_worker, smtp_server, contact_swv_a, settings
):
    # A schedule of seconds instead of 24 hours (production: tests/test_maandlijst_mail_herhalen).
    settings.MAIL_HERHALEN_EERSTE = 0.1
    settings.MAIL_HERHALEN_MAX = 0.2
    settings.MAIL_HERHALEN_TOTAAL = 0.25  # 0.1 + 0.2: two retries
    lijst, _ = maandlijst_maken(swv=swv(SWV_A), maand=OKTOBER, door=SYSTEEM)
    smtp_server.weiger_eerste(100)

    maandlijst_mailen_taak.delay(lijst.pk)
    wacht_tot(lambda: lijst.logs.filter(soort=LogSoort.MISLUKT).exists(), timeout=30)

    assert in_de_worker(redis_worker)
    assert smtp_server.pogingen == 3
    assert smtp_server.berichten == []
    lijst.refresh_from_db()
    assert lijst.status == MaandlijstStatus.MISLUKT
    assert "451" in lijst.logs.get(soort=LogSoort.MISLUKT).reden
