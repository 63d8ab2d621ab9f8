"""The overdrachtsprofiel of one placement (the content of the warme overdracht): its form, the
notice on words that look like a diagnosis, and the services that save and confirm it.

Who may read, edit or confirm it is asked of `routetool/route.py` (`mag_profiel_*`) on the
route roles of `coalitie.toegang.route_rollen`. Every change goes into the pupil's history
(`coalitie.historie`) as the fields that changed, never their text: the history outlives the
profile (retention deletes the profile, `routetool/retentie.py`), and the text is about the pupil.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.db import transaction
from django.utils import timezone

from coalitie import historie
from coalitie.toegang import Geweigerd, als_gebruiker, route_rollen, vereis_actor
from config.datums import DatumInput
from plaatsingen.models import Plaatsing

from . import route
from .models import Overdrachtsprofiel

# Words that suggest a diagnosis or medication. A notice, not a block: "geen diagnose" or
# "stoornis" in a quote from the pupil is fine, and a list can never be complete. Acronyms are
# matched in capitals only ("ass" or "add" in other words must not trigger).
DIAGNOSE_AFKORTINGEN = ("ADHD", "ADD", "ASS", "PDD-NOS", "PTSS", "PTSD", "ODD", "OCD", "GGZ")
DIAGNOSE_WOORDEN = (
    "autisme",
    "autistisch",
    "asperger",
    "stoornis",  # also gedragsstoornis, hechtingsstoornis, ...
    "diagnose",
    "gediagnosticeerd",
    "depressie",
    "depressief",
    "psychose",
    "psychotisch",
    "borderline",
    "trauma",
    "medicatie",
    "medicijn",
    "ritalin",
    "methylfenidaat",
    "concerta",
    "medikinet",
    "equasym",
    "dexamfetamine",
    "strattera",
    "atomoxetine",
    "risperdal",
    "risperidon",
    "abilify",
    "aripiprazol",
    "sertraline",
    "fluoxetine",
)
_AFKORTING = re.compile(r"\b(" + "|".join(map(re.escape, DIAGNOSE_AFKORTINGEN)) + r")\b")
_WOORD = re.compile("(" + "|".join(DIAGNOSE_WOORDEN) + ")", re.IGNORECASE)
VRIJE_TEKST = (
    "doelen_leerling",
    "wensleerling",
    "onderwijsbehoeften",
    "examenresultaat",
    "ondersteuning",
    "communicatie",
    "niveau",
)


def diagnose_woorden(tekst: str) -> list[str]:
    """The words in `tekst` that look like a diagnosis or medication (each once, in order)."""
    gevonden = [m.group(1) for m in _AFKORTING.finditer(tekst or "")]
    gevonden += [m.group(1).lower() for m in _WOORD.finditer(tekst or "")]
    return list(dict.fromkeys(gevonden))


def diagnose_melding(profiel: Overdrachtsprofiel) -> str:
    """A Dutch notice naming the fields and words that look like a diagnosis ('' if none)."""
    delen = []
    for veld in VRIJE_TEKST:
        if woorden := diagnose_woorden(getattr(profiel, veld)):
            label = Overdrachtsprofiel._meta.get_field(veld).verbose_name
            delen.append(f"'{label}' ({', '.join(woorden)})")
    if not delen:
        return ""
    return (
        "Let op: de tekst bij "
        + "; ".join(delen)
        + " lijkt een diagnose of medicatie te noemen. Een overdrachtsprofiel bevat geen "
        "diagnoses: beschrijf wat de leerling nodig heeft en wat werkt in de klas."
    )


class ProfielForm(forms.ModelForm):
    class Meta:
        model = Overdrachtsprofiel
        fields = list(Overdrachtsprofiel.INHOUD)
        widgets = {
            v: forms.Textarea(attrs={"rows": 3})
            for v in Overdrachtsprofiel.INHOUD
            if v not in ("niveau", "jaargroep", "examenuitslag")
        }
        help_texts = {
            "doelen_leerling": "Zoals de leerling het zelf zegt.",
            "onderwijsbehoeften": "Aanpak, structuur, wat helpt en wat niet. Geen diagnoses.",
            "niveau": "Bijvoorbeeld vmbo-kader, havo, praktijkonderwijs.",
            "communicatie": "Naam, rol en telefoon of e-mail (stamschool, vervolgschool, "
            "ambulant begeleider, mentor).",
        }


class BevestigenForm(forms.Form):
    datum = forms.DateField(label="Datum warme overdracht", widget=DatumInput())
    aanwezig_leerling = forms.BooleanField(label="leerling", required=False)
    aanwezig_ouders = forms.BooleanField(label="ouders / verzorgers", required=False)
    aanwezig_stamschool = forms.BooleanField(label="stamschool", required=False)
    aanwezig_instellingsschool = forms.BooleanField(label="instellingsschool", required=False)
    aanwezig_vervolgschool = forms.BooleanField(label="vervolgschool", required=False)


def _lock(plaatsing_id: int) -> Plaatsing:
    return Plaatsing.objects.select_for_update(of=("self",)).get(pk=plaatsing_id)


def profiel_van(plaatsing) -> Overdrachtsprofiel | None:
    return Overdrachtsprofiel.objects.filter(plaatsing=plaatsing).first()


def profiel_opslaan(*, plaatsing_id: int, door, gegevens: dict) -> tuple[Overdrachtsprofiel, str]:
    """Save the profile's content; returns it and the diagnosis notice ('' if none)."""
    vereis_actor(door)
    with transaction.atomic():
        plaatsing = _lock(plaatsing_id)
        if not route.mag_profiel_bewerken(route_rollen(door, plaatsing), plaatsing):
            raise Geweigerd(
                "Het overdrachtsprofiel wordt tot de warme overdracht bijgehouden door het SWV, "
                "de instellingsschool en de procesregisseur."
            )
        profiel, _ = Overdrachtsprofiel.objects.select_for_update().get_or_create(
            plaatsing=plaatsing
        )
        gewijzigd = []
        for veld in Overdrachtsprofiel.INHOUD:
            nieuw = (gegevens.get(veld) or "").strip()
            if getattr(profiel, veld) != nieuw:
                gewijzigd.append(veld)
                setattr(profiel, veld, nieuw)
        if gewijzigd:
            profiel.gewijzigd_door = als_gebruiker(door)
            profiel.save(update_fields=[*gewijzigd, "gewijzigd_door", "gewijzigd_op"])
            historie.vastleggen(
                Plaatsing,
                {
                    plaatsing.pk: {
                        f"overdrachtsprofiel: {Overdrachtsprofiel._meta.get_field(v).verbose_name}": (
                            "",
                            "gewijzigd",
                        )
                        for v in gewijzigd
                    }
                },
                door=door,
                bron="overdrachtsprofiel",
            )
        return profiel, diagnose_melding(profiel)


