"""Route pages: the procesregisseur overview and the POST endpoints of the placement page.

Every write view: visibility and write access via `get_plaatsing_for_user(write=True)` (404 /
403), the role check in the service (403), a domain refusal shown as a Dutch message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from coalitie import toegang
from coalitie.audit import log_toegang
from coalitie.models import Toegangsactie
from plaatsingen.models import Plaatsing
from plaatsingen.selectors import get_plaatsing_for_user

from . import acties, services
from .forms import OverslaanForm, TransitieForm, UitstroomdatumForm
from .lijst_views import lijst_antwoord
from .lijsten import LijstForm
from .models import Actie
from .selectors import SIGNALEN, met_signalen, signalen_tellen
from .states import OPEN_FASEN

PER_PAGINA = 50


def _terug(plaatsing_id: int):
    return redirect("plaatsingen:detail", pk=plaatsing_id)


def _formfouten(request, form) -> None:
    for veld, fouten in form.errors.items():
        label = form.fields[veld].label if veld in form.fields else ""
        for fout in fouten:
            messages.error(request, f"{label}: {fout}" if label else fout)


@login_required
@require_POST
def transitie(request, pk: int):
    plaatsing = get_plaatsing_for_user(request.user, pk, write=True)
    form = TransitieForm(request.POST)
    if not form.is_valid():
        _formfouten(request, form)
        return _terug(plaatsing.pk)
    data = form.cleaned_data
    try:
        rij = services.transitie_uitvoeren(
            plaatsing_id=plaatsing.pk,
            naar=data["naar"],
            door=request.user,
            versie=data["versie"],
            reden=data["reden"],
            afbreken=data["afbreken"],
        )
    except services.RouteFout as fout:
        messages.error(request, str(fout))
    else:
        messages.success(request, f"De plaatsing is nu in de fase {rij.get_naar_display()}.")
    return _terug(plaatsing.pk)


def _actie_voor_schrijven(request, actie_pk: int):
    plaatsing_id = Actie.objects.filter(pk=actie_pk).values_list("plaatsing_id", flat=True).first()
    if plaatsing_id is None:
        raise Http404("Deze actie bestaat niet of u heeft er geen toegang toe.")
    plaatsing = get_plaatsing_for_user(request.user, plaatsing_id, write=True)
    return plaatsing, Actie.objects.get(pk=actie_pk)


@login_required
@require_POST
def actie_afronden(request, actie_pk: int):
    plaatsing, actie = _actie_voor_schrijven(request, actie_pk)
    form = acties.soort_van(actie.code).formulier(request.POST, prefix=f"actie{actie.pk}")
    if not form.is_valid():
        _formfouten(request, form)
        return _terug(plaatsing.pk)
    try:
        services.actie_afronden(
            actie_id=actie.pk,
            door=request.user,
            notitie=form.cleaned_data.get("notitie", ""),
            gegevens=form.gegevens(),
        )
    except services.RouteFout as fout:
        messages.error(request, str(fout))
    else:
        notitie = form.cleaned_data.get("notitie", "")
        log_toegang(
            request,
            actie=Toegangsactie.GEWIJZIGD,
            obj=plaatsing,
            omschrijving=f"actie {actie.pk} ({actie.code}) gedaan"
            + (f", met notitie ({len(notitie.strip())} tekens)" if notitie.strip() else ""),
        )
        messages.success(request, f"Gedaan: {actie.omschrijving}.")
    return _terug(plaatsing.pk)


@login_required
@require_POST
def actie_overslaan(request, actie_pk: int):
    plaatsing, actie = _actie_voor_schrijven(request, actie_pk)
    form = OverslaanForm(request.POST, prefix=f"overslaan{actie.pk}")
    if not form.is_valid():
        _formfouten(request, form)
        return _terug(plaatsing.pk)
    try:
        services.actie_overslaan(
            actie_id=actie.pk, door=request.user, reden=form.cleaned_data["reden"]
        )
    except services.RouteFout as fout:
        messages.error(request, str(fout))
    else:
        log_toegang(
            request,
            actie=Toegangsactie.GEWIJZIGD,
            obj=plaatsing,
            omschrijving=f"actie {actie.pk} ({actie.code}) overgeslagen, met reden",
        )
        messages.success(request, f"Overgeslagen: {actie.omschrijving}.")
    return _terug(plaatsing.pk)


@login_required
@require_POST
def uitstroomdatum(request, pk: int):
    plaatsing = get_plaatsing_for_user(request.user, pk, write=True)
    form = UitstroomdatumForm(request.POST)
    if not form.is_valid():
        _formfouten(request, form)
        return _terug(plaatsing.pk)
    try:
        services.uitstroomdatum_vastleggen(
            plaatsing_id=plaatsing.pk, door=request.user, datum=form.cleaned_data["datum"]
        )
    except services.RouteFout as fout:
        messages.error(request, str(fout))
    else:
        messages.success(request, "De verwachte uitstroomdatum is vastgelegd.")
    return _terug(plaatsing.pk)


def _overzicht(request, formaat: str):
    """All open placements the procesregisseur watches, with filters and counts per signal.

    A fixed number of queries however many placements: signals are SQL annotations, the counts
    one aggregate, the rows one page.
    """
    if not toegang.mag_routeoverzicht_zien(request.user):
        raise PermissionDenied("Dit overzicht is voor de procesregisseur.")
    basis = Plaatsing.objects.zichtbaar_voor(request.user).filter(fase__in=OPEN_FASEN)
    context = {"export_url": "routetool:overzicht_export", "lijst_url": "routetool:overzicht"}
    # One form for the counts and the rows (its pick-lists are read once).
    form = LijstForm(request.GET or None, user=request.user, alleen_open=True)
    if not formaat:
        tellingen = signalen_tellen(form.filter(met_signalen(basis)))
        context["tellingen"] = [(key, label, tellingen[key]) for key, label in SIGNALEN]
    context["titel"] = "Overzicht open plaatsingen"
    return lijst_antwoord(
        request,
        basis=basis,
        template="routetool/overzicht.html",
        standaard_orde=["fase_sinds", "pk"],
        per_pagina=PER_PAGINA,
        naam="open-plaatsingen",
        omschrijving="overzicht open plaatsingen",
        formaat=formaat,
        context=context,
        form=form,
    )


@login_required
def overzicht(request):
    return _overzicht(request, "afdruk" if request.GET.get("formaat") == "afdruk" else "")


@login_required
def overzicht_export(request):
    """Exactly the filtered rows of the overview as XLSX (logged per pupil)."""
    return _overzicht(request, "xlsx")
