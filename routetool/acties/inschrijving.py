"""The vervolgschool confirms the enrolment itself: the pupil is enrolled from this date. Done
by the vervolgschool's deelnemer, or by the SWV for one not in the app (as before issue 17).

The date is the school's word on when the pupil starts, so it corrects the vervolgplek's
start date the SWV recorded earlier (nazorg's deadlines count from it, and nazorg has not
started yet: this action belongs to uitstroom). Kept in `Actie.gegevens` too
({"ingeschreven_per": "jjjj-mm-dd"}) for the timeline.
"""

import datetime as dt

from django import forms

from routetool import route
from routetool.forms import DatumInput, NotitieForm

from . import ActieSoort


class InschrijvingForm(NotitieForm):
    ingeschreven_per = forms.DateField(label="Ingeschreven per", widget=DatumInput())


def toepassen(*, plaatsing, actie, gegevens: dict) -> list[str]:
    datum: dt.date | None = gegevens.get("ingeschreven_per")
    if datum is None:
        raise route.RouteFout("Vul de datum in waarop de leerling is ingeschreven.")
    if not plaatsing.vervolgplek_soort:
        raise route.RouteFout("Leg eerst de vervolgplek vast.")
    if datum < plaatsing.startdatum:
        raise route.RouteFout("De inschrijvingsdatum ligt vóór de start van de plaatsing.")
    if plaatsing.vervolgplek_startdatum != datum:
        plaatsing.vervolgplek_startdatum = datum
        plaatsing.save(update_fields=["vervolgplek_startdatum", "gewijzigd_op"])
    actie.gegevens = {**actie.gegevens, "ingeschreven_per": datum.isoformat()}
    return ["gegevens"]


def regels(actie) -> list[str]:
    datum = actie.gegevens.get("ingeschreven_per")
    return [f"Ingeschreven per {dt.date.fromisoformat(datum):%d-%m-%Y}"] if datum else []


SOORT = ActieSoort(
    naam="inschrijving",
    codes=(route.INSCHRIJVING_BEVESTIGD,),
    formulier=InschrijvingForm,
    toepassen=toepassen,
    regels=regels,
)
