"""The coalition's routekaart edited in the app by its beheerder.

Phases in route order, each action with its deadline, who acts and whether it is required,
next to the shipped default. A change first shows what it does to running routes: from now on
only (phases that start later copy the new values), or also the open actions of running
routes (their deadline is recomputed). Only then is it saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render

from coalitie.beheer.toegang import coalities_voor
from coalitie.models import Coalitie
from coalitie.toegang import is_beheerder

from . import route as rk
from . import signaalvelden
from .models import Actie, ActieStatus, Routekaart, RoutekaartActie, TermijnSoort, Wie
from .services import deadline_berekenen, routekaart_vullen_met_standaard
from .states import Fase

FASE_VOLGORDE = [Fase.INSTROOM, Fase.VERBLIJF, Fase.UITSTROOM, Fase.NAZORG]
STANDAARD = {(s.fase, s.code): s for s in rk.STANDAARD_ROUTEKAART}


def _coalitie(user, pk) -> Coalitie:
    if not is_beheerder(user):
        raise PermissionDenied("De routekaart wordt gewijzigd door de beheerder van de coalitie.")
    coalitie = coalities_voor(user).filter(pk=pk).first()
    if coalitie is None:
        raise Http404("Deze coalitie bestaat niet of u beheert haar niet.")
    return coalitie


def acties_van(coalitie) -> list:
    kaart = Routekaart.objects.filter(coalitie=coalitie).first()
    if kaart is None:
        return list(rk.STANDAARD_ROUTEKAART)
    return list(kaart.acties.all())


def termijn_tekst(soort: str, aantal: int) -> str:
    label = TermijnSoort(soort).label
    if soort in (TermijnSoort.VOOR_UITSTROOMDATUM,):
        return label
    return f"{aantal} {label}"


def _regel(a) -> dict:
    s = STANDAARD.get((a.fase, a.code))
    waarden = (a.omschrijving, a.wie, a.termijn_soort, a.aantal, a.verplicht)
    return {
        "code": a.code,
        "omschrijving": a.omschrijving,
        "wie": Wie(a.wie).label,
        "termijn": termijn_tekst(a.termijn_soort, a.aantal),
        "verplicht": a.verplicht,
        "actief": getattr(a, "actief", True),
        "standaard": (
            f"{Wie(s.wie).label}, {termijn_tekst(s.termijn_soort, s.aantal)}, "
            f"{'verplicht' if s.verplicht else 'niet verplicht'}"
            if s
            else "eigen actie van de coalitie"
        ),
        "afwijkend": s is None
        or waarden != (s.omschrijving, s.wie, s.termijn_soort, s.aantal, s.verplicht),
    }


def per_fase(acties) -> list[dict]:
    """The phases in route order (not alphabetical), each with its actions in their order."""
    return [
        {
            "fase": fase,
            "label": Fase(fase).label,
            "acties": [
                _regel(a)
                for a in sorted(
                    (a for a in acties if a.fase == fase), key=lambda a: (a.volgorde, a.code)
                )
            ],
        }
        for fase in FASE_VOLGORDE
    ]


class ActieForm(forms.Form):
    omschrijving = forms.CharField(label="Omschrijving", max_length=300)
    wie = forms.ChoiceField(
        label="Wie doet het",
        choices=Wie.choices,
        help_text="Bij een ketenpartner (stamschool, vervolgschool, ambulant begeleider, GI, "
        "zorgaanbieder) doet het SWV de actie namens de partner zolang die niet zelf in de "
        "Routetool werkt.",
    )
    termijn_soort = forms.ChoiceField(label="Soort termijn", choices=TermijnSoort.choices)
    aantal = forms.IntegerField(label="Termijn (aantal)", min_value=0, max_value=365)
    verplicht = forms.BooleanField(label="Verplicht om de fase te verlaten", required=False)
    actief = forms.BooleanField(label="In gebruik", required=False)
    toepassen = forms.ChoiceField(
        label="Wat gebeurt er met lopende routes?",
        choices=[
            ("nieuw", "Alleen vanaf nu: fasen die later beginnen krijgen de nieuwe waarden"),
            ("open", "Ook de open acties van lopende routes aanpassen (termijn opnieuw berekend)"),
        ],
        widget=forms.RadioSelect,
        initial="nieuw",
    )


@dataclass
class Effect:
    open_acties: int
    gewijzigde_termijnen: int
    voorbeeld: list  # (plaatsing id, old deadline, new deadline) for a few


def _open_acties(coalitie, fase, code):
    return (
        Actie.objects.filter(
            plaatsing__instellingsschool__coalitie=coalitie,
            fase=fase,
            code=code,
            status=ActieStatus.OPEN,
        )
        .exclude(plaatsing__fase="afgesloten")
        .select_related("plaatsing")
    )


def effect_berekenen(coalitie, fase, code, data) -> Effect:
    acties = list(_open_acties(coalitie, fase, code))
    gewijzigd, voorbeeld = 0, []
    for a in acties:
        nieuw = deadline_berekenen(
            data["termijn_soort"], data["aantal"], a.plaatsing, a.plaatsing.fase_sinds
        )
        if nieuw != a.deadline:
            gewijzigd += 1
            if len(voorbeeld) < 5:
                voorbeeld.append((a.plaatsing_id, a.deadline, nieuw))
    return Effect(len(acties), gewijzigd, voorbeeld)


def routekaart_actie_wijzigen(*, door, coalitie, fase, code, data, ook_open: bool) -> int:
    """Save the coalition's value of one action (its own routekaart is made from the defaults
    first if it has none); with `ook_open`, also the open actions of running routes. Returns the
    number of open actions changed."""
    if coalitie.pk not in {c.pk for c in coalities_voor(door)}:
        raise PermissionDenied("U beheert deze coalitie niet.")
    with transaction.atomic():
        kaart, nieuw = Routekaart.objects.select_for_update().get_or_create(coalitie=coalitie)
        if nieuw or not kaart.acties.exists():
            routekaart_vullen_met_standaard(routekaart=kaart)
        actie = RoutekaartActie.objects.select_for_update().get(
            routekaart=kaart, fase=fase, code=code
        )
        velden = ["omschrijving", "wie", "termijn_soort", "aantal", "verplicht", "actief"]
        for veld in velden:
            setattr(actie, veld, data[veld])
        actie.save(update_fields=velden)
        kaart.save(update_fields=["gewijzigd_op"])
        if not ook_open:
            return 0
        open_acties = list(_open_acties(coalitie, fase, code).select_for_update(of=("self",)))
        for a in open_acties:
            a.omschrijving, a.wie, a.verplicht = (
                data["omschrijving"],
                data["wie"],
                data["verplicht"],
            )
            a.termijn_soort, a.aantal = data["termijn_soort"], data["aantal"]
            a.deadline = deadline_berekenen(
                a.termijn_soort, a.aantal, a.plaatsing, a.plaatsing.fase_sinds
            )
        Actie.objects.bulk_update(
            open_acties,
            ["omschrijving", "wie", "verplicht", "termijn_soort", "aantal", "deadline"],
            batch_size=500,
        )
        signaalvelden.bijwerken({a.plaatsing_id for a in open_acties})
    return len(open_acties)


@login_required
def routekaart(request, coalitie_pk: int):
    coalitie = _coalitie(request.user, coalitie_pk)
    acties = acties_van(coalitie)
    return render(
        request,
        "beheer/routekaart.html",
        {
            "coalitie": coalitie,
            "fasen": per_fase(acties),
            "eigen": Routekaart.objects.filter(coalitie=coalitie).exists(),
        },
    )


@login_required
def routekaart_actie(request, coalitie_pk: int, fase: str, code: str):
    coalitie = _coalitie(request.user, coalitie_pk)
    huidig = next((a for a in acties_van(coalitie) if a.fase == fase and a.code == code), None)
    if huidig is None:
        raise Http404("Deze actie staat niet op de routekaart.")
    initial = {
        "omschrijving": huidig.omschrijving,
        "wie": huidig.wie,
        "termijn_soort": huidig.termijn_soort,
        "aantal": huidig.aantal,
        "verplicht": huidig.verplicht,
        "actief": getattr(huidig, "actief", True),
        "toepassen": "nieuw",
    }
    form = ActieForm(request.POST or None, initial=initial)
    effect = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        effect = effect_berekenen(coalitie, fase, code, data)
        if request.POST.get("bevestigd") == "1":
            aantal = routekaart_actie_wijzigen(
                door=request.user,
                coalitie=coalitie,
                fase=fase,
                code=code,
                data=data,
                ook_open=data["toepassen"] == "open",
            )
            tekst = "De routekaart is opgeslagen"
            if aantal:
                tekst += f"; {aantal} open acties van lopende routes aangepast"
            messages.success(request, tekst + ".")
            return redirect("routetool:routekaart", coalitie_pk=coalitie.pk)
    return render(
        request,
        "beheer/routekaart_actie.html",
        {
            "coalitie": coalitie,
            "actie": _regel(huidig),
            "fase_label": Fase(fase).label,
            "form": form,
            "effect": effect,
        },
    )
