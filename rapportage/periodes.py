"""The dashboard's period choice (issue 19, defect 11): a named period or from–to, in the URL.

Every named period ends today, so the page always shows the figures up to now; "van–tot" may
end earlier. The URL holds `periode=` (and `van=`/`tot=` as dd-mm-jjjj, as the monitor's
form takes them), so a chosen view can be bookmarked and shared within the team.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

KEUZES = [
    ("12m", "afgelopen twaalf maanden"),
    ("maand", "deze maand"),
    ("kwartaal", "dit kwartaal"),
    ("halfjaar", "dit halfjaar"),
    ("jaar", "dit kalenderjaar"),
    ("eigen", "van – tot en met"),
]
STANDAARD = "12m"
# As the monitor: five years is as far back as the figures are meant to look.
MAX_DAGEN = 5 * 366


@dataclass(frozen=True)
class Periode:
    soort: str
    van: dt.date
    tot: dt.date
    fout: str = ""

    @property
    def omschrijving(self) -> str:
        return f"{self.van:%d-%m-%Y} tot en met {self.tot:%d-%m-%Y}"


def _datum(tekst: str | None) -> dt.date | None:
    """dd-mm-jjjj as the page shows and users type it; jjjj-mm-dd too (a date picker)."""
    for formaat in ("%d-%m-%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime((tekst or "").strip(), formaat).date()
        except ValueError:
            continue
    return None


def periode_uit(params, vandaag: dt.date) -> Periode:
    """The period asked for in the query string; a bad or missing choice falls back to the
    last twelve months with a Dutch message (never an error page for a typed URL)."""
    soort = params.get("periode") or STANDAARD
    begin_maand = vandaag.replace(day=1)
    if soort == "maand":
        return Periode(soort, begin_maand, vandaag)
    if soort == "kwartaal":
        return Periode(soort, begin_maand.replace(month=(vandaag.month - 1) // 3 * 3 + 1), vandaag)
    if soort == "halfjaar":
        return Periode(soort, begin_maand.replace(month=1 if vandaag.month <= 6 else 7), vandaag)
    if soort == "jaar":
        return Periode(soort, dt.date(vandaag.year, 1, 1), vandaag)
    standaard = Periode(STANDAARD, begin_maand - relativedelta(months=11), vandaag)
    if soort != "eigen":
        return standaard
    van, tot = _datum(params.get("van")), _datum(params.get("tot"))
    if van is None or tot is None:
        fout = "Vul bij ‘van – tot en met’ twee datums in."
    elif tot < van:
        fout = "De einddatum ligt voor de begindatum."
    elif (tot - van).days > MAX_DAGEN:
        fout = "Kies een periode van hoogstens vijf jaar."
    else:
        return Periode(soort, van, tot)
    return Periode(STANDAARD, standaard.van, standaard.tot, fout=fout)
