"""The SWV grants ambulant transition support: hours planned (and used so far)."""

from django import forms

from routetool import route
from routetool.forms import NotitieForm

from . import ActieSoort


class AmbulantForm(NotitieForm):
    uren_gepland = forms.IntegerField(label="Uren gepland", min_value=0, max_value=500, initial=20)
    uren_gebruikt = forms.IntegerField(
        label="Uren gebruikt", min_value=0, max_value=500, required=False
    )


def toepassen(*, plaatsing, actie, gegevens: dict) -> list[str]:
    if gegevens.get("uren_gepland") is None:
        raise route.RouteFout("Vul het aantal geplande uren ambulante begeleiding in.")
    actie.uren_gepland = gegevens["uren_gepland"]
    actie.uren_gebruikt = gegevens.get("uren_gebruikt")
    return ["uren_gepland", "uren_gebruikt"]


def regels(actie) -> list[str]:
    if actie.uren_gepland is None:
        return []
    tekst = f"Uren gepland: {actie.uren_gepland}"
    if actie.uren_gebruikt is not None:
        tekst += f", gebruikt: {actie.uren_gebruikt}"
    return [tekst]


SOORT = ActieSoort(
    naam="ambulant",
    codes=(route.AMBULANT,),
    formulier=AmbulantForm,
    toepassen=toepassen,
    regels=regels,
)
