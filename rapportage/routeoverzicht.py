"""The routeoverzicht of one placement (PDF) for the warm handover: timeline, actions, contacts
and the overdrachtsprofiel (for those whose route role may read it: `route.mag_profiel_zien`)."""

from __future__ import annotations

from django.utils import timezone

from coalitie.models import Lidmaatschap, Rol
from coalitie.toegang import route_rollen
from routetool import acties, route
from routetool.models import Actie, Overdrachtsprofiel
from routetool.selectors import signalen_van, tijdlijn

from .pdf import render_to_pdf


def routeoverzicht_context(plaatsing, user=None) -> dict:
    contactpersonen_swv = (
        Lidmaatschap.objects.filter(
            rol=Rol.SWV_CONTACTPERSOON,
            swv_id=plaatsing.verantwoordelijk_swv_id,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user__last_name", "user__email")
    )
    stamschool_contacten = (
        Actie.objects.filter(plaatsing=plaatsing)
        .exclude(contact_naam="", contact_email="", contact_telefoon="")
        .values("contact_naam", "contact_email", "contact_telefoon")
        .distinct()
    )
    blokken = tijdlijn(plaatsing)
    for blok in blokken:
        for actie in blok["acties"]:
            # What each kind recorded (the stamschool's contact, the signatories, ...).
            actie.gegevens_regels = acties.soort_van(actie.code).regels(actie)
    profiel = None
    if user is not None and route.mag_profiel_zien(route_rollen(user, plaatsing)):
        profiel = Overdrachtsprofiel.objects.filter(plaatsing=plaatsing).first()
    return {
        "profiel": profiel,
        "profiel_velden": [
            (Overdrachtsprofiel._meta.get_field(v).verbose_name, getattr(profiel, v))
            if v != "examenuitslag"
            else ("examenstatus", profiel.get_examenuitslag_display())
            for v in Overdrachtsprofiel.INHOUD
        ]
        if profiel
        else [],
        "plaatsing": plaatsing,
        "leerling": plaatsing.leerling,
        "blokken": blokken,
        "signalen": signalen_van(plaatsing),
        "contactpersonen_swv": [lid.user for lid in contactpersonen_swv],
        "stamschool_contacten": list(stamschool_contacten),
        "gemaakt_op": timezone.localtime(),
    }


def routeoverzicht_pdf(plaatsing, user=None) -> bytes:
    return render_to_pdf(
        "rapportage/routeoverzicht_pdf.html", routeoverzicht_context(plaatsing, user)
    )
