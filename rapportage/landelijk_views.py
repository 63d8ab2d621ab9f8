"""Pages of the national read-only role: the overview per coalition and one coalition's
figures, in HTML, PDF and CSV. Suppressed counts only; no page here reads a pupil."""

from __future__ import annotations

import csv

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from coalitie.audit import log_toegang
from coalitie.models import Coalitie, Toegangsactie
from coalitie.selectors import is_landelijk, scope_van

from .landelijk import coalitie_secties, overzicht_sectie
from .monitor import standaard_periode
from .onderdrukking import REGEL
from .pdf import render_to_pdf


class PeriodeForm(forms.Form):
    van = forms.DateField(label="Van")
    tot = forms.DateField(label="Tot en met")

    def clean(self):
        data = super().clean()
        van, tot = data.get("van"), data.get("tot")
        if van and tot and tot < van:
            raise forms.ValidationError("De einddatum ligt voor de begindatum.")
        if van and tot and (tot - van).days > 5 * 366:
            raise forms.ValidationError("Kies een periode van hoogstens vijf jaar.")
        return data


def _toegang(request):
    # The national role and superusers; everyone else gets 404 (the page does not exist
    # for them), as for pupils outside their scope.
    if not (is_landelijk(request.user) or scope_van(request.user).is_superuser):
        raise Http404("Deze pagina bestaat niet.")


def _periode(request):
    van, tot = standaard_periode(timezone.localdate())
    form = PeriodeForm(request.GET or None, initial={"van": van, "tot": tot})
    if request.GET and form.is_valid():
        van, tot = form.cleaned_data["van"], form.cleaned_data["tot"]
    return form, van, tot


def _querystring(van, tot) -> str:
    return f"van={van:%d-%m-%Y}&tot={tot:%d-%m-%Y}"


def _csv(naam: str, secties: list[dict], van, tot) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{naam} {van:%Y-%m-%d} {tot:%Y-%m-%d}.csv"'
    )
    response.write("\ufeff")  # Excel reads UTF-8 only with a BOM
    writer = csv.writer(response, delimiter=";")
    for sectie in secties:
        writer.writerow([sectie["titel"]])
        writer.writerow(sectie["kolommen"])
        writer.writerows(sectie["rijen"])
        if sectie.get("totaal"):
            writer.writerow(sectie["totaal"])
        writer.writerow([])
    return response


def _log(request, omschrijving: str, actie=Toegangsactie.BEKEKEN):
    log_toegang(request, actie=actie, object_type="landelijk", omschrijving=omschrijving[:200])


@login_required
@require_GET
def overzicht(request):
    _toegang(request)
    form, van, tot = _periode(request)
    coalities, sectie = overzicht_sectie(van, tot)
    return render(
        request,
        "rapportage/landelijk.html",
        {
            "form": form,
            "van": van,
            "tot": tot,
            "coalities": coalities,
            "secties": [sectie],
            "querystring": _querystring(van, tot),
            "regel": REGEL,
        },
    )


@login_required
@require_GET
def overzicht_csv(request):
    _toegang(request)
    _, van, tot = _periode(request)
    _, sectie = overzicht_sectie(van, tot)
    _log(
        request,
        f"landelijk overzicht CSV {van:%d-%m-%Y} t/m {tot:%d-%m-%Y}",
        Toegangsactie.GEDOWNLOAD,
    )
    return _csv("landelijk overzicht", [sectie], van, tot)


def _pdf(request, titel, secties, van, tot, naam):
    pdf = render_to_pdf(
        "rapportage/landelijk_pdf.html",
        {
            "titel": titel,
            "secties": secties,
            "van": van,
            "tot": tot,
            "gemaakt_op": timezone.localtime(),
            "regel": REGEL,
        },
    )
    _log(request, f"{naam} PDF {van:%d-%m-%Y} t/m {tot:%d-%m-%Y}", Toegangsactie.GEDOWNLOAD)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{naam} {van:%Y-%m-%d} {tot:%Y-%m-%d}.pdf"'
    )
    return response


@login_required
@require_GET
def overzicht_pdf(request):
    _toegang(request)
    _, van, tot = _periode(request)
    _, sectie = overzicht_sectie(van, tot)
    return _pdf(
        request, "Landelijk overzicht onderwijscoalities", [sectie], van, tot, "landelijk overzicht"
    )


@login_required
@require_GET
def coalitie(request, coalitie_pk: int):
    _toegang(request)
    c = get_object_or_404(Coalitie, pk=coalitie_pk)
    form, van, tot = _periode(request)
    if request.GET.get("csv"):
        _log(request, f"landelijk {c.slug} CSV", Toegangsactie.GEDOWNLOAD)
        return _csv(f"landelijk {c.slug}", coalitie_secties(c, van, tot), van, tot)
    return render(
        request,
        "rapportage/landelijk.html",
        {
            "form": form,
            "van": van,
            "tot": tot,
            "coalitie": c,
            "secties": coalitie_secties(c, van, tot),
            "querystring": _querystring(van, tot),
            "regel": REGEL,
        },
    )


@login_required
@require_GET
def coalitie_pdf(request, coalitie_pk: int):
    _toegang(request)
    c = get_object_or_404(Coalitie, pk=coalitie_pk)
    _, van, tot = _periode(request)
    return _pdf(
        request,
        f"Coalitiemonitor {c.naam} (landelijk)",
        coalitie_secties(c, van, tot),
        van,
        tot,
        f"landelijk {c.slug}",
    )
