"""What the placement page needs from the route: timeline, signals, and the forms this user may
use now (a button only appears when the user may press it). Every rule is asked of
`routetool/route.py` and `coalitie/toegang.py`; nothing is decided here."""

from __future__ import annotations

from coalitie.toegang import route_rollen

from . import acties, route
from .forms import OverslaanForm, TransitieForm, UitstroomdatumForm
from .selectors import signalen_van, tijdlijn
from .states import Fase


def route_context(user, plaatsing, *, mag_wijzigen: bool) -> dict:
    # What the user may see (a partner: the content of their own actions only) is asked with
    # every role they hold; what they may do only when they may change the placement at all.
    alle_rollen = route_rollen(user, plaatsing)
    rollen = alle_rollen if mag_wijzigen else frozenset()
    is_open = plaatsing.fase != Fase.AFGESLOTEN
    blokken = tijdlijn(plaatsing)
    for blok in blokken:
        for actie in blok["acties"]:
            actie.formulier = None
            actie.overslaan_formulier = None
            actie.details_zichtbaar = route.mag_actie_details_zien(alle_rollen, actie)
            actie.gegevens_regels = (
                acties.soort_van(actie.code).regels(actie) if actie.details_zichtbaar else []
            )
            if not (is_open and actie.is_open and rollen):
                continue
            if route.mag_actie_doen(rollen, actie):
                soort = acties.soort_van(actie.code)
                actie.formulier_soort = soort.naam
                actie.formulier = soort.formulier(
                    prefix=f"actie{actie.pk}", initial=soort.beginwaarden(plaatsing)
                )
                # The SWV doing a partner's action for it: the page says so.
                actie.namens = route.namens_tekst(actie) if route.doet_namens(rollen, actie) else ""
            if route.mag_actie_overslaan(rollen):
                actie.overslaan_formulier = OverslaanForm(prefix=f"overslaan{actie.pk}")
    overgangen = []
    if is_open and rollen:
        for o in route.overgangen_voor(user, plaatsing):
            form = TransitieForm(
                initial={
                    "naar": o.naar,
                    "versie": plaatsing.versie,
                    "afbreken": o.naam == "afbreken",
                },
                auto_id=f"id_overgang_{o.naam}_%s",
            )
            form.fields["reden"].required = o.toelichting_verplicht
            # Each box says which step it belongs to (several forms share the page).
            if o.naam == "afbreken":
                form.fields["reden"].label = "Toelichting (verplicht bij 'anders')"
            elif o.reden_verplicht:
                form.fields["reden"].label = f"Reden voor '{o.label}'"
            else:
                form.fields["reden"].label = f"Toelichting bij '{o.label}' (optioneel)"
            overgangen.append({"overgang": o, "form": form, "blokkade": o.blokkade(plaatsing)})
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
                and route.mag_actie_heropenen(rollen, actie, user)
                else None
            )
    corrigeren = is_open and rollen and mag_corrigeren(user, plaatsing)
    afgebroken = None
    if not is_open:
        # Aborted (from any phase but nazorg) is shown apart from a completed route.
        laatste = next((b["transitie"] for b in reversed(blokken)), None)
        if (
            laatste is not None
            and laatste.naar == Fase.AFGESLOTEN
            and laatste.van in route.AFGEBROKEN_VAN
        ):
            afgebroken = laatste.reden or "geen reden vastgelegd"
    leerling = plaatsing.leerling
    from .overdrachtsprofiel import profiel_context

    return {
        **profiel_context(user, plaatsing, alle_rollen),
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
        "route_details": route.mag_route_details_zien(alle_rollen),
        "route_overgangen": overgangen,
        "route_signalen": signalen_van(plaatsing),
        "uitstroomdatum_form": (
            UitstroomdatumForm(initial={"datum": plaatsing.verwachte_uitstroomdatum})
            if is_open and route.mag_uitstroomdatum_vastleggen(rollen)
            else None
        ),
    }
