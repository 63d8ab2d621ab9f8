"""The SWV contact downloads its monthly list; the penvoerder downloads all of the month (ZIP)."""

import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coalitie.toegang import SYSTEEM
from tests.conftest import SWV_A, SWV_B, persona

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lijsten(transactional_db, settings, tmp_path):
    """Last month's lists of SWV A (one pupil) and SWV B, made by the service the job uses."""
    from rapportage.selectors import vorige_maand
    from rapportage.services import maandlijst_maken
    from tests.factories import PlaatsingFactory, swv

    settings.MEDIA_ROOT = tmp_path  # generated files stay out of the developer's var/
    PlaatsingFactory(verantwoordelijk_swv=swv(SWV_A))
    maand = vorige_maand(timezone.localdate())
    return [
        maandlijst_maken(swv=swv(code), maand=maand, door=SYSTEEM)[0] for code in (SWV_A, SWV_B)
    ]


def test_swv_contact_downloads_its_monthly_list(page, lijsten, aanmelden, bezoek, screenshot):
    from coalitie.models import Rol
    from tests.factories import swv

    aanmelden(persona(Rol.SWV_CONTACTPERSOON, swv=swv(SWV_A)))
    bezoek("/", "home-swv-maandlijst")
    page.get_by_role("link", name="Maandlijsten").click()
    expect(page.get_by_role("heading", name="Lijsten van uw samenwerkingsverband")).to_be_visible()
    bezoek("/maandlijsten/", "maandlijsten-swv")
    screenshot(page, "maandlijsten")

    with page.expect_download() as download:
        page.get_by_role("link", name=f"PDF {SWV_A}").click()
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    page.get_by_role("row").filter(has_text=SWV_A).get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SWV_A)
    expect(page.get_by_role("cell", name="gedownload", exact=False).first).to_be_visible()
    bezoek(page.url.removeprefix(page.url.split("/maandlijsten/")[0]), "maandlijst-detail")


def test_penvoerder_downloads_all_lists_of_the_month(page, lijsten, aanmelden, bezoek, screenshot):
    from coalitie.models import Coalitie, Rol

    aanmelden(persona(Rol.PENVOERDER, coalitie=Coalitie.objects.get(slug="zuid-west")))
    bezoek("/maandlijsten/", "maandlijsten-penvoerder")
    screenshot(page, "maandlijsten-penvoerder")
    with page.expect_download() as download:
        page.get_by_role("link", name="Alle lijsten van deze maand downloaden (ZIP)").click()
    assert download.value.suggested_filename.endswith(".zip")
    namen = zipfile.ZipFile(download.value.path()).namelist()
    assert any(SWV_A in n and n.endswith(".pdf") for n in namen)
    assert any(SWV_B in n and n.endswith(".xlsx") for n in namen)
