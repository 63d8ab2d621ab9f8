import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from coalitie.models import Rol
from coalitie.toegang import SYSTEEM
from routetool.services import route_starten
from routetool.tasks import wekelijks_signalenoverzicht

from .conftest import persona
from .factories import PlaatsingFactory, swv

pytestmark = pytest.mark.django_db


def test_a_new_placement_mails_the_swv_contacts_a_link_without_the_pupils_name(
    django_capture_on_commit_callbacks, contact_swv_a, contact_swv_b
):
    p = PlaatsingFactory(leerling__roepnaam="Jantine", leerling__achternaam="Vermeulenstra")
    with django_capture_on_commit_callbacks(execute=True):
        route_starten(plaatsingen=[p], door=SYSTEEM)
    assert len(mail.outbox) == 1
    bericht = mail.outbox[0]
    assert bericht.to == [contact_swv_a.email]
    tekst = bericht.subject + bericht.body
    assert settings.SITE_URL + reverse("plaatsingen:detail", args=[p.pk]) in tekst
    for persoonsgegeven in ("Jantine", "Vermeulenstra", p.leerling.leerlingnummer, "2010"):
        assert persoonsgegeven not in tekst


def test_an_import_sends_each_contact_one_mail_listing_all_links(
    django_capture_on_commit_callbacks, contact_swv_a
):
    collega = persona(Rol.SWV_CONTACTPERSOON, swv=swv("VO 28-06"))
    plaatsingen = PlaatsingFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=True):
        route_starten(plaatsingen=plaatsingen, door=SYSTEEM, via_import=True)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([contact_swv_a.email, collega.email])
    for m in mail.outbox:
        for p in plaatsingen:
            assert reverse("plaatsingen:detail", args=[p.pk]) in m.body


def test_no_mail_leaves_when_the_transaction_rolls_back(contact_swv_a):
    from django.db import transaction

    p = PlaatsingFactory()

    class Terug(Exception):
        pass

    with pytest.raises(Terug), transaction.atomic():
        route_starten(plaatsingen=[p], door=SYSTEEM)
        raise Terug
    assert mail.outbox == []


@time_machine.travel(dt.date(2025, 11, 24))
def test_the_weekly_digest_gives_the_procesregisseur_counts_and_a_link_no_names(procesregisseur):
    p = PlaatsingFactory(leerling__achternaam="Vermeulenstra", startdatum=dt.date(2025, 9, 1))
    route_starten(plaatsingen=[p], door=SYSTEEM)
    mail.outbox.clear()
    assert wekelijks_signalenoverzicht() == 1
    (bericht,) = mail.outbox
    assert bericht.to == [procesregisseur.email]
    assert "te laat: 1" in bericht.body and "niet bevestigd: 1" in bericht.body
    assert settings.SITE_URL + reverse("routetool:overzicht") in bericht.body
    assert "Vermeulenstra" not in bericht.body


def test_the_weekly_digest_is_scheduled_on_monday_morning():
    entry = settings.CELERY_BEAT_SCHEDULE["routetool-wekelijks-signalenoverzicht"]
    assert entry["task"] == "routetool.tasks.wekelijks_signalenoverzicht"
    assert entry["schedule"].day_of_week == {1} and entry["schedule"].hour == {7}


def test_a_redelivered_weekly_digest_mails_nobody_twice(
    procesregisseur, procesregisseur_andere_coalitie
):
    """acks_late: a worker that dies after sending gets the task redelivered; the same week
    must not mail again. The next week mails again."""
    with time_machine.travel(dt.datetime(2025, 11, 24, 7, 0, tzinfo=dt.UTC)):
        assert wekelijks_signalenoverzicht() == 2
        assert wekelijks_signalenoverzicht.delay().get() == 0  # redelivered, same Monday
    with time_machine.travel(dt.datetime(2025, 11, 26, 7, 0, tzinfo=dt.UTC)):
        assert wekelijks_signalenoverzicht() == 0  # still the same ISO week
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [procesregisseur.email, procesregisseur_andere_coalitie.email]
    )
    with time_machine.travel(dt.datetime(2025, 12, 1, 7, 0, tzinfo=dt.UTC)):
        assert wekelijks_signalenoverzicht() == 2
    assert len(mail.outbox) == 4


def test_a_digest_that_failed_to_send_is_sent_on_the_retry(procesregisseur, monkeypatch):
    import routetool.tasks as tasks

    echte = tasks.send_mail

    def kapot(*args, **kwargs):
        raise ConnectionError("SMTP weg")

    with time_machine.travel(dt.datetime(2025, 11, 24, 7, 0, tzinfo=dt.UTC)):
        monkeypatch.setattr(tasks, "send_mail", kapot)
        with pytest.raises(ConnectionError):
            wekelijks_signalenoverzicht()
        monkeypatch.setattr(tasks, "send_mail", echte)
        assert wekelijks_signalenoverzicht() == 1
    assert [m.to for m in mail.outbox] == [[procesregisseur.email]]
