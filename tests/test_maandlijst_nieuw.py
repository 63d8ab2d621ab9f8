"""Monthly lists on a fresh install (issue 19, defect 3): every role is told what to expect."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from coalitie.models import Coalitie
from rapportage.models import Maandlijst

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bestanden_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@time_machine.travel("2025-11-20 10:00 +01:00")
def test_swv_contact_without_lists_yet_is_told_when_they_come_not_that_it_has_no_role(
    client, contact_swv_a
):
    client.force_login(contact_swv_a)
    html = client.get(reverse("rapportage:index")).content.decode()
    assert "geen rol" not in html
    assert "nog geen maandlijsten van uw samenwerkingsverband" in html
    assert "01-12-2025" in html and "beheerder van uw coalitie" in html


@time_machine.travel("2025-11-20 10:00 +01:00")
def test_penvoerder_gets_no_zip_button_that_answers_404_before_lists_exist(client, penvoerder):
    client.force_login(penvoerder)
    html = client.get(reverse("rapportage:index")).content.decode()
    zuid_west = Coalitie.objects.get(slug="zuid-west")
    assert reverse("rapportage:zip", args=[zuid_west.pk, "2025-10"]) not in html
    assert "nog niet gemaakt" in html and "beheerder van de coalitie" in html


@time_machine.travel("2025-11-20 10:00 +01:00")
def test_the_command_makes_last_months_lists_of_the_given_coalitions_as_the_demo_does(
    client, penvoerder
):
    call_command("maandlijsten", "--coalitie", "zuid-west")
    zuid_west = Coalitie.objects.get(slug="zuid-west")
    lijsten = Maandlijst.objects.filter(maand=dt.date(2025, 10, 1))
    assert lijsten.count() == zuid_west.swvs.count()
    assert not lijsten.exclude(swv__coalitie=zuid_west).exists()
    client.force_login(penvoerder)
    html = client.get(reverse("rapportage:index")).content.decode()
    zip_url = reverse("rapportage:zip", args=[zuid_west.pk, "2025-10"])
    assert zip_url in html
    assert client.get(zip_url).status_code == 200


def test_run_script_makes_the_demo_lists():
    from pathlib import Path

    from django.conf import settings

    script = (Path(settings.BASE_DIR) / "scripts" / "run.sh").read_text()
    assert "manage.py maandlijsten --coalitie zuid-west" in script
