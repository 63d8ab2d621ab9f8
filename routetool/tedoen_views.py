"""The POSTs of the Te doen page: one click or several at once, then back to Te doen.

Each action goes through the same checks as on the placement page: visibility and write access
(`get_plaatsing_for_user(write=True)`), the role in the service, a refusal as a Dutch message.
A bulk of N actions is N small transactions: one refusal does not undo the others.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from plaatsingen.models import RedenUitschrijving
from plaatsingen.selectors import get_plaatsing_for_user

from . import services
from .acties import formulier_soort
from .correcties import uitschrijving_vastleggen
from .forms import DatumInput
from .meldingen_route import wijziging
from .models import Actie
from .tedoen import EEN_KLIK

MAX_BULK = 200


def _ids(request) -> list[int]:
    """One button on a row ("een") or the ticked boxes ("ids")."""
    waarden = [request.POST["een"]] if request.POST.get("een") else request.POST.getlist("ids")
    try:
        return list(dict.fromkeys(int(v) for v in waarden))[:MAX_BULK]
    except ValueError:
        raise Http404("Onbekende actie.") from None


def _terug(request):
    return redirect(request.POST.get("terug") == "overzicht" and "routetool:overzicht" or "tedoen")


def _per_actie(request, ids, doe) -> tuple[int, list[str]]:
    gelukt, fouten = 0, []
    plaatsing_per_actie = dict(Actie.objects.filter(pk__in=ids).values_list("pk", "plaatsing_id"))
    for actie_id in ids:
        if actie_id not in plaatsing_per_actie:
            fouten.append("Een actie bestaat niet meer of u heeft er geen toegang toe.")
            continue
        try:
            plaatsing = get_plaatsing_for_user(
                request.user, plaatsing_per_actie[actie_id], write=True
            )
            actie = doe(actie_id)
        except Http404:
            fouten.append("Een actie bestaat niet meer of u heeft er geen toegang toe.")
        except (PermissionDenied, services.RouteFout) as fout:
            fouten.append(str(fout))
        else:
            gelukt += 1
            wijziging(plaatsing=plaatsing, door=request.user, wat=actie.omschrijving)
    return gelukt, fouten


def _fouten_tonen(request, fouten):
    for fout in dict.fromkeys(fouten):
        messages.error(request, fout)


@login_required
@require_POST
def afronden(request):
    """Acknowledge / mark done: only actions without data to fill in (else: placement page)."""
    ids = _ids(request)
    if not ids:
        messages.error(request, "Kies eerst een of meer acties.")
        return _terug(request)

    def doe(actie_id):
        actie = Actie.objects.get(pk=actie_id)
        if formulier_soort(actie.code) not in EEN_KLIK:
            raise services.RouteFout(
                f"'{actie.omschrijving}' vraagt gegevens: vul die in op de pagina van de plaatsing."
            )
        return services.actie_afronden(actie_id=actie_id, door=request.user)

    gelukt, fouten = _per_actie(request, ids, doe)
    if gelukt:
        messages.success(request, f"{gelukt} actie{'s' if gelukt > 1 else ''} afgerond.")
    _fouten_tonen(request, fouten)
    return _terug(request)


@login_required
@require_POST
def overslaan(request):
    """The procesregisseur skips several actions with one reason."""
    ids = _ids(request)
    reden = request.POST.get("bulk-reden", "").strip()[:500]
    if not ids:
        messages.error(request, "Kies eerst een of meer acties.")
        return _terug(request)
    if not reden:
        messages.error(request, "Geef een reden op om de acties over te slaan.")
        return _terug(request)
    gelukt, fouten = _per_actie(
        request,
        ids,
        lambda actie_id: services.actie_overslaan(
            actie_id=actie_id, door=request.user, reden=reden
        ),
    )
    if gelukt:
        messages.success(request, f"{gelukt} actie{'s' if gelukt > 1 else ''} overgeslagen.")
    _fouten_tonen(request, fouten)
    return _terug(request)


class UitschrijvingForm(forms.Form):
    datum = forms.DateField(label="Datum uitschrijving", widget=DatumInput())
    reden = forms.ChoiceField(
        label="Reden", choices=[("", "— kies —"), *RedenUitschrijving.choices]
    )


@login_required
@require_POST
def uitschrijving(request, pk: int):
    plaatsing = get_plaatsing_for_user(request.user, pk, write=True)
    form = UitschrijvingForm(request.POST, prefix=f"uit{plaatsing.pk}")
    if not form.is_valid():
        for veld, fouten in form.errors.items():
            for fout in fouten:
                messages.error(request, f"{form.fields[veld].label}: {fout}")
        return redirect("tedoen")
    try:
        uitschrijving_vastleggen(
            plaatsing_id=plaatsing.pk,
            door=request.user,
            einddatum=form.cleaned_data["datum"],
            reden=form.cleaned_data["reden"],
            alleen_nieuw=True,
        )
    except services.RouteFout as fout:
        messages.error(request, str(fout))
    else:
        messages.success(request, "De uitschrijving is vastgelegd; de route staat in uitstroom.")
        wijziging(plaatsing=plaatsing, door=request.user, wat="uitschrijving vastgelegd")
    return redirect("tedoen")