def profiel_bevestigen(
    *, plaatsing_id: int, door, datum: dt.date, aanwezig: dict[str, bool]
) -> Overdrachtsprofiel:
    """Confirm the profile at the handover: the date and who was present."""
    vereis_actor(door)
    with transaction.atomic():
        plaatsing = _lock(plaatsing_id)
        if not route.mag_profiel_bevestigen(route_rollen(door, plaatsing), plaatsing):
            raise Geweigerd(
                "Het overdrachtsprofiel wordt bij de warme overdracht (fase uitstroom) bevestigd "
                "door het SWV, de instellingsschool of de procesregisseur."
            )
        profiel = Overdrachtsprofiel.objects.select_for_update().filter(plaatsing=plaatsing).first()
        if profiel is None or profiel.is_leeg:
            raise route.RouteFout("Vul het overdrachtsprofiel in voordat u het bevestigt.")
        if datum > timezone.localdate():
            raise route.RouteFout("De datum van de warme overdracht ligt in de toekomst.")
        if datum < plaatsing.startdatum:
            raise route.RouteFout("De datum van de warme overdracht ligt vóór de plaatsing.")
        if not any(aanwezig.get(v) for v in Overdrachtsprofiel.AANWEZIG):
            raise route.RouteFout("Vink aan wie bij de warme overdracht aanwezig waren.")
        for v in Overdrachtsprofiel.AANWEZIG:
            setattr(profiel, v, bool(aanwezig.get(v)))
        profiel.bevestigd_op = datum
        profiel.bevestigd_door = als_gebruiker(door)
        profiel.bevestigd_om = timezone.now()
        profiel.save(
            update_fields=[
                *Overdrachtsprofiel.AANWEZIG,
                "bevestigd_op",
                "bevestigd_door",
                "bevestigd_om",
            ]
        )
        historie.vastleggen(
            Plaatsing,
            {
                plaatsing.pk: {
                    "overdrachtsprofiel bevestigd": (
                        "",
                        f"{datum:%d-%m-%Y}, aanwezig: {', '.join(profiel.aanwezigen())}",
                    )
                }
            },
            door=door,
            bron="overdrachtsprofiel",
        )
        return profiel


def profiel_context(user, plaatsing, rollen: frozenset[str]) -> dict:
    """What the placement page shows of the profile for this user (nothing without the role)."""
    if not route.mag_profiel_zien(rollen):
        return {"overdracht": None}
    profiel = profiel_van(plaatsing)
    bevestigen = None
    if route.mag_profiel_bevestigen(rollen, plaatsing) and profiel and not profiel.is_leeg:
        bevestigen = BevestigenForm(
            # Confirming again after a change is a new handover moment: today, not the old date.
            initial={
                "datum": timezone.localdate()
                if profiel.gewijzigd_na_bevestiging
                else profiel.bevestigd_op or timezone.localdate()
            }
            | {v: getattr(profiel, v) for v in Overdrachtsprofiel.AANWEZIG},
            auto_id="id_overdracht_%s",
        )
    return {
        "overdracht": {
            "profiel": profiel,
            "velden": [
                (Overdrachtsprofiel._meta.get_field(v).verbose_name, _waarde(profiel, v))
                for v in Overdrachtsprofiel.INHOUD
            ]
            if profiel
            else [],
            "mag_bewerken": route.mag_profiel_bewerken(rollen, plaatsing),
            "bevestigen_form": bevestigen,
            "melding": diagnose_melding(profiel) if profiel else "",
        }
    }


def _waarde(profiel, veld: str) -> str:
    if veld == "examenuitslag":
        return profiel.get_examenuitslag_display()
    return getattr(profiel, veld)
