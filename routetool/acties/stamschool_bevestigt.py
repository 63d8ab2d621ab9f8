"""The stamschool itself confirms who its contact person is and whether the pupil stays
enrolled there ("dat de jongere bij die school ingeschreven blijft staan"). Done by the
stamschool's deelnemer, or by the SWV for a stamschool not in the app.

Not the SWV's own recording of the stamschool (`acties/stamschool.py`): that one says which
school it is; this one is the school's answer. Its data lives in `Actie.gegevens`
({"contact_naam", "contact_email", "contact_telefoon", "blijft_ingeschreven": "ja"|"nee"}), so
no column and no migration; the contact is free text naming a person: retention empties it.
"""

from django import forms

from routetool import route
from routetool.forms import NotitieForm

from . import ActieSoort

INGESCHREVEN_KEUZES = [
    ("ja", "ja, de leerling blijft bij de stamschool ingeschreven"),
    ("nee", "nee, de leerling wordt uitgeschreven"),
]


class StamschoolBevestigtForm(NotitieForm):
    contact_naam = forms.CharField(label="Naam contactpersoon", required=False, max_length=120)
    contact_email = forms.EmailField(label="E-mail contactpersoon", required=False)
    contact_telefoon = forms.CharField(
        label="Telefoon contactpersoon", required=False, max_length=30
    )
    blijft_ingeschreven = forms.ChoiceField(
        label="Blijft de leerling bij de stamschool ingeschreven?",
        choices=INGESCHREVEN_KEUZES,
        widget=forms.RadioSelect,
        required=False,
    )


def toepassen(*, plaatsing, actie, gegevens: dict) -> list[str]:
    if plaatsing.geen_stamschool:
        # Nothing to confirm: the SWV recorded that the pupil has no stamschool.
        actie.gegevens = {**actie.gegevens, "geen_stamschool": True}
        return ["gegevens"]
    naam = (gegevens.get("contact_naam") or "").strip()
    email = (gegevens.get("contact_email") or "").strip()
    telefoon = (gegevens.get("contact_telefoon") or "").strip()
    ingeschreven = gegevens.get("blijft_ingeschreven") or ""
    if not naam or not (email or telefoon):
        raise route.RouteFout(
            "Vul de naam van de contactpersoon in en een e-mailadres of telefoonnummer."
        )
    if ingeschreven not in ("ja", "nee"):
        raise route.RouteFout("Geef aan of de leerling bij de stamschool ingeschreven blijft.")
    actie.gegevens = {
        **actie.gegevens,
        "contact_naam": naam,
        "contact_email": email,
        "contact_telefoon": telefoon,
        "blijft_ingeschreven": ingeschreven,
    }
    return ["gegevens"]


def regels(actie) -> list[str]:
    g = actie.gegevens
    if g.get("geen_stamschool"):
        return ["Geen stamschool: niets te bevestigen."]
    regels = []
    contact = " ".join(
        g.get(k, "") for k in ("contact_naam", "contact_email", "contact_telefoon") if g.get(k)
    )
    if contact:
        regels.append(f"Contactpersoon stamschool: {contact}")
    if g.get("blijft_ingeschreven") == "ja":
        regels.append("De leerling blijft bij de stamschool ingeschreven.")
    elif g.get("blijft_ingeschreven") == "nee":
        regels.append("De leerling wordt bij de stamschool uitgeschreven.")
    return regels


SOORT = ActieSoort(
    naam="stamschool_bevestigt",
    codes=(route.STAMSCHOOL_BEVESTIGT,),
    formulier=StamschoolBevestigtForm,
    toepassen=toepassen,
    vrije_tekst_gegevens=("contact_naam", "contact_email", "contact_telefoon"),
    regels=regels,
)
