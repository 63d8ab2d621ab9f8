"""The web import for beheerders: upload → preview → confirm, limits, and who may not."""

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plaatsingen.models import ImportBestand, ImportStatus, Plaatsing

# Inline scripts are forbidden (CSP); <script src> of our own static files is fine.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)")

pytestmark = pytest.mark.django_db

IHUB = Path(__file__).resolve().parents[2] / "shared" / "ihub"
ZUID_WEST = ("Schakenbosch Onderwijs & Werk", "Rijnstroom College", "Bergse Veld School")


@pytest.fixture(autouse=True)
def _vandaag():
    with time_machine.travel(dt.datetime(2025, 11, 5, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def export_zuid_west():
    """The October export, only the rows of Zuid-West's schools (the beheerder's coalition)."""
    regels = (IHUB / "ihub-export-2025-10-01.csv").read_bytes().split(b"\r\n")
    eigen = [r for r in regels[1:] if any(s.encode() in r for s in ZUID_WEST)]
    return b"\r\n".join([regels[0], *eigen]) + b"\r\n", len(eigen)


def upload(client, inhoud: bytes, naam="export.csv"):
    return client.post(reverse("importeren:index"), {"bestand": SimpleUploadedFile(naam, inhoud)})


def test_beheerder_uploads_previews_and_confirms(
    client, beheerder, export_zuid_west, django_capture_on_commit_callbacks
):
    inhoud, aantal = export_zuid_west
    client.force_login(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        r = upload(client, inhoud)
    ib = ImportBestand.objects.get()
    assert r.status_code == 302 and r.url == reverse("importeren:status", args=[ib.pk])
    assert ib.status == ImportStatus.VOORBEELD  # the (eager) task checked it
    assert not Plaatsing.objects.exists()  # a preview writes nothing

    pagina = client.get(r.url).content.decode()
    assert f"<strong>{aantal}</strong> nieuwe plaatsingen" in pagina
    scholen = ib.aantal_nieuwe_scholen
    assert scholen > 1 and f"{scholen} nieuwe scholen (stam- of vervolgscholen" in pagina
    assert "Importeren bevestigen" in pagina

    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(reverse("importeren:bevestigen", args=[ib.pk]))
    ib.refresh_from_db()
    assert ib.status == ImportStatus.GEIMPORTEERD
    assert ib.door == beheerder
    assert Plaatsing.objects.count() == aantal
    assert "Wat de import deed" in client.get(r.url).content.decode()
    # Confirming twice does not import twice.
    client.post(reverse("importeren:bevestigen", args=[ib.pk]))
    assert Plaatsing.objects.count() == aantal


def test_preview_of_a_faulty_file_lists_every_error_and_offers_no_confirm(
    client, beheerder, django_capture_on_commit_callbacks
):
    client.force_login(beheerder)
    with django_capture_on_commit_callbacks(execute=True):
        r = upload(client, (IHUB / "ihub-export-fouten.csv").read_bytes())
    pagina = client.get(r.url).content.decode()
    assert "afgewezen" in pagina
    assert "regel 5, kolom Datum inschrijving: ongeldige datum" in pagina
    # Line 9 (unknown SWV) is a row of SG Harreveld (Oost): skipped for Zuid-West, no error.
    assert "regel 9," not in pagina
    assert "12 regels van SG Harreveld (Onderwijscoalitie Oost) overgeslagen" in pagina
    assert "Importeren bevestigen" not in pagina
    ib = ImportBestand.objects.get()
    assert client.post(reverse("importeren:bevestigen", args=[ib.pk])).status_code == 302
    ib.refresh_from_db()
    assert ib.status == ImportStatus.AFGEWEZEN
    assert not Plaatsing.objects.exists()


def test_status_page_refreshes_while_the_worker_is_busy(client, beheerder):
    client.force_login(beheerder)
    r = upload(client, b"Leerlingnummer\r\n1\r\n")  # on_commit never runs here: still queued
    pagina = client.get(r.url).content.decode()
    assert 'http-equiv="refresh"' in pagina
    assert not INLINE_SCRIPT.search(pagina)


@pytest.mark.parametrize(
    ("naam", "inhoud", "melding"),
    [
        ("export.pdf", b"%PDF-1.4", "Dit bestandstype wordt niet geaccepteerd"),
        ("export.xlsx", b"Leerlingnummer;Achternaam", "geen geldig Excel-bestand"),
        ("export.csv", b"\x00\x01\x02", "geen tekstbestand"),
    ],
)
def test_wrong_file_type_is_refused_with_a_clear_message(client, beheerder, naam, inhoud, melding):
    client.force_login(beheerder)
    r = upload(client, inhoud, naam)
    assert r.status_code == 200
    assert melding in r.content.decode()
    assert not ImportBestand.objects.exists()


def test_too_large_file_is_refused(client, beheerder, settings):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(beheerder)
    r = upload(client, b"a;b\r\n" * 300_000)
    assert "Het bestand is te groot: de grens is 1 MB." in r.content.decode()
    assert not ImportBestand.objects.exists()


def test_nav_shows_import_only_to_beheerders(client, beheerder, procesregisseur):
    client.force_login(beheerder)
    assert reverse("importeren:index") in client.get(reverse("home")).content.decode()
    client.force_login(procesregisseur)
    assert reverse("importeren:index") not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize(
    "persona",
    ["contact_swv_a", "medewerker_schakenbosch", "procesregisseur", "penvoerder", "zonder_rol"],
)
def test_other_roles_get_404_everywhere(client, request, beheerder, persona):
    ib = ImportBestand.objects.create(
        oorspronkelijke_naam="x.csv", sha256="0" * 64, door=beheerder, status=ImportStatus.VOORBEELD
    )
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("importeren:index")).status_code == 404
    assert upload(client, b"x").status_code == 404
    assert client.get(reverse("importeren:status", args=[ib.pk])).status_code == 404
    assert client.post(reverse("importeren:bevestigen", args=[ib.pk])).status_code == 404
    ib.refresh_from_db()
    assert ib.status == ImportStatus.VOORBEELD


def test_beheerder_of_another_coalition_does_not_see_the_import(
    client, beheerder, beheerder_andere_coalitie
):
    ib = ImportBestand.objects.create(
        oorspronkelijke_naam="x.csv", sha256="0" * 64, door=beheerder, status=ImportStatus.VOORBEELD
    )
    client.force_login(beheerder_andere_coalitie)
    assert client.get(reverse("importeren:status", args=[ib.pk])).status_code == 404
    assert client.post(reverse("importeren:bevestigen", args=[ib.pk])).status_code == 404


def test_anonymous_is_sent_to_login_and_get_on_confirm_is_refused(client, beheerder):
    r = client.get(reverse("importeren:index"))
    assert r.status_code == 302 and "/accounts/login/" in r.url
    client.force_login(beheerder)
    assert client.get(reverse("importeren:bevestigen", args=[1])).status_code == 405


def test_admin_lists_imports_and_placements_for_platform_staff_only(client, beheerder, plaatsing_a):
    from coalitie.models import User

    from .conftest import met_totp

    staf = met_totp(User.objects.create_superuser("root@example.org", "geheim-wachtwoord-1"))
    client.force_login(staf)
    assert client.get(reverse("admin:plaatsingen_importbestand_changelist")).status_code == 200
    r = client.get(reverse("admin:plaatsingen_plaatsing_changelist"))
    assert r.status_code == 200
    client.force_login(beheerder)  # a coalition's beheerder works in the app, not here
    assert client.get(reverse("admin:plaatsingen_plaatsing_changelist")).status_code == 302
