"""Exactly the rows of a filtered list as XLSX: typed cells, formula text neutralised, and one
access-log entry per pupil in the file (a download of personal data is logged per pupil)."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from coalitie.audit import log_toegang_voor_leerlingen
from coalitie.models import Toegangsactie
from plaatsingen.exports import veilige_cel

from .lijsten import dagen_te_laat
from .selectors import fase_tekst, met_afgebroken, met_signalen, signalen_van

MAX_RIJEN = 20_000
KOPPEN = [
    "Leerlingnummer",
    "Roepnaam",
    "Tussenvoegsel",
    "Achternaam",
    "Instellingsschool",
    "SWV",
    "Fase",
    "In fase sinds",
    "Eerstvolgende termijn",
    "Dagen te laat",
    "Casusregisseur",
    "Signalen",
]


def xlsx_antwoord(request, qs, *, naam: str) -> HttpResponse:
    vandaag = timezone.localdate()
    rijen = list(met_afgebroken(met_signalen(qs))[:MAX_RIJEN])
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(naam[:31])
    ws.append(KOPPEN)
    for p in rijen:
        ll = p.leerling
        ws.append(
            [
                veilige_cel(v)
                for v in (
                    ll.leerlingnummer,
                    ll.roepnaam,
                    ll.tussenvoegsel,
                    ll.achternaam,
                    p.instellingsschool.naam,
                    p.verantwoordelijk_swv.code,
                    fase_tekst(p),
                    p.fase_sinds,
                    p.termijn_fase,
                    dagen_te_laat(p, vandaag),
                    (p.casusregisseur.get_full_name() or p.casusregisseur.email)
                    if p.casusregisseur
                    else "",
                    ", ".join(label for _, label in signalen_van(p)),
                )
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    log_toegang_voor_leerlingen(
        request,
        actie=Toegangsactie.GEEXPORTEERD,
        leerling_ids=[p.leerling_id for p in rijen],
        omschrijving=f"export {naam} ({len(rijen)} rijen)",
    )
    response = HttpResponse(
        buf.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{naam}-{vandaag:%Y%m%d}.xlsx"'
    return response
