"""Small numbers in reports that leave the coalition team (the coalitiemonitor).

The rule:

1. A count from 1 to 4 is shown as `<5`. 0 stays 0.
2. A total says exactly what its own published cells say, no more: the exact total when none
   of its cells is `<5` (anyone can add those up), otherwise the range the cells imply (every
   hidden cell is 1-4): `<5` for one hidden cell and nothing else, `12–15` for visible cells
   adding up to 11 and one hidden cell. It used to print `x` there (defect 11 of issue 19),
   which readers took for a typo, and it hid also the exact totals of tables without a hidden
   cell when a related table had one, which protected nothing: their cells add up to it.
3. A percentage over fewer than 5 cases is not shown; neither are median and spread.

So from the published numbers a hidden count is only known to lie between 1 and 4.
"""

from __future__ import annotations

from dataclasses import dataclass

KLEIN = "<5"
VERBORGEN = "x"  # no longer printed for totals (see 2.); kept for old stored monitors' tests

# The rule as the monitor prints it (UI text in Dutch).
REGEL = (
    "Aantallen van 1 tot en met 4 staan er als <5. Een totaal staat er exact als geen van de "
    "cellen die het optelt <5 is; anders staat er wat de cellen erover zeggen: <5, of een "
    "bereik zoals 12–15 (de zichtbare cellen plus 1 tot en met 4 per verborgen cel). Een "
    "percentage, mediaan of spreiding over minder dan 5 "
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


def grenzen(waarden: list[int]) -> tuple[int, int]:
    """The lowest and highest total a reader can infer from the published cells."""
    verborgen = sum(1 for n in waarden if is_klein(n))
    zichtbaar = sum(n for n in waarden if not is_klein(n))
    return zichtbaar + verborgen, zichtbaar + 4 * verborgen


def bereik_tekst(laag: int, hoog: int) -> str:
    if laag == hoog:
        return str(laag)
    if laag >= 1 and hoog <= 4:
        return KLEIN
    return f"{laag}–{hoog}"


def totaal(waarden: list[int]) -> Cel:
    """The total of a group as far as its published cells tell it (rule 2)."""
    return Cel(sum(waarden), bereik_tekst(*grenzen(waarden)))


def groep(waarden: list[int], *, totaal_verbergen: bool | None = None) -> tuple[list[Cel], Cel]:
    """The cells of one group and its total. `totaal_verbergen` (a family of tables with a
    hidden cell somewhere) no longer changes anything: a total the own cells add up to is no
    secret, and one with a hidden cell is a range that follows from the cells (rule 2)."""
    return [getal(n) for n in waarden], totaal(waarden)
