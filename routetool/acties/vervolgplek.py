"""The SWV records where the pupil goes after uitstroom; written on the placement, as the
route's guard (nazorg) and the thuiszitrisico signal read it there."""

from django import forms

from plaatsingen.models import VervolgplekSoort
from routetool import route
from routetool.forms import BrinField, DatumInput, NotitieForm

from . import ActieSoort


class VervolgplekForm(NotitieForm):
    vervolgplek_soort = forms.ChoiceField(
        label="Soort vervolgplek", choices=[("", "— kies —"), *VervolgplekSoort.choices]
    )
    vervolgschool = BrinField(
        label="Vervolgschool (BRIN of naam), bij soort school", required=False
    )
    vervolgplek_omschrijving = forms.CharField(
        label="Omschrijving (bv. naam mbo-opleiding of werkgever)", required=False, max_length=200
    )
    vervolgplek_startdatum = forms.DateField(
        label="Startdatum op de vervolgplek", required=False, widget=DatumInput()
    )


def vervolgplek_vastleggen(
    *, plaatsing, soort: str, school, omschrijving: str, startdatum, startdatum_verplicht: bool
) -> None:
    if soort not in VervolgplekSoort.values:
        raise route.RouteFout("Kies de soort vervolgplek: school, mbo, arbeid of dagbesteding.")
    if soort == VervolgplekSoort.SCHOOL and not school:
        raise route.RouteFout("Kies de vervolgschool (BRIN).")
    if startdatum_verplicht and not startdatum:
        raise route.RouteFout("Vul de startdatum op de vervolgplek in.")
    plaatsing.vervolgplek_soort = soort
    plaatsing.vervolgschool = school if soort == VervolgplekSoort.SCHOOL else None
    plaatsing.vervolgplek_omschrijving = omschrijving or ""
    plaatsing.vervolgplek_startdatum = startdatum
    plaatsing.save(
        update_fields=[
            "vervolgplek_soort",
            "vervolgschool",
            "vervolgplek_omschrijving",
            "vervolgplek_startdatum",
            "gewijzigd_op",
        ]
    )


def toepassen(*, plaatsing, actie, gegevens: dict) -> list[str]:
    vervolgplek_vastleggen(
        plaatsing=plaatsing,
        soort=gegevens.get("vervolgplek_soort", ""),
        school=gegevens.get("vervolgschool"),
        omschrijving=gegevens.get("vervolgplek_omschrijving", ""),
        startdatum=gegevens.get("vervolgplek_startdatum"),
        # "In beeld" may not know the date yet; the uitstroom action must.
        startdatum_verplicht=actie.code == route.VERVOLGPLEK,
    )
    return []


def beginwaarden(plaatsing) -> dict:
    """What 'vervolgplek in beeld' already wrote on the placement: the final action only
    confirms or corrects it (and adds the start date)."""
    if not plaatsing.vervolgplek_soort:
        return {}
    return {
        "vervolgplek_soort": plaatsing.vervolgplek_soort,
        "vervolgschool": str(plaatsing.vervolgschool) if plaatsing.vervolgschool_id else "",
        "vervolgplek_omschrijving": plaatsing.vervolgplek_omschrijving,
        "vervolgplek_startdatum": plaatsing.vervolgplek_startdatum,
    }


SOORT = ActieSoort(
    naam="vervolgplek",
    codes=(route.VERVOLGPLEK_IN_BEELD, route.VERVOLGPLEK),
    formulier=VervolgplekForm,
    toepassen=toepassen,
    beginwaarden=beginwaarden,
)
