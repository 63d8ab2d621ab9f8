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
