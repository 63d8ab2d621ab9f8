"""Turn the cells of one export row into clean values, or raise `Ongeldig` with a Dutch message."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

SWV_CODE = re.compile(r"^(VO|PO)?\s*(\d{2})\s*-?\s*(\d{2})$", re.IGNORECASE)
BRIN6 = re.compile(r"^[0-9]{2}[A-Z]{2}[0-9]{2}$")
DATUM = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$")
EXCEL_NUL = dt.date(1899, 12, 30)  # day 0 of Excel's serial dates (after its 1900 leap bug)


class Ongeldig(ValueError):
    pass


def swv_code(waarde: str) -> str:
    """`2806`, `VO2806`, `28-06`, `vo 28-06`, `VO28-06` → `VO 28-06` (PO stays PO)."""
    gevonden = SWV_CODE.match(waarde.strip())
    if not gevonden:
        return waarde.strip()
    sector, regio, nummer = gevonden.groups()
    return f"{(sector or 'VO').upper()} {regio}-{nummer}"


def leesbaar_formaat(formaat: str) -> str:
    """'%d-%m-%Y' → 'dd-mm-jjjj': how a date format is said to a user."""
    for code, tekst in (("%d", "dd"), ("%m", "mm"), ("%Y", "jjjj"), ("%y", "jj")):
        formaat = formaat.replace(code, tekst)
    return formaat


def datum(waarde, formaat: str = "%d-%m-%Y") -> dt.date:
    """The profile's format (iHUB: dd-mm-jjjj), a real (Excel) date, or an Excel serial number.

    Messages never repeat the cell: it may hold personal data (FORMAT.md asks for line and
    column only)."""
    if isinstance(waarde, dt.datetime):
        return waarde.date()
    if isinstance(waarde, dt.date):
        return waarde
    return _tekstdatum(str(waarde).strip(), formaat)


@lru_cache(maxsize=8192)
def _tekstdatum(tekst: str, formaat: str) -> dt.date:
    # Cached: an export of 25,000 rows holds a few thousand distinct dates in 65,000 cells (a
    # refusal raises and is not cached).
    if formaat != "%d-%m-%Y":
        # Only the profile's own format: a guess (dd-mm or mm-dd?) would silently swap dates.
        try:
            return dt.datetime.strptime(tekst, formaat).date()
        except ValueError:
            raise Ongeldig(f"ongeldige datum (verwacht {leesbaar_formaat(formaat)})") from None
    gevonden = DATUM.match(tekst)
    try:
        if gevonden:
            dag, maand, jaar = (int(x) for x in gevonden.groups())
            return dt.date(jaar, maand, dag)
        if tekst.isdigit() and 4 <= len(tekst) <= 5:
            return EXCEL_NUL + dt.timedelta(days=int(tekst))
        if re.match(r"^\d{4}-\d{2}-\d{2}( 00:00:00)?$", tekst):
            # An Excel date that went through a text cell keeps its ISO shape.
            return dt.date.fromisoformat(tekst[:10])
    except ValueError:
        pass
    raise Ongeldig(f"ongeldige datum (verwacht {leesbaar_formaat(formaat)})")


def brin(waarde: str) -> str:
    code = waarde.replace(" ", "").upper()
    if not BRIN6.match(code):
        raise Ongeldig("ongeldige BRIN (verwacht 4 tekens + vestiging, bv. 95CF01)")
    return code


def keuze(waarde: str, toegestaan: set[str], wat: str) -> str:
    schoon = waarde.strip().lower()
    if schoon not in toegestaan:
        raise Ongeldig(f"onbekende waarde voor {wat} (mogelijk: {', '.join(sorted(toegestaan))})")
    return schoon


def geheel_getal(waarde: str) -> int:
    try:
        getal = int(str(waarde).strip())
    except ValueError:
        raise Ongeldig("geen geheel getal") from None
    if not 0 < getal < 100:
        raise Ongeldig("onmogelijk leerjaar (verwacht 1 tot 99)")
    return getal


def tekst(waarde, max_lengte: int) -> str:
    """Trimmed text. A name starting with = + - @ stays as it is: it is stored as text only."""
    schoon = str(waarde).strip() if not isinstance(waarde, dt.date) else waarde.strftime("%d-%m-%Y")
    if len(schoon) > max_lengte:
        raise Ongeldig(f"te lang ({len(schoon)} tekens, hoogstens {max_lengte})")
    return schoon
