"""Retention: personal data of pupils whose routes closed > RETENTIE_MAANDEN ago is removed."""

import datetime as dt
import logging

import pytest
import time_machine
from auditlog.models import LogEntry
from django.conf import settings
from django.core.management import call_command

from coalitie.models import Toegangslog
from plaatsingen.models import Leerling, Plaatsing
from plaatsingen.retentie import retentie_uitvoeren
from routetool.models import Transitie

from .factories import LeerlingFactory, PlaatsingFactory

pytestmark = pytest.mark.django_db
TZ = dt.timezone(dt.timedelta(hours=1))
NU = dt.datetime(2028, 3, 1, 3, 30, tzinfo=TZ)


def afgesloten_op(moment: dt.datetime, **leerling) -> Plaatsing:
    """A placement whose route was closed (a Transitie to afgesloten) at `moment`."""
    with time_machine.travel(moment, tick=False):
        plaatsing = PlaatsingFactory(
            leerling=LeerlingFactory(**leerling),
            afgesloten=True,
            startdatum=moment.date() - dt.timedelta(days=200),
            einddatum=moment.date() - dt.timedelta(days=30),
        )
        Transitie.objects.create(plaatsing=plaatsing, van="nazorg", naar="afgesloten")
    return plaatsing


def test_a_pupil_closed_longer_ago_than_the_retention_period_is_anonymised():
    oud = afgesloten_op(NU - dt.timedelta(days=25 * 31), achternaam="Vergetelheid")
    with time_machine.travel(NU, tick=False):
        resultaat = retentie_uitvoeren()
    leerling = Leerling.objects.get(pk=oud.leerling_id)
    assert resultaat.geanonimiseerd == 1
    assert leerling.achternaam == leerling.roepnaam == "geanonimiseerd"
    assert leerling.tussenvoegsel == leerling.postcode == leerling.woonplaats == ""
    assert leerling.geboortedatum is None
    assert leerling.geanonimiseerd_op == NU
    assert Plaatsing.objects.filter(pk=oud.pk).exists()  # kept for anonymous counts
    assert Toegangslog.objects.filter(leerling_id=leerling.pk, actie="geanonimiseerd").exists()


def test_the_change_log_no_longer_holds_the_removed_name():
    oud = afgesloten_op(NU - dt.timedelta(days=800), achternaam="Vergetelheid")
    assert "Vergetelheid" in str(list(LogEntry.objects.values_list("changes", "object_repr")))
    with time_machine.travel(NU, tick=False):
        retentie_uitvoeren()
    alles = str(list(LogEntry.objects.values_list("changes", "changes_text", "object_repr")))
    assert "Vergetelheid" not in alles
    # The entries themselves stay: who created the pupil and when is still known.
    assert LogEntry.objects.get_for_object(oud.leerling).exists()


def test_a_pupil_closed_recently_keeps_its_data():
    recent = afgesloten_op(NU - dt.timedelta(days=23 * 30), achternaam="Onthouden")
    with time_machine.travel(NU, tick=False):
        assert retentie_uitvoeren().geanonimiseerd == 0
    assert Leerling.objects.get(pk=recent.leerling_id).achternaam == "Onthouden"


def test_a_pupil_with_an_open_placement_keeps_its_data():
    oud = afgesloten_op(NU - dt.timedelta(days=900), achternaam="Teruggekeerd")
    PlaatsingFactory(leerling=oud.leerling, startdatum=dt.date(2027, 1, 1))  # open, instroom
    with time_machine.travel(NU, tick=False):
        assert retentie_uitvoeren().geanonimiseerd == 0
    assert Leerling.objects.get(pk=oud.leerling_id).achternaam == "Teruggekeerd"


def test_the_latest_closing_counts_when_a_pupil_had_several_placements():
    oud = afgesloten_op(NU - dt.timedelta(days=1000), achternaam="Tweemaal")
    with time_machine.travel(NU - dt.timedelta(days=100), tick=False):
        tweede = PlaatsingFactory(
            leerling=oud.leerling,
            afgesloten=True,
            startdatum=dt.date(2027, 6, 1),
            einddatum=dt.date(2027, 10, 1),
        )
        Transitie.objects.create(plaatsing=tweede, van="nazorg", naar="afgesloten")
    with time_machine.travel(NU, tick=False):
        assert retentie_uitvoeren().geanonimiseerd == 0


