"""The vervolgschool accepts the warme overdracht: it has read the overdrachtsprofiel and
takes the pupil on with the support agreed. Done by the vervolgschool's deelnemer, or by the
SWV for a school not in the app. Data in `Actie.gegevens` ({"geaccepteerd": true})."""

from django import forms

from routetool import route
from routetool.forms import NotitieForm

from . import ActieSoort


class OverdrachtForm(NotitieForm):
    geaccepteerd = forms.BooleanField(
        label="De vervolgschool accepteert de overdracht en de afgesproken ondersteuning",
        required=False,
    )


def toepassen(*, plaatsing, actie, gegevens: dict) -> list[str]:
    if not gegevens.get("geaccepteerd"):
        raise route.RouteFout("Vink aan dat de vervolgschool de overdracht accepteert.")
    actie.gegevens = {**actie.gegevens, "geaccepteerd": True}
    return ["gegevens"]


def regels(actie) -> list[str]:
    return ["Overdracht geaccepteerd."] if actie.gegevens.get("geaccepteerd") else []


SOORT = ActieSoort(
    naam="overdracht",
    codes=(route.OVERDRACHT_GEACCEPTEERD,),
    formulier=OverdrachtForm,
    toepassen=toepassen,
    regels=regels,
)
