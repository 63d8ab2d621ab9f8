"""The stamschool joins the progress meeting (every 3 months during verblijf): on which date,
and whether it was there. Recorded by the stamschool, or by the SWV for it. Data in
`Actie.gegevens` ({"datum": "jjjj-mm-dd", "aanwezig": "ja"|"nee"}): facts, no free text."""

import datetime as dt

from django import forms
from django.utils import timezone

from routetool import route
from routetool.forms import DatumInput, NotitieForm

from . import ActieSoort


class VoortgangForm(NotitieForm):
    datum = forms.DateField(label="Datum voortgangsgesprek", widget=DatumInput())
    aanwezig = forms.ChoiceField(
        label="Was de stamschool aanwezig?",
        choices=[("ja", "ja"), ("nee", "nee")],
        widget=forms.RadioSelect,
    )


def toepassen(*, plaatsing, actie, gegevens: dict) -> list[str]:
    datum: dt.date | None = gegevens.get("datum")
    aanwezig = gegevens.get("aanwezig") or ""
    if datum is None or aanwezig not in ("ja", "nee"):
        raise route.RouteFout("Vul de datum van het gesprek in en of de stamschool aanwezig was.")
    if datum > timezone.localdate():
        raise route.RouteFout("De datum van het gesprek ligt in de toekomst.")
    if datum < plaatsing.startdatum:
        raise route.RouteFout("De datum van het gesprek ligt vóór de start van de plaatsing.")
    actie.gegevens = {**actie.gegevens, "datum": datum.isoformat(), "aanwezig": aanwezig}
    return ["gegevens"]


def regels(actie) -> list[str]:
    datum = actie.gegevens.get("datum")
    if not datum:
        return []
    wel = "aanwezig" if actie.gegevens.get("aanwezig") == "ja" else "niet aanwezig"
    return [f"Gesprek op {dt.date.fromisoformat(datum):%d-%m-%Y}: stamschool {wel}"]


SOORT = ActieSoort(
    naam="voortgang",
    codes=(route.VOORTGANG_STAMSCHOOL,),
    formulier=VoortgangForm,
    toepassen=toepassen,
    regels=regels,
)
