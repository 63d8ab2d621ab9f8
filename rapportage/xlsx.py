"""The monthly list as one spreadsheet: typed columns, filters on, formula text neutralised."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from plaatsingen.exports import veilige_cel

from .selectors import KOLOMMEN, Regel

DATUMVELDEN = {"geboortedatum", "startdatum", "einddatum"}
BREEDTES = {"naam": 28, "school": 30, "locatie": 22, "stamschool": 30, "vervolgplek": 30}


def maandlijst_xlsx(*, regels: list[Regel], titel: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = titel[:31]
    ws.append([label for _, label in KOLOMMEN])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for regel in regels:
        ws.append([veilige_cel(getattr(regel, veld)) for veld, _ in KOLOMMEN])
    for index, (veld, _) in enumerate(KOLOMMEN, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = BREEDTES.get(veld, 16)
        if veld in DATUMVELDEN:
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "DD-MM-YYYY"
    if not regels:
        # An explicit line, so an empty list never looks like a list that went wrong.
        ws.append(["geen leerlingen"])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(KOLOMMEN))}{max(ws.max_row, 1)}"
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _celwaarde(tekst):
    """A count as a number (so it can be summed); `<5`, `x`, `—` and labels stay text."""
    if isinstance(tekst, str) and tekst.isdigit():
        return int(tekst)
    return veilige_cel(str(tekst))


def secties_xlsx(secties: list[dict], *, titel: str) -> bytes:
    """Every table of a report (the sections of `secties.py`) as one sheet each, with the same
    (suppressed) cells as the PDF."""
    wb = Workbook()
    wb.remove(wb.active)
    gebruikt: set[str] = set()
    for sectie in secties:
        naam = sectie["titel"].replace(":", "").replace("/", "-")[:28]
        while naam in gebruikt:
            naam = naam[:26] + f"{len(gebruikt) % 100:02d}"
        gebruikt.add(naam)
        ws = wb.create_sheet(naam)
        ws.append([veilige_cel(titel)])
        ws.append([veilige_cel(sectie["titel"])])
        ws["A1"].font = ws["A2"].font = Font(bold=True)
        ws.append([veilige_cel(sectie["uitleg"])])
        ws.append([])
        ws.append([veilige_cel(k) for k in sectie["kolommen"]])
        for cell in ws[5]:
            cell.font = Font(bold=True)
        for rij in sectie["rijen"]:
            ws.append([_celwaarde(c) for c in rij])
        if sectie.get("totaal"):
            ws.append([_celwaarde(c) for c in sectie["totaal"]])
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
        ws.column_dimensions["A"].width = 42
        for i in range(2, len(sectie["kolommen"]) + 1):
            ws.column_dimensions[get_column_letter(i)].width = 18
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
