"""Import profiles: a provider's column names, date format and spellings as data (FORMAT.md).

The profile only translates; the checks and guarantees of the import stay the same. iHUB's own
profile ships (migration) and maps every column onto itself.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError

from plaatsingen.resources import IhubPlaatsingResource

IHUB_NAAM = "iHUB"
IHUB_DATUMFORMAAT = "%d-%m-%Y"


def ihub_profiel_gegevens() -> dict:
    kolommen = list(IhubPlaatsingResource.kolommen())
    return {
        "naam": IHUB_NAAM,
        "kolommen": {k: k for k in kolommen},
        "datumformaat": IHUB_DATUMFORMAAT,
        "waarden": {},
    }


@dataclass(frozen=True)
class Profiel:
    """What `controleren` needs of a profile, with lookups prepared once."""

    naam: str = IHUB_NAAM
    kolommen: dict[str, str] | None = None  # iHUB column → provider header; None: iHUB itself
    datumformaat: str = IHUB_DATUMFORMAAT
    waarden: dict[str, dict[str, str]] = field(default_factory=dict)  # column → lower → ours

    @classmethod
    def van(cls, model) -> Profiel:
        """The profile of an import; none chosen means iHUB's (as edited in beheer)."""
        if model is None:
            from plaatsingen.models import ImportProfiel

            model = ImportProfiel.objects.filter(naam=IHUB_NAAM).first()
            if model is None:
                return cls()
        return cls(
            naam=model.naam,
            kolommen=dict(model.kolommen or {}),
            datumformaat=model.datumformaat or IHUB_DATUMFORMAAT,
            waarden={
                kolom.lower(): {" ".join(str(k).lower().split()): str(v) for k, v in m.items()}
                for kolom, m in (model.waarden or {}).items()
            },
        )


def controleer_profiel(gegevens: dict) -> None:
    """Raise ValidationError (Dutch) when `gegevens` is not a usable profile."""
    bekend = set(IhubPlaatsingResource.kolommen())
    fouten = []
    if not isinstance(gegevens, dict):
        raise ValidationError("Een importprofiel is een JSON-object.")
    if not str(gegevens.get("naam") or "").strip():
        fouten.append("Het profiel heeft geen naam.")
    kolommen = gegevens.get("kolommen") or {}
    waarden = gegevens.get("waarden") or {}
    if not isinstance(kolommen, dict) or not all(
        isinstance(v, str) and v.strip() for v in kolommen.values()
    ):
        fouten.append("'kolommen' koppelt elke kolom aan een kopje (tekst) van de aanbieder.")
    else:
        onbekend = sorted(set(kolommen) - bekend)
        if onbekend:
            fouten.append("Onbekende kolommen in 'kolommen': " + ", ".join(onbekend) + ".")
        ontbrekend = [
            k for k, veld in IhubPlaatsingResource.kolommen().items()
            if veld in IhubPlaatsingResource.VERPLICHTE_KOLOMMEN and k not in kolommen
        ]  # fmt: skip
        if kolommen and ontbrekend:
            fouten.append("Verplichte kolommen ontbreken in 'kolommen': " + ", ".join(ontbrekend))
    if not isinstance(waarden, dict) or not all(isinstance(m, dict) for m in waarden.values()):
        fouten.append("'waarden' geeft per kolom een vertaling {waarde: onze waarde}.")
    elif onbekend := sorted(set(waarden) - bekend):
        fouten.append("Onbekende kolommen in 'waarden': " + ", ".join(onbekend) + ".")
    formaat = gegevens.get("datumformaat") or IHUB_DATUMFORMAAT
    try:
        proef = dt.date(2025, 11, 30)
        if dt.datetime.strptime(proef.strftime(formaat), formaat).date() != proef:
            raise ValueError
    except (ValueError, TypeError):
        fouten.append(f"Het datumformaat '{formaat}' is geen bruikbaar formaat (bv. %d-%m-%Y).")
    if fouten:
        raise ValidationError(fouten)


def laad_json(pad: Path):
    """Create or update the profile in a JSON file (by name); returns the ImportProfiel."""
    from plaatsingen.models import ImportProfiel

    try:
        gegevens = json.loads(Path(pad).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(
            f"Het profiel is geen leesbaar JSON-bestand ({type(exc).__name__})."
        ) from None
    controleer_profiel(gegevens)
    profiel, _ = ImportProfiel.objects.update_or_create(
        naam=gegevens["naam"].strip(),
        defaults={
            "kolommen": gegevens.get("kolommen") or {},
            "datumformaat": gegevens.get("datumformaat") or IHUB_DATUMFORMAAT,
            "waarden": gegevens.get("waarden") or {},
        },
    )
    return profiel
