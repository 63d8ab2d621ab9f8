"""Issue 19, defect 11 (the report parts): the dashboard's period choice and what each count
means, and a monitor asked for by someone who has lost the role since. (The totals of the
monitor PDF, "x" before, are in test_rapportage_monitor.py.)"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from coalitie.models import Coalitie, Lidmaatschap
from rapportage.models import Monitor, MonitorStatus
from rapportage.monitor import monitor_maken
from rapportage.periodes import periode_uit

from .conftest import SWV_A
from .factories import PlaatsingFactory, swv
from .test_rapportage_monitor import _pdf_tekst

pytestmark = pytest.mark.django_db
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
NU = dt.datetime(2026, 5, 20, 12, 0, tzinfo=AMS)
D = dt.date


@pytest.fixture(autouse=True)
def _lege_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def plaatsingen(db):
    """SWV A: one placement running since 2025 (at the school now), one that started this
    month, one that ended in March 2026 and is in nazorg (open route, not at a school), one
    registered to start next month (open route, not at a school yet), one closed in 2025."""
    a = swv(SWV_A)
    PlaatsingFactory(verantwoordelijk_swv=a, startdatum=D(2025, 3, 1))
    PlaatsingFactory(verantwoordelijk_swv=a, startdatum=D(2026, 5, 4))
    PlaatsingFactory(verantwoordelijk_swv=a, startdatum=D(2025, 9, 1), in_nazorg=True,
                     einddatum=D(2026, 3, 10))  # fmt: skip
    PlaatsingFactory(verantwoordelijk_swv=a, startdatum=D(2026, 6, 8))
    PlaatsingFactory(verantwoordelijk_swv=a, startdatum=D(2025, 1, 6), afgesloten=True,
                     einddatum=D(2025, 6, 30))  # fmt: skip


def _dashboard(user, **params):
    client = Client()
    client.force_login(user)
    with time_machine.travel(NU, tick=False):
        response = client.get(reverse("rapport:dashboard"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("soort", "van"),
    [
        ("12m", D(2025, 6, 1)),
        ("maand", D(2026, 5, 1)),
        ("kwartaal", D(2026, 4, 1)),
        ("halfjaar", D(2026, 1, 1)),
        ("jaar", D(2026, 1, 1)),
    ],
)
def test_each_named_period_runs_from_its_start_to_today(soort, van):
    periode = periode_uit({"periode": soort}, D(2026, 5, 20))
    assert (periode.soort, periode.van, periode.tot, periode.fout) == (
        soort,
        van,
        D(2026, 5, 20),
        "",
    )


def test_a_bad_own_period_falls_back_to_twelve_months_with_a_dutch_message():
    periode = periode_uit(
        {"periode": "eigen", "van": "2026-05-01", "tot": "2026-01-01"}, D(2026, 5, 20)
    )
    assert periode.soort == "12m" and periode.van == D(2025, 6, 1)
    assert periode.fout == "De einddatum ligt voor de begindatum."
    assert periode_uit({"periode": "eigen", "van": "morgen"}, D(2026, 5, 20)).fout


def test_the_dashboard_counts_the_chosen_period_and_keeps_it_in_the_url(
    plaatsingen, procesregisseur
):
    html = _dashboard(procesregisseur, periode="maand")
    assert '<option value="maand" selected>' in html
    assert "van 01-05-2026 tot en met vandaag (20-05-2026)" in html
    # In May 2026: the one running since 2025 and the one that started on the 4th.
    assert "Liepen in de periode: 2" in html
    html = _dashboard(procesregisseur)
    assert "Liepen in de periode: 4" in html  # since June 2025: nazorg and closed ones too


def test_the_dashboard_takes_an_own_period_from_to(plaatsingen, procesregisseur):
    html = _dashboard(procesregisseur, periode="eigen", van="01-01-2025", tot="30-06-2025")
    assert '<option value="eigen" selected>' in html
    assert 'name="van" id="periode-van" value="01-01-2025"' in html
    assert "van 01-01-2025 tot en met 30-06-2025" in html
    assert "Op een instellingsschool op 30-06-2025" in html
    assert "Liepen in de periode: 2" in html  # the one of 2025-03 and the closed one
    html = _dashboard(procesregisseur, periode="eigen", van="30-06-2025", tot="2025-01-01")
    assert "De einddatum ligt voor de begindatum." in html


def test_the_dashboard_says_what_each_count_counts(plaatsingen, procesregisseur):
    html = _dashboard(procesregisseur)
    # Two at a school today, four open routes (also nazorg and the one that starts in June):
    # the numbers that stood side by side unexplained, now each with what it counts.
    assert "Nu op een instellingsschool: 2</dt>" in html
    assert "Open routes (nu): 4</dt>" in html
    assert "op die dag nog niet uitgeschreven" in html
    assert "in de uitstroom of nazorg" in html and "nog niet zijn begonnen" in html


def test_a_monitor_asked_for_by_someone_who_lost_the_role_is_made_for_the_coalition(
    plaatsingen, procesregisseur
):
    zuidwest = Coalitie.objects.get(slug="zuid-west")
    monitor = Monitor.objects.create(
        coalitie=zuidwest, van=D(2025, 7, 1), tot=D(2025, 12, 31), door=procesregisseur
    )
    Lidmaatschap.objects.filter(user=procesregisseur).delete()  # removed from the coalition
    monitor_maken(monitor_id=monitor.pk, vandaag=D(2026, 1, 15))
    monitor.refresh_from_db()
    assert monitor.status == MonitorStatus.KLAAR
    tekst = " ".join(_pdf_tekst(monitor.bestand.read()).split())
    assert "geen rol meer heeft in de coalitie" in tekst
    # Not empty: the two placements that ran in the second half of 2025 are counted (<5).
    swv_deel = tekst[tekst.index("Plaatsingen per samenwerkingsverband") :]
    assert f"{SWV_A} <5" in swv_deel


def test_a_monitor_of_a_deactivated_user_is_not_empty_either(plaatsingen, procesregisseur):
    zuidwest = Coalitie.objects.get(slug="zuid-west")
    monitor = Monitor.objects.create(
        coalitie=zuidwest, van=D(2025, 7, 1), tot=D(2025, 12, 31), door=procesregisseur
    )
    procesregisseur.is_active = False
    procesregisseur.save(update_fields=["is_active"])
    monitor_maken(monitor_id=monitor.pk, vandaag=D(2026, 1, 15))
    monitor.refresh_from_db()
    tekst = " ".join(_pdf_tekst(monitor.bestand.read()).split())
    assert f"{SWV_A} <5" in tekst[tekst.index("Plaatsingen per samenwerkingsverband") :]
