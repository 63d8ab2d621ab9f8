"""POST endpoints for corrections on the placement page (see routetool/correcties.py)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_POST

from plaatsingen.models import RedenUitschrijving
from plaatsingen.selectors import get_plaatsing_for_user

from . import correcties
from .forms import DatumInput
from .services import RouteFout
from .views import _formfouten, _terug


class UitschrijvingForm(forms.Form):
    einddatum = forms.DateField(label="Datum uitschrijving", widget=DatumInput())
    reden = forms.ChoiceField(label="Reden uitschrijving", choices=RedenUitschrijving.choices)


class LeerlingForm(forms.Form):
    roepnaam = forms.CharField(label="Roepnaam", max_length=80)
    tussenvoegsel = forms.CharField(label="Tussenvoegsel", max_length=40, required=False)
    achternaam = forms.CharField(label="Achternaam", max_length=120)
    geboortedatum = forms.DateField(label="Geboortedatum", required=False, widget=DatumInput())


class HeropenenForm(forms.Form):
    reden = forms.CharField(label="Waarom heropenen?", max_length=300, widget=forms.TextInput())


@login_required
@require_POST
def uitschrijving(request, pk: int):
    plaatsing = get_plaatsing_for_user(request.user, pk, write=True)
    form = UitschrijvingForm(request.POST)
    if not form.is_valid():
        _formfouten(request, form)
        return _terug(plaatsing.pk)
    try:
        correcties.uitschrijving_vastleggen(
            plaatsing_id=plaatsing.pk,
            door=request.user,
            einddatum=form.cleaned_data["einddatum"],
            reden=form.cleaned_data["reden"],
        )
    except RouteFout as fout:
        messages.error(request, str(fout))
    else:
        messages.success(request, "De uitschrijving is vastgelegd.")
    return _terug(plaatsing.pk)


@login_required
@require_POST
def leerling(request, pk: int):
    plaatsing = get_plaatsing_for_user(request.user, pk, write=True)
    form = LeerlingForm(request.POST)
    if not form.is_valid():
        _formfouten(request, form)
        return _terug(plaatsing.pk)
    try:
        gewijzigd = correcties.leerling_corrigeren(
            plaatsing_id=plaatsing.pk, door=request.user, **form.cleaned_data
        )
    except RouteFout as fout:
        messages.error(request, str(fout))
    else:
        messages.success(
            request, "De leerlinggegevens zijn gecorrigeerd." if gewijzigd else "Niets gewijzigd."
        )
    return _terug(plaatsing.pk)


@login_required
@require_POST
def heropenen(request, actie_pk: int):
    from .models import Actie as RouteActie

    plaatsing_id = RouteActie.objects.filter(pk=actie_pk).values_list("plaatsing_id", flat=True)
    plaatsing = get_plaatsing_for_user(request.user, plaatsing_id.first() or 0, write=True)
    form = HeropenenForm(request.POST)
    if not form.is_valid():
        _formfouten(request, form)
        return _terug(plaatsing.pk)
    try:
        correcties.actie_heropenen(
            actie_id=actie_pk, door=request.user, reden=form.cleaned_data["reden"]
        )
    except RouteFout as fout:
        messages.error(request, str(fout))
    else:
        messages.success(request, "De actie staat weer open; de reden staat erbij.")
    return _terug(plaatsing.pk)
