"""The routeoverzicht of one placement (PDF) for the warm handover: timeline, actions, contacts
(the casusregisseur and the partners invited now, too) and the overdrachtsprofiel (for those whose route role may read it: `route.mag_profiel_zien`)."""

from __future__ import annotations

from django.utils import timezone

from coalitie.models import Lidmaatschap, Rol
from coalitie.toegang import route_rollen
from plaatsingen.deelnemers import actief_q
from plaatsingen.models import Deelnemer
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
    stamschool_contacten = _stamschool_contacten(plaatsing)
    # Who is at the table at handover: the live invitations (revoked or expired ones are history
    # and stay on the placement page).
    deelnemers = (
        Deelnemer.objects.filter(actief_q(timezone.localdate()), plaatsing=plaatsing)
        .select_related("user")
        .order_by("soort", "organisatie", "naam", "pk")
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
        "stamschool_contacten": stamschool_contacten,
        "casusregisseur": plaatsing.casusregisseur,
        "deelnemers": list(deelnemers),
        "gemaakt_op": timezone.localtime(),
    }


CONTACT_VELDEN = ("contact_naam", "contact_email", "contact_telefoon")


def _stamschool_contacten(plaatsing) -> list[dict]:
    """The stamschool's contact as the school itself confirmed it (its own action keeps it in
    `gegevens`), then as the SWV recorded it (columns of the stamschool action); once each."""
    bevestigd = Actie.objects.filter(
        plaatsing=plaatsing, code=route.STAMSCHOOL_BEVESTIGT, gegevens__has_key="contact_naam"
    ).values_list("gegevens", flat=True)
    vastgelegd = (
        Actie.objects.filter(plaatsing=plaatsing)
        .exclude(contact_naam="", contact_email="", contact_telefoon="")
        .values(*CONTACT_VELDEN)
    )
    contacten = []
    for contact in [*bevestigd, *vastgelegd]:
        contact = {k: (contact.get(k) or "") for k in CONTACT_VELDEN}
        if any(contact.values()) and contact not in contacten:
            contacten.append(contact)
    return contacten


def routeoverzicht_pdf(plaatsing, user=None) -> bytes:
    return render_to_pdf(
        "rapportage/routeoverzicht_pdf.html", routeoverzicht_context(plaatsing, user)
    )
