"""Import profiles in the coalition's beheer: list, create, edit, JSON upload and download.

Profiles are shared by every coalition (a provider's export looks the same for all of them), so
every beheerder may maintain them; others get 404, as for the import itself. iHUB's own profile
ships with the product and is read-only here (its columns are the format, FORMAT.md).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from plaatsingen.models import ImportProfiel

from .profiel_forms import ProfielForm, ProfielUploadForm
from .profielen import IHUB_DATUMFORMAAT, IHUB_NAAM
from .views import beheerder_vereist


def _gegevens(profiel: ImportProfiel) -> dict:
    return {
        "naam": profiel.naam,
        "kolommen": profiel.kolommen or {},
        "datumformaat": profiel.datumformaat or IHUB_DATUMFORMAAT,
        "waarden": profiel.waarden or {},
    }


def _opslaan(profiel: ImportProfiel, gegevens: dict) -> ImportProfiel:
    profiel.naam = gegevens["naam"].strip()
    profiel.kolommen = gegevens.get("kolommen") or {}
    profiel.datumformaat = gegevens.get("datumformaat") or IHUB_DATUMFORMAAT
    profiel.waarden = gegevens.get("waarden") or {}
    profiel.full_clean()
    profiel.save()
    return profiel


@require_GET
@beheerder_vereist
def profielen(request):
    return render(
        request,
        "plaatsingen/import/profielen.html",
        {
            "profielen": ImportProfiel.objects.order_by("naam"),
            "upload": ProfielUploadForm(),
            "IHUB": IHUB_NAAM,
        },
    )


@require_POST
@beheerder_vereist
def profiel_upload(request):
    """A JSON file in the `import_ihub --profiel` shape: creates the profile or updates the one
    with its name."""
    form = ProfielUploadForm(request.POST, request.FILES)
    if form.is_valid():
        gegevens = form.cleaned_data["gegevens"]
        with transaction.atomic():
            profiel = (
                ImportProfiel.objects.select_for_update()
                .filter(naam__iexact=gegevens["naam"].strip())
                .first()
            )
            nieuw = profiel is None
            profiel = _opslaan(profiel or ImportProfiel(), gegevens)
        messages.success(
            request,
            f"Importprofiel {profiel.naam} is {'aangemaakt' if nieuw else 'bijgewerkt'}.",
        )
        return redirect("importeren:profiel", pk=profiel.pk)
    return render(
        request,
        "plaatsingen/import/profielen.html",
        {"profielen": ImportProfiel.objects.order_by("naam"), "upload": form, "IHUB": IHUB_NAAM},
        status=400,
    )


@beheerder_vereist
def profiel(request, pk: int | None = None):
    bestaand = get_object_or_404(ImportProfiel, pk=pk) if pk is not None else None
    alleen_lezen = bestaand is not None and bestaand.naam == IHUB_NAAM
    if request.method == "POST" and alleen_lezen:
        messages.error(request, "Het profiel van iHUB zelf ligt vast en kan niet worden gewijzigd.")
        return redirect("importeren:profiel", pk=bestaand.pk)
    if request.method == "POST":
        form = ProfielForm(request.POST, instance=bestaand)
        if form.is_valid():
            with transaction.atomic():
                if bestaand is not None:
                    bestaand = ImportProfiel.objects.select_for_update().get(pk=bestaand.pk)
                opgeslagen = _opslaan(bestaand or ImportProfiel(), form.gegevens(form.cleaned_data))
            messages.success(request, f"Importprofiel {opgeslagen.naam} is opgeslagen.")
            return redirect("importeren:profiel", pk=opgeslagen.pk)
    else:
        form = ProfielForm(instance=bestaand)
    if alleen_lezen:
        for veld in form.fields.values():
            veld.disabled = True
    return render(
        request,
        "plaatsingen/import/profiel.html",
        {"form": form, "profiel": bestaand, "alleen_lezen": alleen_lezen},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_GET
@beheerder_vereist
def profiel_json(request, pk: int):
    profiel = get_object_or_404(ImportProfiel, pk=pk)
    inhoud = json.dumps(_gegevens(profiel), ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(inhoud, content_type="application/json; charset=utf-8")
    naam = slugify(profiel.naam) or f"profiel-{profiel.pk}"
    response["Content-Disposition"] = f'attachment; filename="importprofiel-{naam}.json"'
    return response
