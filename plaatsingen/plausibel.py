"""What a placement typed by hand must be (refused) and should be (warned), in Dutch.

Impossible values never reach the route or a monthly list; implausible ones are shown to the
worker, who confirms them once with the form as typed (a late-registered older pupil exists).
"""

from __future__ import annotations

import datetime as dt
import re

# iHUB's Leerlingnummer is a number (see the export format); letters are a typing error.
LEERLINGNUMMER = re.compile(r"^[0-9]{1,20}$")
# No pupil of a residential school is younger or older than this at the start: a typing error.
LEEFTIJD_MOGELIJK = (4, 30)
# The age range residential schools (VO, praktijkonderwijs, VSO) teach; outside it, ask.
LEEFTIJD_GEBRUIKELIJK = (10, 23)
# A start more than this far ahead is a typing error; beyond the warning, ask.
START_VOORUIT_MAX_DAGEN = 365
START_VOORUIT_WAARSCHUWING_DAGEN = 14


def leeftijd(geboortedatum: dt.date, op: dt.date) -> int:
    return (
        op.year
        - geboortedatum.year
        - ((op.month, op.day) < (geboortedatum.month, geboortedatum.day))
    )


def controleren(
    *,
    leerlingnummer: str,
    geboortedatum: dt.date | None,
    startdatum: dt.date | None,
    vandaag: dt.date,
) -> tuple[dict[str, str], list[str]]:
    """(errors per field, warnings) for the values of a new placement."""
    fouten: dict[str, str] = {}
    waarschuwingen: list[str] = []
    if leerlingnummer and not LEERLINGNUMMER.match(leerlingnummer.strip()):
        fouten["leerlingnummer"] = "Een leerlingnummer bestaat alleen uit cijfers, zoals in iHUB."
    if geboortedatum and geboortedatum > vandaag:
        fouten["geboortedatum"] = "De geboortedatum ligt in de toekomst."
    if startdatum and (startdatum - vandaag).days > START_VOORUIT_MAX_DAGEN:
        fouten["startdatum"] = "De datum van inschrijving ligt meer dan een jaar vooruit."
    elif startdatum and (startdatum - vandaag).days > START_VOORUIT_WAARSCHUWING_DAGEN:
        waarschuwingen.append(
            f"De datum van inschrijving ({startdatum:%d-%m-%Y}) ligt meer dan "
            f"{START_VOORUIT_WAARSCHUWING_DAGEN} dagen vooruit."
        )
    if geboortedatum and startdatum and "geboortedatum" not in fouten:
        jaren = leeftijd(geboortedatum, startdatum)
        laag, hoog = LEEFTIJD_MOGELIJK
        if not laag <= jaren <= hoog:
            fouten["geboortedatum"] = (
                f"Met deze geboortedatum is de leerling bij inschrijving {jaren} jaar; "
                "controleer de datum."
            )
        elif not LEEFTIJD_GEBRUIKELIJK[0] <= jaren <= LEEFTIJD_GEBRUIKELIJK[1]:
            waarschuwingen.append(
                f"De leerling is bij inschrijving {jaren} jaar; instellingsscholen hebben "
                f"meestal leerlingen van {LEEFTIJD_GEBRUIKELIJK[0]} tot en met "
                f"{LEEFTIJD_GEBRUIKELIJK[1]} jaar."
            )
    return fouten, waarschuwingen
