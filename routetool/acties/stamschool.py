"""The SWV records the stamschool (or that there is none) and its contact person."""

from django import forms

from routetool import route
from routetool.forms import BrinField, NotitieForm

from . import ActieSoort


class StamschoolForm(NotitieForm):
    stamschool = BrinField(label="Stamschool (BRIN of naam)", required=False)
    geen_stamschool = forms.BooleanField(label="De leerling heeft geen stamschool", required=False)
    contact_naam = forms.CharField(label="Naam contactpersoon stamschool", required=False)
    contact_email = forms.EmailField(label="E-mail contactpersoon", required=False)
    contact_telefoon = forms.CharField(
        label="Telefoon contactpersoon", required=False, max_length=30
    )


def toepassen(*, plaatsing, actie, gegevens: dict) -> list[str]:
    school = gegevens.get("stamschool")
    geen = bool(gegevens.get("geen_stamschool"))
    if not school and not geen:
        raise route.RouteFout(
            "Kies de stamschool, of geef aan dat de leerling geen stamschool heeft."
        )
    if school and geen:
        raise route.RouteFout("Kies óf een stamschool óf 'geen stamschool', niet allebei.")
    plaatsing.stamschool, plaatsing.geen_stamschool = (None, True) if geen else (school, False)
    plaatsing.save(update_fields=["stamschool", "geen_stamschool", "gewijzigd_op"])
    actie.contact_naam = gegevens.get("contact_naam", "")
    actie.contact_email = gegevens.get("contact_email", "")
    actie.contact_telefoon = gegevens.get("contact_telefoon", "")
    return ["contact_naam", "contact_email", "contact_telefoon"]


def beginwaarden(plaatsing) -> dict:
    """The stamschool the import (or anyone) already set, else that of the pupil's previous
    placement: the school stays the same when a pupil comes back."""
    from plaatsingen.models import Plaatsing

    if plaatsing.geen_stamschool:
        return {"geen_stamschool": True}
    school = plaatsing.stamschool
    if school is None:
        eerder = (
            Plaatsing.objects.filter(leerling_id=plaatsing.leerling_id, stamschool__isnull=False)
            .exclude(pk=plaatsing.pk)
            .select_related("stamschool")
            .order_by("-startdatum", "-pk")
            .first()
        )
        school = eerder.stamschool if eerder else None
    return {"stamschool": str(school)} if school else {}


def regels(actie) -> list[str]:
    contact = " ".join(
        d for d in (actie.contact_naam, actie.contact_email, actie.contact_telefoon) if d
    )
    return [f"Contact stamschool: {contact}"] if contact else []


SOORT = ActieSoort(
    naam="stamschool",
    codes=(route.STAMSCHOOL,),
    formulier=StamschoolForm,
    toepassen=toepassen,
    vrije_tekst_velden=("contact_naam", "contact_email", "contact_telefoon"),
    regels=regels,
    beginwaarden=beginwaarden,
)
