"""On a fresh demo the beheerder can upload the shipped monthly export and see every kind of
count in the preview (it used to conflict with the demo's own data)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from coalitie.models import User
from plaatsingen.models import ImportBestand, ImportStatus
from tests.conftest import met_totp

pytestmark = pytest.mark.django_db


def _sequenties_verder(*paren) -> None:
    """Let the next primary key of each (model, n) be n + 1 (PostgreSQL: this file runs there)."""
    from django.db import connection

    for model, n in zip(paren[::2], paren[1::2], strict=True):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [model._meta.db_table, n]
            )


def test_demo_beheerder_previews_the_demo_months_export(
    client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.VAR_DIR = tmp_path
    uit = io.StringIO()
    call_command("seed_demo", stdout=uit)
    export = next((tmp_path / "demo").glob("ihub-export-*.csv"))
    assert f"Voorbeeldexport om te importeren (als beheerder): {export}" in uit.getvalue()

    client.force_login(met_totp(User.objects.get(email="beheer@demo.routetool.nl")))
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("importeren:index"),
            {"bestand": SimpleUploadedFile(export.name, export.read_bytes())},
        )
    assert r.status_code == 302, r.content.decode()[-3000:]
    ib = ImportBestand.objects.order_by("pk").last()
    assert ib.status == ImportStatus.VOORBEELD, ib.fouten[:5]
    # 6 new placements, 5 uitschrijvingen and 2 corrected start dates; the rest as it was.
    assert (ib.aantal_nieuw, ib.aantal_gewijzigd) == (6, 7)
    assert ib.aantal_ongewijzigd > 200
    pagina = client.get(r.url).content.decode()
    assert "<strong>6</strong> nieuwe plaatsingen" in pagina
    assert "<strong>7</strong> gewijzigde plaatsingen" in pagina
    assert "datum inschrijving:" in pagina
    assert "regels van SG Harreveld (Onderwijscoalitie Oost) overgeslagen" in pagina
    assert "Importeren bevestigen" in pagina

    # Seeding again leaves the file (and the demo) as it was.
    inhoud = export.read_bytes()
    call_command("seed_demo", stdout=io.StringIO())
    assert export.read_bytes() == inhoud


def test_demo_walks_older_placements_through_nazorg_to_closed(settings, tmp_path):
    """The demo's older ended placements run the whole route, the vervolgschool's acceptance
    and enrolment included, so the coalitiemonitor's nazorg and wachttijd sections and the
    closed timelines have something to show (they were empty: every such placement stopped
    at the vervolgschool's actions and stayed in uitstroom)."""
    from plaatsingen.models import Plaatsing
    from routetool.models import Actie, ActieStatus, Transitie
    from routetool.route import NAZORG_3M, NAZORG_6W
    from routetool.states import Fase

    settings.VAR_DIR = tmp_path
    # As after other tests: the sequences do not start at 1. The demo's choices go by a row's
    # number in the demo, so it comes out as on a fresh `make run`. By raw primary key these
    # offsets (3 modulo 1260 for placements) kept 48 actions over 180 days late instead of 25,
    # as CI's run once did.
    _sequenties_verder(Plaatsing, 2523, Actie, 6011)
    uit = io.StringIO()
    call_command("seed_demo", stdout=uit)
    # Every older placement the demo walks forward gets there: none is skipped because an
    # action wants data the demo does not give (the stamschool's own answer did, for 87).
    regels = [r for r in uit.getvalue().splitlines() if r.startswith("Demo-voortgang")]
    assert len(regels) == 2
    for regel in regels:
        assert " 0 overgeslagen;" in regel and "'overgeslagen'" not in regel, regel
    assert Plaatsing.objects.filter(fase=Fase.VERBLIJF).count() > 50
    via_nazorg = Transitie.objects.filter(van=Fase.NAZORG, naar=Fase.AFGESLOTEN)
    assert via_nazorg.count() > 50
    antwoorden = set(
        Actie.objects.filter(code__in=[NAZORG_6W, NAZORG_3M], status=ActieStatus.GEDAAN)
        .values_list("nazorg_antwoord", flat=True)
        .distinct()
    )
    assert antwoorden == {"ja", "deels", "nee"}
    zuidwest = Transitie.objects.filter(
        plaatsing__instellingsschool__coalitie__slug="zuid-west", naar=Fase.NAZORG
    )
    assert zuidwest.exists()
    # The timeline's dates tell one story: a route starts (is recorded) on the placement's
    # start, before any later step, and an aborted route is "afgebroken sinds" that step's day.
    from django.utils import timezone

    for p in Plaatsing.objects.filter(fase=Fase.AFGESLOTEN).prefetch_related("transities"):
        stappen = sorted(p.transities.all(), key=lambda t: t.pk)
        assert stappen[0].van == ""
        assert [t.op for t in stappen] == sorted(t.op for t in stappen), p.pk
        assert timezone.localdate(stappen[0].op) == p.startdatum, p.pk
        assert p.fase_sinds == timezone.localdate(stappen[-1].op), p.pk
    # A coalition a few months into the routetool, not a year of neglect: the work lists hold
    # a few long-running thuiszitters, not every "onbekend" of the past year (130 actions of
    # their current phase were over 180 days late, 25 now).
    import datetime as dt

    from django.db.models import F

    lang_te_laat = Actie.objects.filter(
        status=ActieStatus.OPEN,
        fase=F("plaatsing__fase"),
        deadline__lt=timezone.localdate() - dt.timedelta(days=180),
    )
    assert lang_te_laat.count() < 40
    assert (
        Plaatsing.objects.filter(
            fase=Fase.INSTROOM, startdatum__lt=timezone.localdate() - dt.timedelta(days=150)
        ).count()
        == 0
    )
