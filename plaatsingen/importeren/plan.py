"""What an import does, as the preview, the command line and the import history show it.

A `Plan` holds the counts, the errors and notices, and a capped sample of the new and changed
placements, never all rows: the rows themselves stream from the file into a scratch table
(`controleren`) and are compared and written per group of pupils (`vergelijken`,
`toepassen`), so memory does not grow with the size of the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from coalitie.models import School
from plaatsingen.models import Plaatsing

Voortgang = Callable[[str, int, int], None]
CHUNK = 5000  # ids per IN (...) query: well below SQLite's and PostgreSQL's parameter limits
MAX_VOORBEELD = 500  # rows per list in the preview; the counts are always complete
MAX_FOUTEN = 1000  # a file wrong on every line needs no 25,000 messages to be fixed

LEERLING_VELDEN = (
    "achternaam",
    "tussenvoegsel",
    "roepnaam",
    "geboortedatum",
    "geslacht",
    "postcode",
    "woonplaats",
)
# Fields the export owns. Stamschool, vervolgschool and einddatum are only filled or changed by
# the export, never cleared by an empty cell: the SWV or the school may have recorded them by hand.
PLAATSING_VELDEN = (
    "locatie_id",
    "einddatum",
    "verblijf",
    "stamschool_id",
    "verantwoordelijk_swv_id",
    "niveau",
    "leerjaar",
    "reden_uitschrijving",
    "vervolgschool_id",
)
NIET_WISSEN = {"einddatum", "stamschool_id", "vervolgschool_id"}
VELD_LABEL = {
    "startdatum": "datum inschrijving",
    "locatie_id": "locatie",
    "einddatum": "datum uitschrijving",
    "verblijf": "verblijf",
    "stamschool_id": "stamschool",
    "verantwoordelijk_swv_id": "SWV",
    "niveau": "niveau",
    "leerjaar": "leerjaar",
    "reden_uitschrijving": "reden uitschrijving",
    "vervolgschool_id": "vervolgschool",
    "vervolgplek_soort": "soort vervolgplek",
}


@dataclass(slots=True)
class Rij:
    regel: int
    leerlingnummer: str
    leerling: dict
    instellingsschool_id: int
    startdatum: dt.date
    locatie_id: int | None
    einddatum: dt.date | None
    verblijf: str
    stamschool_brin: str
    verantwoordelijk_swv_id: int
    niveau: str
    leerjaar: int | None
    reden_uitschrijving: str
    vervolgschool_brin: str

    @property
    def sleutel(self) -> tuple:
        return (self.leerlingnummer, self.instellingsschool_id, self.startdatum)


@dataclass
class Wijziging:
    plaatsing: Plaatsing
    rij: Rij
    velden: dict[str, tuple] = field(default_factory=dict)  # model field → (old, new)
    leerling_velden: dict[str, tuple] = field(default_factory=dict)


@dataclass
class Plan:
    fouten: list[str] = field(default_factory=list)
    meldingen: list[str] = field(default_factory=list)
    aantal_rijen: int = 0
    aantal_nieuw: int = 0
    aantal_gewijzigd: int = 0
    ongewijzigd: int = 0
    aantal_fouten: int = 0  # all of them; `fouten` keeps the first MAX_FOUTEN
    aantal_overgeslagen: int = 0  # rows of schools of other coalitions (a notice, not errors)
    kolomnaam: dict[str, str] = field(default_factory=dict)  # field → the file's header
    # Samples for the preview: the first MAX_VOORBEELD new and changed placements.
    nieuw: list[Rij] = field(default_factory=list)
    gewijzigd: list[Wijziging] = field(default_factory=list)
    nieuwe_scholen: dict[str, tuple[str, int]] = field(default_factory=dict)  # brin → (naam, swv)
    # Lookups by id or BRIN for display and for writing. Bounded by the reference data and the
    # number of schools in the country, not by the number of rows.
    scholen: dict[str, School] = field(default_factory=dict)  # brin → School
    brin_van: dict[int, str] = field(default_factory=dict)  # School pk → brin
    swv_codes: dict[int, str] = field(default_factory=dict)
    locatie_namen: dict[int, str] = field(default_factory=dict)
    school_namen: dict[int, str] = field(default_factory=dict)
    # The route's reference data (instellingsscholen, routekaarten), read once per run
    # (`routes_voorbereiden(referentie=…)`).
    route_referentie: dict = field(default_factory=dict)

    @property
    def afgewezen(self) -> bool:
        return bool(self.fouten)

    def fout(self, tekst: str) -> None:
        self.aantal_fouten += 1
        if len(self.fouten) < MAX_FOUTEN:
            self.fouten.append(tekst)

    def sluit_fouten_af(self, regels: list[tuple[int, str]] = ()) -> None:
        """Merge errors found later (with their line) in line order, and say what was cut."""
        if regels:
            self.aantal_fouten += len(regels)
            alle = sorted(
                [(_regel_van(f), i, f) for i, f in enumerate(self.fouten)]
                + [(r, len(self.fouten) + i, f) for i, (r, f) in enumerate(regels)]
            )
            self.fouten = [f for _, _, f in alle[:MAX_FOUTEN]]
        if self.aantal_fouten > len(self.fouten):
            self.fouten.append(
                f"… en nog {self.aantal_fouten - len(self.fouten)} fouten; hierboven staan de "
                f"eerste {len(self.fouten)}."
            )

    def noteer_nieuw(self, rij: Rij) -> None:
        self.aantal_nieuw += 1
        if len(self.nieuw) < MAX_VOORBEELD:
            self.nieuw.append(rij)

    def noteer_gewijzigd(self, wijziging: Wijziging) -> None:
        self.aantal_gewijzigd += 1
        if len(self.gewijzigd) < MAX_VOORBEELD:
            self.gewijzigd.append(wijziging)


def _regel_van(fout: str) -> int:
    """'regel 12, kolom …' → 12; messages about the whole file come first."""
    if fout.startswith("regel "):
        getal = fout[6:].split(",", 1)[0]
        if getal.isdigit():
            return int(getal)
    return 0


def in_stukken(waarden):
    waarden = list(waarden)
    for i in range(0, len(waarden), CHUNK):
        yield waarden[i : i + CHUNK]


def toon(plan: Plan, veld: str, waarde) -> str:
    """A value as the preview and the history show it."""
    if waarde is None or waarde == "":
        return "—"
    if isinstance(waarde, dt.date):
        return waarde.strftime("%d-%m-%Y")
    if veld == "locatie_id":
        return plan.locatie_namen.get(waarde, str(waarde))
    if veld == "verantwoordelijk_swv_id":
        return plan.swv_codes.get(waarde, str(waarde))
    if veld in ("stamschool_id", "vervolgschool_id"):
        school = plan.scholen.get(waarde)
        naam = school.naam if school else plan.nieuwe_scholen.get(waarde, ("",))[0]
        return f"{waarde} {naam}".strip()
    return str(waarde)
