"""Unique marker values for privacy tests: a pupil whose every field is searchable in logs."""

from __future__ import annotations

from plaatsingen.resources import IhubPlaatsingResource

KOPJES = list(IhubPlaatsingResource.kolommen())

# Strings that occur nowhere else: any hit in a log, mail or page is a leak.
ACHTERNAMEN = [f"Qzmarkachter{i:02d}" for i in range(21)]
ROEPNAAM = "Qzmarkroep"
POSTCODE = "9999 QZ"
LEERLINGNUMMERS = [f"98765{i:02d}" for i in range(21)]
GEBOORTEDATUM = "17-07-2010"  # one that no factory or sample file uses
MARKERS = [*ACHTERNAMEN, ROEPNAAM, POSTCODE, "9999QZ", *LEERLINGNUMMERS, GEBOORTEDATUM]


def marker_rij(i: int, *, start: str = "01-10-2025", swv: str = "VO 28-06") -> list[str]:
    return [
        LEERLINGNUMMERS[i], ACHTERNAMEN[i], "", ROEPNAAM, GEBOORTEDATUM, "M", POSTCODE,
        "Den Haag", "Schakenbosch Onderwijs & Werk", "Schakenbosch", start, "", "gesloten",
        "95CF01", "School 95CF01", swv, "havo", "3", "", "", "",
    ]  # fmt: skip


def marker_csv(aantal: int = 21, *, extra: bytes = b"") -> bytes:
    regels = [";".join(KOPJES)] + [";".join(marker_rij(i)) for i in range(aantal)]
    return ("\r\n".join(regels) + "\r\n").encode("cp1252") + extra


def treffers(tekst: str) -> list[str]:
    return [m for m in MARKERS if m.lower() in tekst.lower()]
