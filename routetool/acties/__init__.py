"""Action kinds: what completing an action of a given code asks for and records.

One module per kind in this package, each defining `SOORT = ActieSoort(...)`: its name, the
routekaart codes it handles, its form, how it applies the form's data (to the action, and to the
placement where the route itself needs it), the free-text fields retention must clear, and what
the timeline shows of it. The modules are found by walking this package, so adding a kind is
adding one module (plus a migration only if it needs a column; most keep their data in
`Actie.gegevens`). Codes no kind claims get a note only (`notitie`).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms

STANDAARD_SOORT = "notitie"


def _niets(*, plaatsing, actie, gegevens: dict) -> list[str]:
    return []


def _geen_regels(actie) -> list[str]:
    return []


def _geen_beginwaarden(plaatsing) -> dict:
    return {}


@dataclass(frozen=True)
class ActieSoort:
    naam: str
    codes: tuple[str, ...]
    formulier: type[forms.Form]
    # Validates and applies the form's data; returns the changed Actie fields. Raises
    # route.RouteFout (Dutch) when something the action needs is missing.
    toepassen: Callable[..., list[str]] = _niets
    # Free text on the action (columns, and keys of `Actie.gegevens`) that can name the pupil
    # or family: retention empties them.
    vrije_tekst_velden: tuple[str, ...] = ()
    vrije_tekst_gegevens: tuple[str, ...] = ()
    # Lines the timeline shows for a done action (no personal data beyond what the page shows).
    regels: Callable[..., list[str]] = field(default=_geen_regels)
    # What the form starts with: what is already known (import, earlier action, earlier
    # placement), so nobody types it again.
    beginwaarden: Callable[..., dict] = field(default=_geen_beginwaarden)


def _ontdek() -> dict[str, ActieSoort]:
    soorten: dict[str, ActieSoort] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        soort = importlib.import_module(f"{__name__}.{info.name}").SOORT
        if soort.naam in soorten:
            raise RuntimeError(f"Actiesoort {soort.naam} is twee keer gedefinieerd.")
        soorten[soort.naam] = soort
    return soorten


SOORTEN = _ontdek()
SOORT_PER_CODE: dict[str, ActieSoort] = {}
for _soort in SOORTEN.values():
    for _code in _soort.codes:
        if _code in SOORT_PER_CODE:
            raise RuntimeError(f"Code {_code} hoort bij twee actiesoorten.")
        SOORT_PER_CODE[_code] = _soort
SOORT_FORMULIER = {code: soort.naam for code, soort in SOORT_PER_CODE.items()}
FORMULIEREN = {naam: soort.formulier for naam, soort in SOORTEN.items()}


def soort_van(code: str) -> ActieSoort:
    return SOORT_PER_CODE.get(code, SOORTEN[STANDAARD_SOORT])


def formulier_soort(code: str) -> str:
    return soort_van(code).naam


def gegevens_toepassen(*, plaatsing, actie, gegevens: dict) -> list[str]:
    """Validate and apply the action's data; returns the changed action fields."""
    return soort_van(actie.code).toepassen(plaatsing=plaatsing, actie=actie, gegevens=gegevens)


# Every action has a note and may have a reason to skip: free text of all kinds.
ALGEMENE_VRIJE_TEKST = ("notitie", "reden_overslaan")


def vrije_tekst_velden() -> tuple[str, ...]:
    """The Actie columns retention empties: the general ones and those of every kind."""
    velden = dict.fromkeys(ALGEMENE_VRIJE_TEKST)
    for soort in SOORTEN.values():
        velden.update(dict.fromkeys(soort.vrije_tekst_velden))
    return tuple(velden)


def vrije_tekst_wissen(acties) -> int:
    """Empty the free text of these actions (a queryset): columns in one UPDATE, then the
    kinds' free-text keys in `gegevens` for the (few) actions that carry any."""
    aantal = acties.update(**dict.fromkeys(vrije_tekst_velden(), ""))
    for soort in SOORTEN.values():
        if not soort.vrije_tekst_gegevens:
            continue
        for actie in acties.filter(code__in=soort.codes).exclude(gegevens={}):
            for sleutel in soort.vrije_tekst_gegevens:
                if actie.gegevens.get(sleutel):
                    actie.gegevens[sleutel] = ""
            actie.save(update_fields=["gegevens"])
    return aantal