def test_without_a_recorded_transition_the_einddatum_decides():
    with time_machine.travel(NU - dt.timedelta(days=900), tick=False):
        plaatsing = PlaatsingFactory(
            afgesloten=True, startdatum=dt.date(2025, 1, 6), einddatum=dt.date(2025, 6, 30)
        )
    with time_machine.travel(NU, tick=False):
        assert retentie_uitvoeren().geanonimiseerd == 1
    assert Leerling.objects.get(pk=plaatsing.leerling_id).geanonimiseerd_op == NU


def test_the_retention_period_comes_from_the_settings(settings):
    settings.RETENTIE_MAANDEN = 36
    afgesloten_op(NU - dt.timedelta(days=25 * 31))
    with time_machine.travel(NU, tick=False):
        assert retentie_uitvoeren().geanonimiseerd == 0


def test_running_twice_does_nothing_the_second_time_and_logs_counts_only(caplog):
    afgesloten_op(NU - dt.timedelta(days=800), achternaam="Dubbelloop", roepnaam="Eenmalig")
    with time_machine.travel(NU, tick=False), caplog.at_level(logging.INFO, "routetool.retentie"):
        assert retentie_uitvoeren().geanonimiseerd == 1
        assert retentie_uitvoeren().geanonimiseerd == 0
    assert Toegangslog.objects.filter(actie="geanonimiseerd").count() == 1
    berichten = " ".join(r.getMessage() for r in caplog.records)
    assert "1 leerlingen geanonimiseerd" in berichten
    assert "Dubbelloop" not in berichten and "Eenmalig" not in berichten


def test_the_command_has_a_dry_run_that_changes_nothing(capsys):
    oud = afgesloten_op(NU - dt.timedelta(days=800), achternaam="Proefdraai")
    with time_machine.travel(NU, tick=False):
        call_command("retentie_uitvoeren", "--dry-run")
        assert "1 leerlingen zouden" in capsys.readouterr().out
        assert Leerling.objects.get(pk=oud.leerling_id).achternaam == "Proefdraai"
        call_command("retentie_uitvoeren")
    assert Leerling.objects.get(pk=oud.leerling_id).achternaam == "geanonimiseerd"


def test_the_task_runs_daily_at_half_past_three():
    from coalitie.tasks import retentie_uitvoeren as taak

    regel = settings.CELERY_BEAT_SCHEDULE["retentie-uitvoeren"]
    assert regel["task"] == taak.name
    assert regel["schedule"].hour == {3} and regel["schedule"].minute == {30}
    afgesloten_op(NU - dt.timedelta(days=800))
    with time_machine.travel(NU, tick=False):
        assert taak.delay().get() == 1


def test_the_import_history_of_the_pupil_is_scrubbed_too():
    from plaatsingen.models import PlaatsingWijziging

    oud = afgesloten_op(NU - dt.timedelta(days=800))
    PlaatsingWijziging.objects.create(
        plaatsing=oud, veld="leerling: achternaam", oud="Oudenaam", nieuw="Nieuwenaam", op=NU
    )
    PlaatsingWijziging.objects.create(plaatsing=oud, veld="niveau", oud="havo", nieuw="vwo", op=NU)
    with time_machine.travel(NU, tick=False):
        retentie_uitvoeren()
    waarden = set(PlaatsingWijziging.objects.values_list("oud", "nieuw"))
    assert waarden == {("geanonimiseerd", "geanonimiseerd"), ("havo", "vwo")}


