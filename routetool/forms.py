"""Forms of the route. They only read input; the services decide what is allowed."""

from __future__ import annotations

from django import forms

from coalitie.scholen import SchoolVeld
from config.datums import DatumInput  # noqa: F401  (dd-mm-jjjj in every browser; re-exported)

from .states import Fase

# A school by BRIN or by name, with type-ahead (coalitie/scholen.py); the old name is kept.
BrinField = SchoolVeld


AFBREEK_REDENEN = [
    ("", "— kies een reden —"),
    ("overgeplaatst naar een andere instelling", "overgeplaatst naar een andere instelling"),
    ("verhuisd naar het buitenland", "verhuisd naar het buitenland"),
    ("plaatsing ging niet door", "plaatsing ging niet door"),
    ("dubbel geregistreerd", "dubbel geregistreerd"),
    ("anders", "anders (licht toe)"),
]


class TransitieForm(forms.Form):
    naar = forms.ChoiceField(choices=Fase.choices, widget=forms.HiddenInput)
    versie = forms.IntegerField(widget=forms.HiddenInput)
    afbreken = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # Afbreken only: a standard reason, and a confirmation that it ends the route.
    reden_keuze = forms.ChoiceField(label="Reden", choices=AFBREEK_REDENEN, required=False)
    reden = forms.CharField(label="Reden", required=False, max_length=500)
    bevestigd = forms.BooleanField(
        label="Ik begrijp dat de route hiermee stopt (afgebroken, niet afgerond)", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self["afbreken"].value() or self["afbreken"].value() in ("False", "false"):
            del self.fields["reden_keuze"], self.fields["bevestigd"]

    def clean(self):
        data = super().clean()
        if not data.get("afbreken"):
            return data
        keuze, toelichting = data.get("reden_keuze", ""), (data.get("reden") or "").strip()
        if not keuze:
            self.add_error("reden_keuze", "Kies waarom de route wordt afgebroken.")
        elif keuze == "anders" and not toelichting:
            self.add_error("reden", "Licht de reden toe.")
        if not data.get("bevestigd"):
            self.add_error("bevestigd", "Bevestig dat u de route wilt afbreken.")
        if keuze and keuze != "anders":
            data["reden"] = f"{keuze}: {toelichting}" if toelichting else keuze
        return data


class NotitieForm(forms.Form):
    notitie = forms.CharField(
        label="Notitie (kort, geen gevoelige details)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    # The forms of the action kinds extend this one (routetool/acties/, one module per kind).

    def gegevens(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "notitie"}


class OverslaanForm(forms.Form):
    reden = forms.CharField(label="Reden om over te slaan", max_length=500)


class UitstroomdatumForm(forms.Form):
    datum = forms.DateField(label="Verwachte uitstroomdatum", widget=DatumInput())
