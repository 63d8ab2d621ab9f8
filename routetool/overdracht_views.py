"""The overdrachtsprofiel's pages: edit it (SWV, instellingsschool, procesregisseur, until the
handover) and confirm it at the handover. Visibility: `get_plaatsing_for_user` (404); who may
do what: `routetool/route.py` via the services (403 with a fixed Dutch sentence)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from coalitie.audit import logt_toegang
from coalitie.toegang import Geweigerd, route_rollen
from plaatsingen.selectors import get_plaatsing_for_user

from . import route
from .overdrachtsprofiel import (
    BevestigenForm,
    ProfielForm,
    diagnose_melding,
    profiel_bevestigen,
    profiel_opslaan,
    profiel_van,
)


def _terug(plaatsing_id: int):
    return redirect(reverse("plaatsingen:detail", args=[plaatsing_id]) + "#overdrachtsprofiel")


@login_required
@logt_toegang()
def bewerken(request, pk: int):
    plaatsing = get_plaatsing_for_user(request.user, pk)
    if not route.mag_profiel_bewerken(route_rollen(request.user, plaatsing), plaatsing):
        raise Geweigerd(
            "Het overdrachtsprofiel wordt tot de warme overdracht bijgehouden door het SWV, de "
            "instellingsschool en de procesregisseur."
        )
    profiel = profiel_van(plaatsing)
    form = ProfielForm(request.POST or None, instance=profiel)
    if request.method == "POST" and form.is_valid():
        profiel, melding = profiel_opslaan(
            plaatsing_id=plaatsing.pk, door=request.user, gegevens=form.cleaned_data
        )
        messages.success(request, "Het overdrachtsprofiel is opgeslagen.")
        if melding:
            messages.warning(request, melding)
        return _terug(plaatsing.pk)
    return render(
        request,
        "routetool/overdrachtsprofiel.html",
        {
            "plaatsing": plaatsing,
            "leerling": plaatsing.leerling,
            "form": form,
            "melding": diagnose_melding(profiel) if profiel else "",
        },
    )


@login_required
@require_POST
def bevestigen(request, pk: int):
    plaatsing = get_plaatsing_for_user(request.user, pk)
    form = BevestigenForm(request.POST, auto_id="id_overdracht_%s")
    if not form.is_valid():
        for veld, fouten in form.errors.items():
            for fout in fouten:
                messages.error(request, f"{form.fields[veld].label}: {fout}")
        return _terug(plaatsing.pk)
    data = form.cleaned_data
    try:
        profiel_bevestigen(
            plaatsing_id=plaatsing.pk, door=request.user, datum=data.pop("datum"), aanwezig=data
        )
    except route.RouteFout as fout:
        messages.error(request, str(fout))
    else:
        messages.success(request, "De warme overdracht is bevestigd.")
    return _terug(plaatsing.pk)
