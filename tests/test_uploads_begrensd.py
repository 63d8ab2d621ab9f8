"""Finding 7: every upload is bounded before it is read: at most UPLOAD_MAX_MB reaches the disk,
and an XLSX (a ZIP) that would unpack beyond UPLOAD_MAX_UITGEPAKT_MB is refused from its
directory alone (a zip bomb never gets decompressed)."""

from __future__ import annotations

import ast
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from coalitie.uploads import BegrensdeUploadHandler, UploadVeld, controleer_upload
from plaatsingen.models import ImportBestand

ROOT = Path(__file__).resolve().parents[1]


def zip_bom(uitgepakt_mb: int) -> bytes:
    """A valid XLSX-shaped ZIP whose one sheet is `uitgepakt_mb` MB of zeros (~1000x smaller)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (uitgepakt_mb * 1024 * 1024))
    return buf.getvalue()


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused_unread(settings):
    settings.UPLOAD_MAX_UITGEPAKT_MB = 2
    bom = zip_bom(3)
    assert len(bom) < 100 * 1024  # small on the wire: the size limit alone would let it in
    with pytest.raises(ValidationError) as fout:
        controleer_upload(SimpleUploadedFile("export.xlsx", bom), extensies=("xlsx",))
    assert "uitgepakt te groot" in fout.value.messages[0]
    controleer_upload(SimpleUploadedFile("export.xlsx", zip_bom(1)), extensies=("xlsx",))


def test_a_broken_zip_named_xlsx_is_refused_as_not_excel():
    with pytest.raises(ValidationError) as fout:
        controleer_upload(SimpleUploadedFile("e.xlsx", b"PK\x03\x04kapot"), extensies=("xlsx",))
    assert "geen geldig Excel-bestand" in fout.value.messages[0]


def test_the_upload_handler_writes_no_more_than_the_limit_and_keeps_the_true_size(settings):
    settings.UPLOAD_MAX_MB = 1
    request = RequestFactory().post("/")
    handler = BegrensdeUploadHandler(request)
    handler.new_file("bestand", "groot.csv", "text/csv", None)
    blok = b"x" * (64 * 1024)
    for i in range(80):  # 5 MB sent
        handler.receive_data_chunk(blok, i * len(blok))
    bestand = handler.file_complete(80 * len(blok))
    op_schijf = Path(bestand.temporary_file_path()).stat().st_size
    assert op_schijf <= 1024 * 1024 + len(blok)
    assert bestand.size == 80 * len(blok)
    with pytest.raises(ValidationError) as fout:
        controleer_upload(bestand, extensies=("csv",))
    assert "te groot" in fout.value.messages[0]
    bestand.close()


@pytest.mark.django_db
def test_an_oversized_upload_through_the_import_page_is_refused_and_nothing_is_kept(
    client, beheerder, settings
):
    settings.UPLOAD_MAX_MB = 1
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024  # to the bounded temporary file
    client.force_login(beheerder)
    groot = SimpleUploadedFile("export.csv", b"a;b\n" * (3 * 256 * 1024))
    r = client.post(reverse("importeren:index"), {"bestand": groot})
    assert r.status_code == 200
    assert "te groot" in r.content.decode()
    assert not ImportBestand.objects.exists()


@pytest.mark.django_db
def test_a_zip_bomb_through_the_import_page_is_refused(client, beheerder, settings):
    settings.UPLOAD_MAX_UITGEPAKT_MB = 2
    client.force_login(beheerder)
    r = client.post(
        reverse("importeren:index"),
        {"bestand": SimpleUploadedFile("export.xlsx", zip_bom(3))},
    )
    assert "uitgepakt te groot" in r.content.decode()
    assert not ImportBestand.objects.exists()


def test_every_upload_field_in_the_project_is_the_bounded_one():
    """New code cannot add an upload that skips the check: any FileField in a form is ours."""
    los = []
    for app in ("coalitie", "plaatsingen", "routetool", "rapportage", "config"):
        for bron in (ROOT / app).rglob("*.py"):
            if "migrations" in bron.parts or bron.name in ("models.py", "uploads.py"):
                continue
            for knoop in ast.walk(ast.parse(bron.read_text())):
                if isinstance(knoop, ast.Call):
                    naam = getattr(knoop.func, "attr", getattr(knoop.func, "id", ""))
                    if naam in ("FileField", "ImageField"):
                        los.append(f"{bron.relative_to(ROOT)}:{knoop.lineno}")
    assert not los, f"upload zonder UploadVeld: {los}"
    assert issubclass(UploadVeld, __import__("django").forms.FileField)
