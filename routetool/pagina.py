"""What the placement page needs from the route: timeline, signals, and the forms this user may
use now (a button only appears when the user may press it)."""

from __future__ import annotations

from .acties import formulier_soort
from .forms import FORMULIEREN, OverslaanForm, TransitieForm, UitstroomdatumForm
from .selectors import signalen_van, tijdlijn
from .services import mag_actie_doen, overgang_blokkade
from .states import Fase
from .transities import REGIE, SCHOOL, SWV, overgangen_voor, rollen_voor


def route_context(user, plaatsing, *, mag_wijzigen: bool) -> dict:
    rollen = rollen_voor(user, plaatsing) if mag_wijzigen else frozenset()
    is_open = plaatsing.fase != Fase.AFGESLOTEN
    blokken = tijdlijn(plaatsing)
    for blok in blokken:
        for actie in blok["acties"]:
            actie.formulier = None
            actie.overslaan_formulier = None
            if not (is_open and actie.is_open and rollen):
                continue
            if mag_actie_doen(user, plaatsing, actie):
                actie.formulier_soort = formulier_soort(actie.code)
                actie.formulier = FORMULIEREN[actie.formulier_soort](prefix=f"actie{actie.pk}")
            if REGIE in rollen:
                actie.overslaan_formulier = OverslaanForm(prefix=f"overslaan{actie.pk}")
    overgangen = []
    if is_open and rollen:
        for o in overgangen_voor(user, plaatsing):
            form = TransitieForm(
                initial={
                    "naar": o.naar,
                    "versie": plaatsing.versie,
                    "afbreken": o.naam == "afbreken",
                },
                auto_id=f"id_overgang_{o.naam}_%s",
            )
            form.fields["reden"].required = o.reden_verplicht and o.naam != "afbreken"
            # Each box says which step it belongs to (several forms share the page).
            if o.naam == "afbreken":
                form.fields["reden"].label = "Toelichting (verplicht bij 'anders')"
            elif o.reden_verplicht:
                form.fields["reden"].label = f"Reden voor '{o.label}'"
            else:
                form.fields["reden"].label = f"Toelichting bij '{o.label}' (optioneel)"
            overgangen.append(
                {"overgang": o, "form": form, "blokkade": overgang_blokkade(plaatsing, o)}
            )
    from .correctie_views import HeropenenForm, LeerlingForm, UitschrijvingForm
    from .correcties import mag_corrigeren

    for blok in blokken:
        for actie in blok["acties"]:
            # Reopen a mistaken "done": the one who did it, or the procesregisseur.
            actie.heropenen_formulier = (
                HeropenenForm(auto_id=f"id_heropen{actie.pk}_%s")
                if is_open
                and not actie.is_open
                and not actie.is_herhalend
                and blok["huidig"]
                and (REGIE in rollen or (rollen and actie.gedaan_door_id == user.pk))
                else None
            )
    corrigeren = is_open and rollen and mag_corrigeren(user, plaatsing)
    afgebroken = None
    if not is_open:
        # Aborted (from any phase but nazorg) is shown apart from a completed route.
        laatste = next((b["transitie"] for b in reversed(blokken)), None)
        if laatste is not None and laatste.naar == Fase.AFGESLOTEN and laatste.van != Fase.NAZORG:
            afgebroken = laatste.reden or "geen reden vastgelegd"
    leerling = plaatsing.leerling
    return {
        "uitschrijving_form": UitschrijvingForm(
            initial={"einddatum": plaatsing.einddatum, "reden": plaatsing.reden_uitschrijving},
            auto_id="id_uitschrijving_%s",
        )
        if corrigeren
        else None,
        "leerling_form": LeerlingForm(
            initial={
                "roepnaam": leerling.roepnaam,
                "tussenvoegsel": leerling.tussenvoegsel,
                "achternaam": leerling.achternaam,
                "geboortedatum": leerling.geboortedatum,
            },
            auto_id="id_leerling_%s",
        )
        if corrigeren
        else None,
        "route_afgebroken": afgebroken,
        "route_blokken": blokken,
        "route_overgangen": overgangen,
        "route_signalen": signalen_van(plaatsing),
        "uitstroomdatum_form": (
            UitstroomdatumForm(initial={"datum": plaatsing.verwachte_uitstroomdatum})
            if is_open and rollen & {SCHOOL, REGIE, SWV}
            else None
        ),
    }
