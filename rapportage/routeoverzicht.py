"""The routeoverzicht of one placement (PDF) for the warm handover: timeline, actions, contacts."""

from __future__ import annotations

from django.utils import timezone

from coalitie.models import Lidmaatschap, Rol
from routetool.models import Actie
from routetool.selectors import signalen_van, tijdlijn

from .pdf import render_to_pdf


def routeoverzicht_context(plaatsing) -> dict:
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
    return {
        "plaatsing": plaatsing,
        "leerling": plaatsing.leerling,
        "blokken": tijdlijn(plaatsing),
        "signalen": signalen_van(plaatsing),
        "contactpersonen_swv": [lid.user for lid in contactpersonen_swv],
        "stamschool_contacten": list(stamschool_contacten),
        "gemaakt_op": timezone.localtime(),
    }


def routeoverzicht_pdf(plaatsing) -> bytes:
    return render_to_pdf("rapportage/routeoverzicht_pdf.html", routeoverzicht_context(plaatsing))