def test_uploaded_exports_older_than_the_retention_period_are_deleted(
    django_capture_on_commit_callbacks,
):
    from django.core.files.base import ContentFile

    from plaatsingen.models import ImportBestand

    def upload(moment):
        with time_machine.travel(moment, tick=False):
            ib = ImportBestand(oorspronkelijke_naam="export.csv", sha256="x", voorbeeld={"a": 1})
            ib.bestand.save("export.csv", ContentFile(b"Leerlingnummer;Achternaam\n"), save=True)
        return ib

    oud, nieuw = upload(NU - dt.timedelta(days=800)), upload(NU - dt.timedelta(days=30))
    pad = oud.bestand.path
    with time_machine.travel(NU, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert retentie_uitvoeren().importbestanden_verwijderd == 1
    oud.refresh_from_db()
    nieuw.refresh_from_db()
    assert not oud.bestand and oud.voorbeeld == {} and oud.oorspronkelijke_naam == "export.csv"
    assert nieuw.bestand
    import os

    assert not os.path.exists(pad)
    nieuw.bestand.delete(save=False)


@pytest.mark.django_db
def test_monthly_list_files_go_after_the_retention_period_but_the_row_stays(settings, tmp_path):
    import datetime as dt

    from django.core.files.base import ContentFile

    from rapportage.models import Maandlijst
    from rapportage.retentie import oude_maandlijsten_verwijderen

    from .factories import swv

    settings.MEDIA_ROOT = tmp_path
    oud = Maandlijst.objects.create(swv=swv("VO 28-06"), maand=dt.date(2023, 9, 1))
    oud.pdf.save("oud.pdf", ContentFile(b"%PDF namen"), save=False)
    oud.xlsx.save("oud.xlsx", ContentFile(b"namen"), save=False)
    oud.save()
    recent = Maandlijst.objects.create(swv=swv("VO 28-06"), maand=dt.date(2025, 9, 1))
    recent.pdf.save("recent.pdf", ContentFile(b"%PDF"), save=True)
    nu = dt.datetime(2025, 11, 1, 3, 30, tzinfo=dt.UTC)
    assert oude_maandlijsten_verwijderen(nu=nu) == 1
    oud.refresh_from_db()
    recent.refresh_from_db()
    assert not oud.pdf and not oud.xlsx
    assert recent.pdf
    assert oude_maandlijsten_verwijderen(nu=nu) == 0  # safe to run twice


def test_free_text_about_the_route_is_emptied_with_the_pupil():
    """Notes, reasons and contacts that people typed can name the pupil or the family."""
    from routetool.models import Actie

    from .factories import UserFactory

    oud = afgesloten_op(NU - dt.timedelta(days=25 * 31))
    mentor = UserFactory()
    with time_machine.travel(NU - dt.timedelta(days=25 * 31), tick=False):
        oud.vervolgplek_omschrijving = "Bij oom Henk in Tiel, via Bureau Jeugdzorg"
        oud.save()  # through save(): django-auditlog keeps the text in the change log
        Transitie.objects.create(
            plaatsing=oud, van="uitstroom", naar="nazorg", door=mentor, reden="Sem woont bij oom"
        )
        systeem = Transitie.objects.create(
            plaatsing=oud, van="", naar="instroom", reden="geïmporteerd uit iHUB-export"
        )
        actie = Actie.objects.create(
            plaatsing=oud,
            fase="nazorg",
            code="nazorg",
            omschrijving="Nazorggesprek",
            wie="swv",
            termijn_soort="werkdagen_na_fasestart",
            status="gedaan",
            notitie="Moeder belt dat Sem niet naar school gaat",
            contact_naam="J. de Vries",
            contact_email="j.devries@example.org",
            contact_telefoon="0612345678",
        )
    with time_machine.travel(NU, tick=False):
        assert retentie_uitvoeren().geanonimiseerd == 1

    actie.refresh_from_db()
    assert (actie.notitie, actie.contact_naam, actie.contact_email, actie.contact_telefoon) == (
        "",
        "",
        "",
        "",
    )
    assert actie.status == "gedaan"  # the facts stay
    oud.refresh_from_db()
    assert oud.vervolgplek_omschrijving == ""
    assert not Transitie.objects.filter(plaatsing=oud, reden__contains="oom").exists()
    systeem.refresh_from_db()
    assert systeem.reden == "geïmporteerd uit iHUB-export"
    logs = LogEntry.objects.get_for_object(oud)
    assert logs.exists()
    assert not any("oom Henk" in str(entry.changes) for entry in logs)
