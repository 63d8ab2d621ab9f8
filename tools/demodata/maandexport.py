"""Demo only: the export a beheerder can upload on a fresh demo, one month on from the data the
demo was seeded with. Derived from the same sample, so it matches the demo's placements: a few
new placements, a few uitschrijvingen, two corrected start dates, the rest unchanged — the
preview then shows every kind of count."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

NIEUW = 6
UITGESCHREVEN = 5
GECORRIGEERD = 2


def _datum(tekst: str) -> dt.date:
    return dt.datetime.strptime(tekst.strip(), "%d-%m-%Y").date()


def maandexport_schrijven(bron: Path, doel: Path, exportdatum: dt.date) -> dict[str, int]:
    """Write the next export from `bron` (the shifted demo export); returns what changed."""
    rnd = random.Random(2025)
    with bron.open(encoding="utf-8", newline="") as f:
        lezer = csv.DictReader(f, delimiter=";")
        kopjes, rijen = lezer.fieldnames, list(lezer)
    zuid_west = ("Schakenbosch", "Rijnstroom", "Bergse Veld")
    open_ = [
        r
        for r in rijen
        if not r["Datum uitschrijving"].strip()
        and r["Instellingsschool"].startswith(zuid_west)
        and _datum(r["Datum inschrijving"]) < exportdatum - dt.timedelta(days=30)
    ]
    gekozen = rnd.sample(open_, UITGESCHREVEN + GECORRIGEERD)
    for i, rij in enumerate(gekozen):
        if i < UITGESCHREVEN:
            rij["Datum uitschrijving"] = (exportdatum - dt.timedelta(days=2 + i)).strftime(
                "%d-%m-%Y"
            )
            rij["Reden uitschrijving"] = "terug naar stamschool" if i % 2 else "mbo"
        else:  # iHUB corrected the start date a few days earlier
            start = _datum(rij["Datum inschrijving"]) - dt.timedelta(days=3)
            rij["Datum inschrijving"] = start.strftime("%d-%m-%Y")
    voorbeelden = [r for r in rijen if r["Instellingsschool"].startswith(zuid_west)]
    for i in range(NIEUW):
        rij = dict(rnd.choice(voorbeelden))
        rij.update(
            {
                "Leerlingnummer": f"29{i:04d}",
                "Achternaam": ["Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos"][i],
                "Tussenvoegsel": "",
                "Roepnaam": ["Noah", "Emma", "Daan", "Julia", "Liam", "Mila"][i],
                "Datum inschrijving": (exportdatum - dt.timedelta(days=3 + i)).strftime("%d-%m-%Y"),
                "Datum uitschrijving": "",
                "Reden uitschrijving": "",
                "Vervolgschool BRIN": "",
                "Vervolgschool naam": "",
            }
        )
        rijen.append(rij)
    doel.parent.mkdir(parents=True, exist_ok=True)
    with doel.open("w", encoding="utf-8", newline="") as f:
        schrijver = csv.DictWriter(f, fieldnames=kopjes, delimiter=";", lineterminator="\r\n")
        schrijver.writeheader()
        schrijver.writerows(rijen)
    return {"nieuw": NIEUW, "uitgeschreven": UITGESCHREVEN, "gecorrigeerd": GECORRIGEERD}
