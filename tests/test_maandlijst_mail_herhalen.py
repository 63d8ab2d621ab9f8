"""Finding 4: with the SMTP server down, the monthly-list mail is retried with backoff for at
least 24 hours, then the coalition's beheerders get a melding in the app; a beheerder can resend
from the list page; nothing is ever sent twice.

Real SMTP (aiosmtpd). No sleeping: the task runs eagerly, so Celery performs each retry at once
and the `task_retry` signal shows the countdown it asked for; the retry count is driven with
`apply(retries=...)`.
"""

from __future__ import annotations

import datetime as dt

import pytest
from celery.signals import task_retry
from django.urls import reverse

from coalitie.models import Melding
from coalitie.toegang import SYSTEEM
from rapportage.models import LogSoort, MaandlijstStatus
from rapportage.services import maandlijst_maken
from rapportage.tasks import herhaalschema, maandlijst_mailen_taak

from .conftest import SWV_A
from .factories import swv

pytestmark = pytest.mark.django_db
OKTOBER = dt.date(2025, 10, 1)


@pytest.fixture(autouse=True)
def _bestanden_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _fouten_blijven_in_de_taak(_celery_eager):
    """Eager retries are applied nested, without `throw`: let a failure end as the task's state
    (as in a worker) instead of propagating out of the nested apply."""
    from config.celery import app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


@pytest.fixture
def wachttijden():
    gevraagd: list[float] = []

    def noteer(sender=None, request=None, reason=None, **kwargs):
        if getattr(sender, "name", "") == maandlijst_mailen_taak.name:
            gevraagd.append(reason.when)

    task_retry.connect(noteer, weak=False)
    yield gevraagd
    task_retry.disconnect(noteer)


def test_the_schedule_backs_off_and_covers_at_least_24_hours():
    schema = herhaalschema()
    assert schema[0] == 60
    assert all(a <= b for a, b in zip(schema, schema[1:], strict=False))
    assert max(schema) == 3600  # below the broker's visibility timeout (2 h)
    assert sum(schema) >= 24 * 3600
    assert sum(schema[:-1]) < 24 * 3600  # and not much longer


def test_smtp_down_for_good_retries_on_the_schedule_then_alerts_the_beheerders_once(
    smtp_server, contact_swv_a, beheerder, beheerder_andere_coalitie, wachttijden
):
    lijst, _ = maandlijst_maken(swv=swv(SWV_A), maand=OKTOBER, door=SYSTEEM)
    smtp_server.weiger_eerste(1000)

    maandlijst_mailen_taak.apply(args=(lijst.pk,), throw=False)

    assert wachttijden == herhaalschema()
    assert sum(wachttijden) >= 24 * 3600
    assert smtp_server.pogingen == len(herhaalschema()) + 1
    assert smtp_server.berichten == []
    lijst.refresh_from_db()
    assert lijst.status == MaandlijstStatus.MISLUKT
    reden = lijst.logs.get(soort=LogSoort.MISLUKT).reden
    assert "451" in reden and contact_swv_a.email not in reden
    melding = Melding.objects.get(soort="maandlijst_mail_mislukt")
    assert melding.user == beheerder
    assert "VO 28-06" in melding.tekst and "oktober 2025" in melding.tekst
    assert melding.url.startswith(reverse("rapportage:index"))
    assert not Melding.objects.filter(user=beheerder_andere_coalitie).exists()
    assert not Melding.objects.filter(user=contact_swv_a).exists()


def test_driving_the_retry_count_to_the_last_makes_the_next_failure_final(
    smtp_server, contact_swv_a, beheerder, wachttijden
):
    lijst, _ = maandlijst_maken(swv=swv(SWV_A), maand=OKTOBER, door=SYSTEEM)
    smtp_server.weiger_eerste(1000)
    laatste = len(herhaalschema())

    maandlijst_mailen_taak.apply(args=(lijst.pk,), retries=laatste - 1, throw=False)

    assert wachttijden == [herhaalschema()[-1]]  # one more wait, then the final attempt
    assert smtp_server.pogingen == 2
    lijst.refresh_from_db()
    assert lijst.status == MaandlijstStatus.MISLUKT
    assert Melding.objects.filter(user=beheerder, soort="maandlijst_mail_mislukt").count() == 1


def test_smtp_back_during_the_retries_delivers_exactly_one_mail(
    smtp_server, contact_swv_a, beheerder, wachttijden
):
    lijst, _ = maandlijst_maken(swv=swv(SWV_A), maand=OKTOBER, door=SYSTEEM)
    smtp_server.weiger_eerste(7)

    maandlijst_mailen_taak.apply(args=(lijst.pk,), throw=False)
    maandlijst_mailen_taak.apply(args=(lijst.pk,), throw=False)  # a redelivered task

    assert wachttijden == herhaalschema()[:7]
    assert len(smtp_server.berichten) == 1
    lijst.refresh_from_db()
    assert lijst.status == MaandlijstStatus.GEMAILD
    # No beheerder is alerted (the contact persons' "list ready" melding is another soort).
    assert not Melding.objects.filter(soort="maandlijst_mail_mislukt").exists()


def test_the_beheerder_resends_a_failed_mail_from_the_list_page_and_only_once(
    client, smtp_server, contact_swv_a, beheerder, django_capture_on_commit_callbacks
):
    lijst, _ = maandlijst_maken(swv=swv(SWV_A), maand=OKTOBER, door=SYSTEEM)
    smtp_server.weiger_eerste(1000)
    maandlijst_mailen_taak.apply(args=(lijst.pk,), retries=len(herhaalschema()), throw=False)
    smtp_server.weiger_eerste(0)
    client.force_login(beheerder)
    pagina = client.get(reverse("rapportage:index") + "?maand=2025-10").content.decode()
    knop = reverse("rapportage:opnieuw_mailen", args=[lijst.pk])
    assert f'action="{knop}"' in pagina and "Mail opnieuw versturen" in pagina

    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(knop)
    assert r.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(knop)  # a second click, or a second beheerder
    maandlijst_mailen_taak.apply(args=(lijst.pk,), throw=False)  # and a late retry

    assert len(smtp_server.berichten) == 1
    lijst.refresh_from_db()
    assert lijst.status == MaandlijstStatus.GEMAILD
    assert lijst.logs.filter(soort=LogSoort.OPNIEUW_MAILEN, door=beheerder).count() == 1
    pagina = client.get(reverse("rapportage:index") + "?maand=2025-10").content.decode()
    assert "Mail opnieuw versturen" not in pagina


@pytest.mark.parametrize("wie", ["contact_swv_a", "penvoerder", "beheerder_andere_coalitie"])
def test_only_a_beheerder_of_the_coalition_may_resend(client, request, wie, contact_swv_a):
    lijst, _ = maandlijst_maken(swv=swv(SWV_A), maand=OKTOBER, door=SYSTEEM)
    client.force_login(request.getfixturevalue(wie))
    r = client.post(reverse("rapportage:opnieuw_mailen", args=[lijst.pk]))
    assert r.status_code in (403, 404)
    assert client.get(reverse("rapportage:opnieuw_mailen", args=[lijst.pk])).status_code in (
        403,
        404,
        405,
    )
