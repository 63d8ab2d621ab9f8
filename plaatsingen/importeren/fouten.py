"""Errors a person can work through: grouped by kind with counts, every line, and as CSV.

The errors are kept as the Dutch lines the page shows (`regel N, kolom X: melding`); they hold
line numbers and column names, never cell values, so the CSV download holds none either.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter

from plaatsingen.exports import veilige_cel

REGEL = re.compile(r"^regel (\d+), kolom (.+?): (.*)$", re.DOTALL)
ANDERE_REGEL = re.compile(r"regel \d+")


def ontleed(fout: str) -> tuple[int | None, str, str]:
    """'regel 5, kolom SWV: onbekende SWV-code' → (5, 'SWV', 'onbekende SWV-code')."""
    gevonden = REGEL.match(fout)
    if not gevonden:
        return None, "", fout
    return int(gevonden[1]), gevonden[2], gevonden[3]


def soort(fout: str) -> str:
    """The kind of an error: its column and message, without the line(s) it is about."""
    regel, kolom, melding = ontleed(fout)
    if regel is None:
        return melding
    return f"kolom {kolom}: {ANDERE_REGEL.sub('een andere regel', melding)}"


def gegroepeerd(fouten: list[str]) -> list[tuple[str, int]]:
    """Kinds with their counts, most frequent first (ties in order of first appearance)."""
    telling = Counter(soort(f) for f in fouten if not f.startswith("… en nog"))
    return telling.most_common()


def als_csv(fouten: list[str]) -> str:
    """regel;kolom;melding — as Dutch Excel opens it (UTF-8 with BOM, ';')."""
    uit = io.StringIO()
    uit.write("\ufeff")
    schrijver = csv.writer(uit, delimiter=";", lineterminator="\r\n")
    schrijver.writerow(["regel", "kolom", "melding"])
    for fout in fouten:
        regel, kolom, melding = ontleed(fout)
        schrijver.writerow([regel or "", veilige_cel(kolom), veilige_cel(melding)])
    return uit.getvalue()
