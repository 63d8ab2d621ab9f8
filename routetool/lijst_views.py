"""What the placement list and the overview share: one form decides the rows of the page, the
print view and the XLSX (`?formaat=` on the same filters), so an export has exactly the rows
the user filtered."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from coalitie.audit import log_getoonde_leerlingen, log_toegang_voor_leerlingen
from coalitie.models import Toegangsactie

from .lijst_export import xlsx_antwoord
from .lijsten import LijstForm, dagen_te_laat, kolomkoppen
from .selectors import met_afgebroken, met_signalen, pagina_met_signalen

MAX_AFDRUK = 1000
KOLOMMEN = ["naam", "school", "swv", "fase", "sinds", "termijn", "dagen_te_laat"]


def lijst_antwoord(
    request,
    *,
    basis,
    template,
    standaard_orde,
    per_pagina,
    naam,
    context,
    formaat="",
    omschrijving="",
    alleen_open=False,
    form=None,
):
    """`basis`: the visible placements of this list; `formaat`: "" (page), "xlsx", "afdruk"."""
    if form is None:
        form = LijstForm(request.GET or None, user=request.user, alleen_open=alleen_open)
    qs = form.filter(met_signalen(basis)).met_lijstgegevens()
    qs = qs.order_by(*form.ordening(standaard_orde))
    if formaat == "xlsx":
        return xlsx_antwoord(request, qs, naam=naam)
    querystring = request.GET.copy()
    for sleutel in ("pagina", "formaat"):
        querystring.pop(sleutel, None)
    vandaag = timezone.localdate()
    if formaat == "afdruk":
        rijen = list(met_afgebroken(qs)[:MAX_AFDRUK])
        totaal = len(rijen) if len(rijen) < MAX_AFDRUK else qs.count()
        log_toegang_voor_leerlingen(
            request,
            actie=Toegangsactie.BEKEKEN,
            leerling_ids=[p.leerling_id for p in rijen],
            omschrijving=f"afdruk {naam}",
        )
    else:
        pagina = pagina_met_signalen(qs, request.GET.get("pagina"), per_pagina)
        rijen, totaal = pagina.object_list, pagina.paginator.count
        context["pagina"] = pagina
        # The access log says which page showed the pupil, and whether it was a search.
        omschrijving = omschrijving or f"lijst {naam}"
        if any(v for k, v in request.GET.items() if k not in ("pagina", "sorteer")):
            omschrijving = "zoekresultaat " + omschrijving.removeprefix("lijst ")
        log_getoonde_leerlingen(request, rijen, omschrijving=omschrijving)
    for p in rijen:
        p.dagen_te_laat = dagen_te_laat(p, vandaag)
    context.update(
        {
            "form": form,
            "rijen": rijen,
            "totaal": totaal,
            "querystring": querystring.urlencode(),
            "koppen": kolomkoppen(request, form.huidige_sortering(), KOLOMMEN),
            "afdruk": formaat == "afdruk",
            "max_afdruk": MAX_AFDRUK,
        }
    )
    return render(request, "routetool/afdruk.html" if formaat == "afdruk" else template, context)
