"""One check for every uploaded file: allowed type (extension and content), size, and for ZIP
containers (XLSX) the unpacked size, all bounded before anything reads the content.

- `BegrensdeUploadHandler` (settings.FILE_UPLOAD_HANDLERS) writes at most UPLOAD_MAX_MB of any
  upload to disk, whatever its size; the rest is counted and dropped, so the check below can
  say "te groot" instead of the server filling its disk first.
- `UploadVeld` is the form field every upload uses; it calls `controleer_upload`.
"""

from __future__ import annotations

import zipfile
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import TemporaryFileUploadHandler

# An XLSX of a large export unpacks to some tens of MB; a zip bomb to gigabytes. Declared sizes
# bound what zipfile will ever decompress (it stops at an entry's declared size).
MAX_ZIP_DELEN = 10_000

# What the first bytes of each allowed type look like; a renamed .exe is refused.
XLSX_MAGIC = b"PK\x03\x04"  # XLSX is a ZIP
VERBODEN_TEKST_MAGIC = (b"MZ", b"\x7fELF", b"%PDF", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def controleer_upload(bestand, *, extensies: tuple[str, ...] | list[str]) -> None:
    """Raise ValidationError (Dutch message) unless `bestand` has an allowed extension, fits
    settings.UPLOAD_MAX_MB and its content matches its extension (csv: text, xlsx: a ZIP).
    """
    toegestaan = {e.lower().lstrip(".") for e in extensies}
    naam = getattr(bestand, "name", "") or ""
    extensie = PurePath(naam).suffix.lower().lstrip(".")
    lijst = ", ".join(f".{e}" for e in sorted(toegestaan))
    if extensie not in toegestaan:
        raise ValidationError(
            f"Dit bestandstype wordt niet geaccepteerd. Kies een bestand van het type {lijst}.",
            code="bestandstype",
        )
    max_mb = settings.UPLOAD_MAX_MB
    grootte = getattr(bestand, "size", None)
    if grootte is None or grootte > max_mb * 1024 * 1024:
        raise ValidationError(
            f"Het bestand is te groot: de grens is {max_mb} MB.",
            code="te_groot",
        )
    if grootte == 0:
        raise ValidationError("Het bestand is leeg.", code="leeg")
    begin = _eerste_bytes(bestand)
    if extensie == "xlsx" and not begin.startswith(XLSX_MAGIC):
        raise ValidationError(
            "Dit is geen geldig Excel-bestand (.xlsx). Sla het opnieuw op als .xlsx.",
            code="bestandstype",
        )
    if extensie == "xlsx":
        _controleer_zip(bestand)
    utf16 = begin.startswith((b"\xff\xfe", b"\xfe\xff"))  # Excel's "Unicode text" has NULs
    if extensie in ("csv", "txt") and (
        begin.startswith(VERBODEN_TEKST_MAGIC) or (b"\x00" in begin and not utf16)
    ):
        raise ValidationError(
            "Dit is geen tekstbestand (.csv). Exporteer het opnieuw als CSV.",
            code="bestandstype",
        )


def _eerste_bytes(bestand, aantal: int = 512) -> bytes:
    positie = bestand.tell() if hasattr(bestand, "tell") else 0
    bestand.seek(0)
    begin = bestand.read(aantal)
    bestand.seek(positie)
    return begin if isinstance(begin, bytes) else begin.encode()


def _controleer_zip(bestand) -> None:
    """Refuse a ZIP whose entries would unpack beyond UPLOAD_MAX_UITGEPAKT_MB (a zip bomb),
    judged from the directory alone: nothing is decompressed here."""
    max_mb = settings.UPLOAD_MAX_UITGEPAKT_MB
    positie = bestand.tell()
    try:
        bestand.seek(0)
        with zipfile.ZipFile(bestand) as archief:
            delen = archief.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        raise ValidationError(
            "Dit is geen geldig Excel-bestand (.xlsx). Sla het opnieuw op als .xlsx.",
            code="bestandstype",
        ) from None
    finally:
        bestand.seek(positie)
    uitgepakt = sum(d.file_size for d in delen)
    if len(delen) > MAX_ZIP_DELEN or uitgepakt > max_mb * 1024 * 1024:
        raise ValidationError(
            f"Het bestand is uitgepakt te groot (meer dan {max_mb} MB). Is het een gewone "
            "export? Sla het opnieuw op als .xlsx of exporteer als CSV.",
            code="te_groot_uitgepakt",
        )


class UploadVeld(forms.FileField):
    """The form field for every upload: `controleer_upload` runs in its validation."""

    def __init__(self, *, extensies: tuple[str, ...], **kwargs):
        self.extensies = extensies
        kwargs.setdefault(
            "widget",
            forms.ClearableFileInput(attrs={"accept": ",".join(f".{e}" for e in extensies)}),
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        bestand = super().clean(data, initial)
        if bestand:
            controleer_upload(bestand, extensies=self.extensies)
        return bestand


class BegrensdeUploadHandler(TemporaryFileUploadHandler):
    """Writes no more than UPLOAD_MAX_MB (+ one chunk) of an upload to its temporary file.

    Django counts the real size and passes it to `file_complete`, so the file keeps its true
    `size` and `controleer_upload` refuses it with a Dutch message; the disk never holds more.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self._geschreven = 0

    def receive_data_chunk(self, raw_data, start):
        if self._geschreven <= settings.UPLOAD_MAX_MB * 1024 * 1024:
            self.file.write(raw_data)
            self._geschreven += len(raw_data)
        return None
