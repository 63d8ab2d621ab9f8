"""The chain around one pupil on the placement page (issue 17): naming the casusregisseur,
inviting and revoking deelnemers, and the deelnemer's own start page. Access: 404 through
`get_plaatsing_for_user`, the role in `coalitie.toegang` (403), the work in
`plaatsingen.deelnemers` (services with row locks)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from coalitie import toegang
from coalitie.selectors import scope_van
from plaatsingen import deelnemers
from plaatsingen.models import Deelnemer, Plaatsing
from plaatsingen.selectors import get_plaatsing_for_user

from .models import Actie, ActieStatus
from .states import OPEN_FASEN


class CasusregisseurForm(forms.Form):
    casusregisseur = forms.ModelChoiceField(
        label="Casusregisseur", queryset=None, required=False, empty_label="— niemand —"
    )

    def __init__(self, *args, plaatsing, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["casusregisseur"].queryset = deelnemers.swv_kandidaten(plaatsing).order_by(
            "first_name", "last_name", "email"
        )
        self.fields["casusregisseur"].label_from_instance = lambda u: u.get_full_name() or u.email
        self.fields["casusregisseur"].initial = plaatsing.casusregisseur_id


class UitnodigenForm(forms.Form):
    naam = forms.CharField(label="Naam", max_length=120)
    email = forms.EmailField(label="E-mailadres")
    organisatie = forms.CharField(label="Organisatie", max_length=200)
    soort = forms.ChoiceField(
        label="Soort deelnemer", choices=[(r.value, r.label) for r in toegang.PARTNER_ROLLEN]
    )


def keten_context(user, plaatsing) -> dict:
    """What the placement page shows of the chain, and which forms this user gets."""
    mag_toewijzen = toegang.mag_casusregisseur_toewijzen(user, plaatsing) and plaatsing.is_open
    mag_uitnodigen = toegang.mag_deelnemers_beheren(user, plaatsing)
    alleen_deelnemer = toegang.is_alleen_deelnemer(user)
    return {
        "alleen_deelnemer": alleen_deelnemer,
        "casusregisseur_form": CasusregisseurForm(plaatsing=plaatsing) if mag_toewijzen else None,
        "uitnodigen_form": UitnodigenForm() if mag_uitnodigen and plaatsing.is_open else None,
        "mag_intrekken": mag_uitnodigen,
        # A deelnemer sees who else works on this pupil's route by organisation only.
        "deelnemers": list(deelnemers.deelnemers_van(plaatsing)) if not alleen_deelnemer else [],
    }


def _fouten(request, fout: ValidationError) -> None:
    for tekst in fout.messages:
        messages.error(request, tekst)


@login_required
@require_POST
def casusregisseur(request, pk: int):
    plaatsing = get_plaatsing_for_user(request.user, pk)
    if not toegang.mag_casusregisseur_toewijzen(request.user, plaatsing):
        raise toegang.Geweigerd("Alleen het SWV of de procesregisseur wijst de casusregisseur toe.")
    form = CasusregisseurForm(request.POST, plaatsing=plaatsing)
    if not form.is_valid():
        messages.error(request, "Kies een contactpersoon van het verantwoordelijke SWV.")
        return redirect("plaatsingen:detail", pk=plaatsing.pk)
    try:
        deelnemers.casusregisseur_toewijzen(
            plaatsing_id=plaatsing.pk,
            casusregisseur=form.cleaned_data["casusregisseur"],
            door=request.user,
        )
    except ValidationError as fout:
        _fouten(request, fout)
    else:
        messages.success(request, "De casusregisseur is vastgelegd.")
    return redirect("plaatsingen:detail", pk=plaatsing.pk)


@login_required
@require_POST
def uitnodigen(request, pk: int):
    plaatsing = get_plaatsing_for_user(request.user, pk)
    if not toegang.mag_deelnemers_beheren(request.user, plaatsing):
        raise toegang.Geweigerd("Alleen de casusregisseur of de procesregisseur nodigt uit.")
    form = UitnodigenForm(request.POST)
    if not form.is_valid():
        for veld, fouten in form.errors.items():
            for fout in fouten:
                messages.error(request, f"{form.fields[veld].label}: {fout}")
        return redirect("plaatsingen:detail", pk=plaatsing.pk)
    try:
        deelnemers.deelnemer_uitnodigen(
            plaatsing_id=plaatsing.pk, door=request.user, request=request, **form.cleaned_data
        )
    except ValidationError as fout:
        _fouten(request, fout)
    else:
        messages.success(request, "De uitnodiging is verstuurd.")
    return redirect("plaatsingen:detail", pk=plaatsing.pk)


@login_required
@require_POST
def intrekken(request, pk: int):
    plaatsing_id = Deelnemer.objects.filter(pk=pk).values_list("plaatsing_id", flat=True).first()
    if plaatsing_id is None:
        raise Http404("Deze deelnemer bestaat niet of u heeft er geen toegang toe.")
    plaatsing = get_plaatsing_for_user(request.user, plaatsing_id)
    if not toegang.mag_deelnemers_beheren(request.user, plaatsing):
        raise toegang.Geweigerd("Alleen de casusregisseur of de procesregisseur trekt in.")
    try:
        deelnemers.deelnemer_intrekken(deelnemer_id=pk, door=request.user, request=request)
    except PermissionDenied:
        raise
    messages.success(request, "De toegang van de deelnemer is ingetrokken.")
    return redirect("plaatsingen:detail", pk=plaatsing.pk)


@login_required
@require_GET
def start(request):
    """A deelnemer's start page: the placements they are invited to now and their own open
    actions there (wie = their soort). No counts over anything else."""
    scope = scope_van(request.user)
    if not scope.is_deelnemer and (scope.rollen or scope.is_superuser):
        return redirect("tedoen")  # the coalition's roles start on their Te doen
    uitnodigingen = list(deelnemers.uitnodigingen_van(request.user))
    rollen = {d.plaatsing_id: set() for d in uitnodigingen}
    for d in uitnodigingen:
        rollen[d.plaatsing_id].add(d.soort)
    acties = [
        a
        for a in Actie.objects.filter(
            plaatsing_id__in=list(rollen),
            status=ActieStatus.OPEN,
            plaatsing__fase__in=OPEN_FASEN,
        )
        .select_related("plaatsing")
        .order_by("deadline", "pk")
        if a.wie in rollen[a.plaatsing_id] and a.fase == a.plaatsing.fase
    ]
    # As on the coalition's Te doen: what is overdue says so, and by how much.
    vandaag = timezone.localdate()
    for a in acties:
        a.dagen_te_laat = (vandaag - a.deadline).days if a.deadline else 0
    return render(
        request,
        "routetool/deelnemer_start.html",
        {"uitnodigingen": uitnodigingen, "acties": acties},
    )


__all__ = ["Plaatsing", "casusregisseur", "intrekken", "keten_context", "start", "uitnodigen"]
