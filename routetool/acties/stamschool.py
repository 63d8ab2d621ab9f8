"""The SWV records the stamschool (or that there is none) and its contact person.

With a contact e-mail the stamschool is told at the start (issue 17): the mail without personal
data, and — when the SWV ticks the box — an invitation as deelnemer of this one placement.
"""

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
    als_deelnemer = forms.BooleanField(
        label="Contactpersoon uitnodigen als deelnemer van deze plaatsing",
        required=False,
        help_text="Dan ziet de stamschool deze plaatsing in de Routetool en doet zij haar eigen "
        "acties. Zonder vinkje krijgt zij alleen een bericht (zonder leerlinggegevens).",
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
    if actie.contact_email and school:
        _stamschool_informeren(plaatsing, school, actie, bool(gegevens.get("als_deelnemer")))
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


def _stamschool_informeren(plaatsing, school, actie, als_deelnemer: bool) -> None:
    from coalitie.toegang import SYSTEEM, RouteRol
    from plaatsingen import deelnemers

    if not als_deelnemer:
        deelnemers.stamschool_informeren(email=actie.contact_email)
        return
    # The SWV's right to do this action was checked by actie_afronden; the invitation itself is
    # the system's consequence of it (this hook gets no actor).
    if deelnemers.is_al_deelnemer(plaatsing_id=plaatsing.pk, email=actie.contact_email):
        return
    deelnemers.deelnemer_uitnodigen(
        plaatsing_id=plaatsing.pk,
        naam=actie.contact_naam or actie.contact_email,
        email=actie.contact_email,
        organisatie=getattr(school, "naam", "") or str(school),
        soort=RouteRol.STAMSCHOOL,
        door=SYSTEEM,
    )


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
