"""The beheerder uploads a faulty iHUB export and sees every error, then a clean one: preview,
confirm, done. Celery runs eagerly, so the status page is final at once."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

IHUB = Path(__file__).resolve().parents[3] / "shared" / "ihub"
ZUID_WEST = ("Schakenbosch Onderwijs & Werk", "Rijnstroom College", "Bergse Veld School")


@pytest.fixture
def beheerder(transactional_db):
    from coalitie.models import Coalitie, Rol
    from tests.conftest import persona

    return persona(Rol.BEHEERDER, coalitie=Coalitie.objects.get(slug="zuid-west"))


@pytest.fixture
def schone_export(tmp_path):
    """The October export, only rows of Zuid-West's schools (the web import takes only the
    beheerder's own coalition)."""
    regels = (IHUB / "ihub-export-2025-10-01.csv").read_bytes().split(b"\r\n")
    eigen = [r for r in regels[1:] if any(s.encode() in r for s in ZUID_WEST)]
    pad = tmp_path / "ihub-export-2025-10-01.csv"
    pad.write_bytes(b"\r\n".join([regels[0], *eigen]) + b"\r\n")
    return pad, len(eigen)


def uploaden(page, pad: Path):
    page.get_by_label("iHUB-export (CSV of Excel)").set_input_files(str(pad))
    page.get_by_role("button", name="Controleren").click()


def test_beheerder_sees_the_errors_then_previews_and_confirms_a_clean_export(
    page, beheerder, schone_export, aanmelden, bezoek, axe_check, screenshot
):
    aanmelden(beheerder)
    bezoek("/import/", "import-leeg")
    expect(page.get_by_text("Nog geen imports")).to_be_visible()

    uploaden(page, IHUB / "ihub-export-fouten.csv")
    fouten = page.get_by_role("alert")
    expect(fouten).to_contain_text("Het bestand is afgewezen: er is niets opgeslagen.")
    expect(fouten).to_contain_text("regel 5, kolom Datum inschrijving: ongeldige datum")
    assert fouten.locator("li").count() > 1
    # Grouped by kind with counts, every line, and the CSV; SG Harreveld (Oost) skipped.
    expect(fouten.get_by_role("heading", name="Soorten fouten")).to_be_visible()
    expect(fouten.get_by_role("link", name="Alle fouten downloaden")).to_be_visible()
    expect(page.get_by_text("12 regels van SG Harreveld (Onderwijscoalitie Oost)")).to_be_visible()
    expect(page.get_by_role("button", name="Importeren bevestigen")).to_have_count(0)
    axe_check(page, "import-fouten")
    screenshot(page, "import-fouten")

    page.get_by_role("link", name="Alle imports").click()
    pad, aantal = schone_export
    uploaden(page, pad)
    expect(page.get_by_role("heading", name="Wat de import zal doen")).to_be_visible()
    expect(page.get_by_text(f"{aantal} nieuwe plaatsingen")).to_be_visible()
    axe_check(page, "import-voorbeeld")
    screenshot(page, "import-voorbeeld", volledig=False)

    page.get_by_role("button", name="Importeren bevestigen").click()
    expect(page.get_by_role("heading", name="Wat de import deed")).to_be_visible()
    expect(page.get_by_text("Geïmporteerd", exact=False).first).to_be_visible()
    axe_check(page, "import-klaar")

    bezoek("/", "home-na-import")
    expect(page.get_by_text(f"{aantal} plaatsingen")).to_be_visible()
