"""Stream the rows of an iHUB export (CSV or XLSX) without loading the whole file.

Every cell comes out as a trimmed `str`, or as a `date` when the spreadsheet holds a real date.
Row numbers are those a spreadsheet shows: the header is row 1.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings

XLSX_MAGIC = b"PK\x03\x04"
SCHEIDINGSTEKENS = (";", ",", "\t")
MAX_KOPREGEL = 64 * 1024  # characters: a header longer than this is not an export
ONLEESBAAR = (
    "Het bestand is geen leesbare CSV: de tekens zijn geen UTF-8 en geen Windows-1252 (of het "
    "is geen tekstbestand). Sla het in Excel op als 'CSV UTF-8' en probeer het opnieuw."
)


class BestandFout(Exception):
    """The file as a whole cannot be read (not a row error)."""


@dataclass
class Gelezen:
    kopjes: list[str]
    rijen: Iterator[tuple[int, list]]  # (spreadsheet row number, cells)
    totaal_geschat: int = 0
    sluiten: list = field(default_factory=list)


def is_xlsx(bron: BinaryIO) -> bool:
    positie = bron.tell()
    begin = bron.read(4)
    bron.seek(positie)
    return begin == XLSX_MAGIC


def lees(bron: BinaryIO) -> Gelezen:
    """Open `bron` (binary, seekable) as XLSX or CSV, whatever its name says."""
    bron.seek(0)
    if is_xlsx(bron):
        return _lees_xlsx(bron)
    return _lees_csv(bron)


def _schoon(waarde) -> str | dt.date:
    if waarde is None:
        return ""
    if isinstance(waarde, dt.datetime):
        return waarde.date()
    if isinstance(waarde, dt.date):
        return waarde
    if isinstance(waarde, float) and waarde.is_integer():
        # Excel stores 202075 as 202075.0; the Leerlingnummer must stay "202075".
        return str(int(waarde))
    return str(waarde).strip()


# --- CSV -------------------------------------------------------------------------------------


def _encoding(bron: BinaryIO) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as such, else Windows-1252.

    Checked chunk by chunk with an incremental decoder so memory stays flat.
    """
    bron.seek(0)
    begin = bron.read(3)
    if begin == codecs.BOM_UTF8:
        return "utf-8-sig"
    if begin[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"  # Excel's "Unicode text" export
    if _heeft_nul(bron):
        # A NUL is in no text export: random bytes, or a file of another kind renamed .csv.
        raise BestandFout(ONLEESBAAR)
    if _past(bron, "utf-8"):
        return "utf-8"
    _past(bron, "cp1252", melden=True)
    return "cp1252"


def _heeft_nul(bron: BinaryIO) -> bool:
    bron.seek(0)
    while blok := bron.read(1 << 16):
        if b"\x00" in blok:
            return True
    return False


def _past(bron: BinaryIO, encoding: str, *, melden: bool = False) -> bool:
    """Whether the whole file decodes as `encoding`. With `melden`, a byte that does not
    raises BestandFout naming its line only: the UnicodeDecodeError itself carries the
    surrounding bytes (rows of pupils) and must never reach a log or the task result."""
    bron.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    regels_voor = 0
    try:
        while blok := bron.read(1 << 16):
            try:
                decoder.decode(blok)
            except UnicodeDecodeError as exc:
                if not melden:
                    return False
                regel = regels_voor + blok.count(b"\n", 0, exc.start) + 1
                break
            regels_voor += blok.count(b"\n")
        else:
            decoder.decode(b"", final=True)
            return True
    except UnicodeDecodeError:
        if not melden:
            return False
        regel = regels_voor + 1
    raise BestandFout(
        f"Regel {regel}: het bestand is geen leesbare CSV: het bevat een teken dat in UTF-8 noch "
        "in Windows-1252 bestaat. "
        "Sla het in Excel opnieuw op als 'CSV UTF-8 (door komma's gescheiden)' en upload het "
        "opnieuw."
    )


def _tel_regels(bron: BinaryIO) -> int:
    bron.seek(0)
    totaal = 0
    while blok := bron.read(1 << 16):
        totaal += blok.count(b"\n")
    return totaal


def _lees_csv(bron: BinaryIO) -> Gelezen:
    encoding = _encoding(bron)
    totaal = _tel_regels(bron)
    bron.seek(0)
    tekst = io.TextIOWrapper(bron, encoding=encoding, newline="")
    eerste = tekst.readline(MAX_KOPREGEL)
    if len(eerste) >= MAX_KOPREGEL:
        tekst.detach()
        raise BestandFout("De eerste regel (de kopjes) is onredelijk lang; dit lijkt geen export.")
    if not eerste.strip():
        tekst.detach()
        raise BestandFout("Het bestand is leeg of de eerste regel (de kopjes) ontbreekt.")
    # The header decides the delimiter: Dutch Excel writes ';', others ',' or a tab.
    scheiding = max(SCHEIDINGSTEKENS, key=eerste.count)
    kopjes = [k.strip() for k in next(csv.reader([eerste], delimiter=scheiding))]
    reader = csv.reader(tekst, delimiter=scheiding)

    def rijen():
        nummer = 1
        try:
            for nummer, cellen in enumerate(reader, start=2):  # noqa: B007 (read in except)
                yield nummer, list(map(str.strip, cellen))  # csv gives str cells only
        except csv.Error:
            # csv's message may quote the line: only say where, never what (personal data).
            raise BestandFout(
                f"Het CSV-bestand is niet te lezen vanaf regel {reader.line_num}: de opmaak "
                "klopt niet (bijvoorbeeld een aanhalingsteken dat niet gesloten wordt)."
            ) from None
        except UnicodeDecodeError:
            raise BestandFout(ONLEESBAAR) from None
        finally:
            tekst.detach()

    return Gelezen(kopjes=kopjes, rijen=rijen(), totaal_geschat=max(totaal - 1, 0))


# --- XLSX ------------------------------------------------------------------------------------


def controleer_zip(bron: BinaryIO) -> None:
    """Refuse an XLSX whose contents would unpack beyond bounds, from the zip's directory only.

    openpyxl unpacks the shared strings into memory and streams the sheet: a 1.5 MB zip bomb
    (gigabytes of repeated XML) would take the worker down. The directory states every member's
    uncompressed size; zipfile also refuses to read more than that size while unpacking, so a
    directory that lies about it cannot get round this check."""
    grens = settings.IMPORT_XLSX_MAX_UITGEPAKT_MB * 1024 * 1024
    bron.seek(0)
    try:
        with zipfile.ZipFile(bron) as z:
            leden = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BestandFout("Het Excel-bestand is niet te lezen (geen geldig .xlsx).") from None
    totaal = sum(lid.file_size for lid in leden)
    if len(leden) > 10_000 or totaal > grens:
        raise BestandFout(
            f"Het Excel-bestand is uitgepakt groter dan {settings.IMPORT_XLSX_MAX_UITGEPAKT_MB} MB "
            "(of bestaat uit te veel delen); het is afgewezen zonder het te lezen. Sla het op als "
            "CSV of splits het."
        )
    bron.seek(0)


def _lees_xlsx(bron: BinaryIO) -> Gelezen:
    import openpyxl

    controleer_zip(bron)
    try:
        boek = openpyxl.load_workbook(bron, read_only=True, data_only=True)
        blad = boek.worksheets[0]
    except Exception:  # openpyxl raises many kinds for a broken file; its text may quote cells
        raise BestandFout("Het Excel-bestand is niet te lezen.") from None
    maximum = settings.IMPORT_MAX_RIJEN
    if (blad.max_row or 0) - 1 > maximum:
        boek.close()
        raise BestandFout(
            f"Het Excel-bestand heeft volgens zijn eigen opgave {blad.max_row - 1} regels, meer "
            f"dan de grens van {maximum} (IMPORT_MAX_RIJEN); het is afgewezen."
        )
    regels = blad.iter_rows(values_only=True)
    try:
        kopjes = [str(_schoon(k)) for k in next(regels)]
    except StopIteration:
        boek.close()
        raise BestandFout("Het bestand is leeg of de eerste regel (de kopjes) ontbreekt.") from None

    def rijen():
        try:
            for nummer, cellen in enumerate(regels, start=2):
                yield nummer, [_schoon(c) for c in cellen]
        except (zipfile.BadZipFile, OSError, ValueError, KeyError):
            raise BestandFout("Het Excel-bestand is niet (helemaal) te lezen.") from None
        finally:
            boek.close()

    return Gelezen(kopjes=kopjes, rijen=rijen(), totaal_geschat=max((blad.max_row or 1) - 1, 0))
