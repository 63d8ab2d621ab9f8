"""The samenwerkingsovereenkomst between stamschool and instellingsschool is signed: on which
date and by whom (name and function of the signatories, as the parties write them).

Its data lives in `Actie.gegevens` ({"datum": "jjjj-mm-dd", "ondertekend_door": "..."}), so this
kind needed no column and no migration. Who signed is free text naming people: retention
empties it; the date stays (a fact about the route, not about the pupil).
"""

import datetime as dt

from django import forms
from django.utils import timezone

from routetool import route
from routetool.forms import DatumInput, NotitieForm

from . import ActieSoort


class OvereenkomstForm(NotitieForm):
    ondertekend_op = forms.DateField(label="Datum ondertekening", widget=DatumInput())
    ondertekend_door = forms.CharField(
        label="Ondertekend door (namen en functies, stamschool en instellingsschool)",
        max_length=200,
    )


def toepassen(*, plaatsing, actie, gegevens: dict) -> list[str]:
    datum: dt.date | None = gegevens.get("ondertekend_op")
    door = (gegevens.get("ondertekend_door") or "").strip()
    if datum is None or not door:
        raise route.RouteFout("Vul de datum van ondertekening in en wie hebben ondertekend.")
    if datum > timezone.localdate():
        raise route.RouteFout("De datum van ondertekening ligt in de toekomst.")
    if datum < plaatsing.startdatum - dt.timedelta(days=365):
        raise route.RouteFout("De datum van ondertekening ligt te ver vóór de plaatsing.")
    actie.gegevens = {**actie.gegevens, "datum": datum.isoformat(), "ondertekend_door": door}
    return ["gegevens"]


def regels(actie) -> list[str]:
    datum = actie.gegevens.get("datum")
    if not datum:
        return []
    tekst = f"Ondertekend op {dt.date.fromisoformat(datum):%d-%m-%Y}"
    if door := actie.gegevens.get("ondertekend_door"):
        tekst += f" door {door}"
    return [tekst]


SOORT = ActieSoort(
    naam="overeenkomst",
    codes=(route.OVEREENKOMST,),
    formulier=OvereenkomstForm,
    toepassen=toepassen,
    vrije_tekst_gegevens=("ondertekend_door",),
    regels=regels,
)
