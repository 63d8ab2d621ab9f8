"""Nazorg: does the pupil attend the vervolgplek? (The latest answer feeds thuiszitrisico.)"""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone

from routetool import route
from routetool.forms import NotitieForm
from routetool.models import NazorgAntwoord

from . import ActieSoort


class NazorgForm(NotitieForm):
    nazorg_antwoord = forms.ChoiceField(
        label="Gaat de leerling naar de vervolgplek?",
        choices=NazorgAntwoord.choices,
        widget=forms.RadioSelect,
    )


def _op_zijn_tijd(plaatsing, actie) -> None:
    """The follow-up answers whether the pupil still attends after 6 weeks (3 months): given
    on the first day at the vervolgplek it says nothing, so it is refused until then."""
    start = plaatsing.vervolgplek_startdatum
    if start is None:
        raise route.RouteFout("Leg eerst de startdatum op de vervolgplek vast.")
    if actie.code == route.NAZORG_6W:
        vanaf, wanneer = start + dt.timedelta(weeks=6), "6 weken"
    elif actie.code == route.NAZORG_3M:
        vanaf, wanneer = start + relativedelta(months=3), "3 maanden"
    else:
        return
    if timezone.localdate() < vanaf:
        raise route.RouteFout(
            f"Deze vraag kan vanaf {vanaf:%d-%m-%Y} worden beantwoord ({wanneer} na de start "
            "op de vervolgplek)."
        )


def toepassen(*, plaatsing, actie, gegevens: dict) -> list[str]:
    _op_zijn_tijd(plaatsing, actie)
    antwoord = gegevens.get("nazorg_antwoord", "")
    if antwoord not in NazorgAntwoord.values:
        raise route.RouteFout("Kies of de leerling naar de vervolgplek gaat: ja, deels of nee.")
    actie.nazorg_antwoord = antwoord
    return ["nazorg_antwoord"]


def regels(actie) -> list[str]:
    return [f"Nazorg: {actie.get_nazorg_antwoord_display()}"] if actie.nazorg_antwoord else []


SOORT = ActieSoort(
    naam="nazorg",
    codes=(route.NAZORG_6W, route.NAZORG_3M),
    formulier=NazorgForm,
    toepassen=toepassen,
    regels=regels,
)
