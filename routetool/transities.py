"""Every route transition, its guards and who may fire it: this table and nowhere else."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from coalitie.models import Rol
from coalitie.selectors import scope_van

from .models import Wie
from .states import OPEN_FASEN, Fase

SWV, SCHOOL, REGIE = Wie.SWV, Wie.INSTELLINGSSCHOOL, Wie.PROCESREGISSEUR


def rollen_voor(user, plaatsing) -> frozenset[str]:
    """The route roles (`Wie`) the user holds for this placement.

    The coalition of the residential school runs the route, so its procesregisseur acts on it.
    """
    if user is None:
        return frozenset()
    scope = scope_van(user)
    if scope.is_superuser:
        return frozenset({SWV, SCHOOL, REGIE})
    rollen = set()
    if plaatsing.verantwoordelijk_swv_id in scope.swv_ids:
        rollen.add(SWV)
    if plaatsing.instellingsschool_id in scope.instellingsschool_ids:
        rollen.add(SCHOOL)
    if plaatsing.instellingsschool.coalitie_id in scope.coalities(Rol.PROCESREGISSEUR):
        rollen.add(REGIE)
    return frozenset(rollen)


def _vervolgplek_bekend(plaatsing) -> str | None:
    ontbreekt = []
    if not plaatsing.vervolgplek_soort:
        ontbreekt.append("de vervolgplek")
    if not plaatsing.vervolgplek_startdatum:
        ontbreekt.append("de startdatum op de vervolgplek")
    if ontbreekt:
        return "Nazorg kan pas starten als " + " en ".join(ontbreekt) + " is vastgelegd."
    return None


def _uitgeschreven(plaatsing) -> str | None:
    # A completed route ends with the pupil gone from the residential school: without the
    # date the monthly lists would keep counting the pupil and the monitor its stay.
    if not plaatsing.einddatum:
        return (
            "De route kan pas worden afgesloten als de datum van uitschrijving is vastgelegd "
            "(door de school, of via de iHUB-import)."
        )
    return None


@dataclass(frozen=True)
class Overgang:
    naam: str
    van: tuple[str, ...]
    naar: str
    label: str  # the button text
    rollen: frozenset[str]
    reden_verplicht: bool = False
    # Leaving a phase needs its required actions done or skipped (not when going back or aborting).
    acties_van_fase_af: bool = True
    extra_guard: Callable | None = None  # returns a Dutch message when something is missing


OVERGANGEN = [
    Overgang(
        "verblijf", (Fase.INSTROOM,), Fase.VERBLIJF, "Naar verblijf", frozenset({SCHOOL, REGIE})
    ),
    Overgang(
        "uitstroom",
        (Fase.INSTROOM, Fase.VERBLIJF),
        Fase.UITSTROOM,
        "Naar uitstroom",
        frozenset({SCHOOL, REGIE}),
    ),
    Overgang(
        "uitstel",
        (Fase.UITSTROOM,),
        Fase.VERBLIJF,
        "Uitstroom uitstellen (terug naar verblijf)",
        frozenset({SCHOOL, REGIE}),
        reden_verplicht=True,
        acties_van_fase_af=False,
    ),
    Overgang(
        "nazorg",
        (Fase.UITSTROOM,),
        Fase.NAZORG,
        "Naar nazorg",
        frozenset({SWV, REGIE}),
        extra_guard=_vervolgplek_bekend,
    ),
    Overgang(
        "afsluiten",
        (Fase.NAZORG,),
        Fase.AFGESLOTEN,
        "Route afsluiten",
        frozenset({SWV, REGIE}),
        extra_guard=_uitgeschreven,
    ),
    Overgang(
        "afbreken",
        tuple(OPEN_FASEN),
        Fase.AFGESLOTEN,
        "Route afbreken",
        frozenset({REGIE}),
        reden_verplicht=True,
        acties_van_fase_af=False,
    ),
]
OVERGANGEN_OP_NAAM = {o.naam: o for o in OVERGANGEN}


def overgang_zoeken(van: str, naar: str, *, afbreken: bool = False) -> Overgang | None:
    if afbreken:
        o = OVERGANGEN_OP_NAAM["afbreken"]
        return o if van in o.van and naar == o.naar else None
    for o in OVERGANGEN:
        if o.naam != "afbreken" and van in o.van and o.naar == naar:
            return o
    return None


def overgangen_voor(user, plaatsing) -> list[Overgang]:
    """The transitions this user may try now (guards are checked when fired)."""
    rollen = rollen_voor(user, plaatsing)
    return [o for o in OVERGANGEN if plaatsing.fase in o.van and rollen & o.rollen]
