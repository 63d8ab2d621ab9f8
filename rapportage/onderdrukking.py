"""Small numbers in reports that leave the coalition team (the coalitiemonitor).

The rule:

1. A count from 1 to 4 is shown as `<5`. 0 stays 0.
2. A total is shown only when none of the cells it adds up is `<5` — and not only in its own
   table: tables that count the same placements (per SWV, per school and per kind of stay; the
   outflow per month, the destinations, the reasons and the number of ended stays) share one
   total, so if any of them hides a cell, all of them hide the total (`x`). Otherwise the
   hidden value would be the total minus the visible cells of the same table.
3. A percentage over fewer than 5 cases is not shown; neither are median and spread.

So from the published numbers a hidden count is only known to lie between 1 and 4.
"""

from __future__ import annotations

from dataclasses import dataclass

KLEIN = "<5"
VERBORGEN = "x"

# The rule as the monitor prints it (UI text in Dutch).
REGEL = (
    "Aantallen van 1 tot en met 4 staan er als <5. Een totaal staat er alleen als geen van "
    "de cellen die het optelt <5 is; tabellen die dezelfde plaatsingen tellen (per SWV, per "
    "school en per soort verblijf; de uitstroom per maand, de vervolgplekken, de redenen en "
    "het aantal beëindigde verblijven) delen één totaal, dus verbergt één van hen een cel, "
    "dan staat hun totaal als x. Een percentage, mediaan of spreiding over minder dan 5 "
    "gevallen wordt niet getoond. Zo is van een verborgen aantal alleen te weten dat het "
    "tussen 1 en 4 ligt."
)


@dataclass(frozen=True)
class Cel:
    waarde: int
    tekst: str

    @property
    def verborgen(self) -> bool:
        return self.tekst != str(self.waarde)

    def __str__(self) -> str:
        return self.tekst


def is_klein(n: int) -> bool:
    return 1 <= n <= 4


def getal(n: int) -> Cel:
    """A single count."""
    return Cel(n, KLEIN if is_klein(n) else str(n))


def heeft_kleine(*groepen: list[int]) -> bool:
    return any(is_klein(n) for waarden in groepen for n in waarden)


def groep(waarden: list[int], *, totaal_verbergen: bool | None = None) -> tuple[list[Cel], Cel]:
    """The cells of one group and its total. `totaal_verbergen` is decided for a family of
    tables by the caller (`heeft_kleine`); by default by this group alone."""
    if totaal_verbergen is None:
        totaal_verbergen = heeft_kleine(waarden)
    totaal = sum(waarden)
    totaal_cel = Cel(totaal, VERBORGEN) if totaal_verbergen else getal(totaal)
    return [getal(n) for n in waarden], totaal_cel
