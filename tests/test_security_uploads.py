"""coalitie.uploads.controleer_upload: type (extension and content) and size, in Dutch."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coalitie.uploads import controleer_upload

CSV = b"Leerlingnummer;Achternaam\n300001;Jansen\n"


def _xlsx() -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Leerlingnummer"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("naam", "inhoud"),
    [("export.csv", CSV), ("EXPORT.XLSX", _xlsx()), ("utf16.csv", b"\xff\xfeL\x00")],
)
def test_a_csv_or_xlsx_within_the_limit_passes(naam, inhoud):
    controleer_upload(SimpleUploadedFile(naam, inhoud), extensies=("csv", "xlsx"))


def test_another_extension_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as fout:
        controleer_upload(SimpleUploadedFile("export.exe", CSV), extensies=("csv", "xlsx"))
    assert fout.value.messages == [
        "Dit bestandstype wordt niet geaccepteerd. Kies een bestand van het type .csv, .xlsx."
    ]


def test_a_file_above_the_configured_limit_is_refused(settings):
    settings.UPLOAD_MAX_MB = 1
    groot = SimpleUploadedFile("export.csv", b"a;b\n" * (256 * 1024 + 1))
    with pytest.raises(ValidationError) as fout:
        controleer_upload(groot, extensies=("csv",))
    assert "te groot" in fout.value.messages[0] and "1 MB" in fout.value.messages[0]
    precies = SimpleUploadedFile("export.csv", b"a;b\n" * (256 * 1024))
    controleer_upload(precies, extensies=("csv",))


def test_the_default_limit_is_20_mb():
    from django.conf import settings

    assert settings.UPLOAD_MAX_MB == 20


@pytest.mark.parametrize(
    ("naam", "inhoud"),
    [
        ("export.xlsx", CSV),  # a CSV renamed to .xlsx
        ("export.csv", b"MZ\x90\x00binary"),  # a program renamed to .csv
        ("export.csv", _xlsx()),  # an Excel file renamed to .csv
        ("export.csv", b""),  # empty
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(naam, inhoud):
    with pytest.raises(ValidationError):
        controleer_upload(SimpleUploadedFile(naam, inhoud), extensies=("csv", "xlsx"))


def test_the_check_leaves_the_file_position_alone():
    bestand = SimpleUploadedFile("export.csv", CSV)
    controleer_upload(bestand, extensies=("csv",))
    assert bestand.read() == CSV
