"""One check for every uploaded file: allowed type (extension and content) and size."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError

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
