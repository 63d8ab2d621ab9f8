"""Forms of the route. They only read input; the services decide what is allowed."""

from __future__ import annotations

from django import forms

from coalitie.models import School
from config.datums import DatumInput  # noqa: F401  (dd-mm-jjjj in every browser; re-exported)
from plaatsingen.models import VervolgplekSoort

from .models import NazorgAntwoord
from .states import Fase


class BrinField(forms.CharField):
    """A school chosen by its BRIN + vestiging (e.g. 95CF01)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 6)
        kwargs.setdefault("help_text", "BRIN en vestiging, bijvoorbeeld 95CF01.")
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value).strip().upper()
        if not value:
            return None
        try:
            return School.objects.get(brin=value)
        except School.DoesNotExist:
            raise forms.ValidationError(f"Er is geen school bekend met BRIN {value}.") from None


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

    def gegevens(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "notitie"}


class BevestigenForm(NotitieForm):
    pass


class StamschoolForm(NotitieForm):
    stamschool = BrinField(label="Stamschool (BRIN)", required=False)
    geen_stamschool = forms.BooleanField(label="De leerling heeft geen stamschool", required=False)
    contact_naam = forms.CharField(label="Naam contactpersoon stamschool", required=False)
    contact_email = forms.EmailField(label="E-mail contactpersoon", required=False)
    contact_telefoon = forms.CharField(
        label="Telefoon contactpersoon", required=False, max_length=30
    )


class VervolgplekForm(NotitieForm):
    vervolgplek_soort = forms.ChoiceField(
        label="Soort vervolgplek", choices=[("", "— kies —"), *VervolgplekSoort.choices]
    )
    vervolgschool = BrinField(label="Vervolgschool (BRIN), bij soort school", required=False)
    vervolgplek_omschrijving = forms.CharField(
        label="Omschrijving (bv. naam mbo-opleiding of werkgever)", required=False, max_length=200
    )
    vervolgplek_startdatum = forms.DateField(
        label="Startdatum op de vervolgplek", required=False, widget=DatumInput()
    )


class AmbulantForm(NotitieForm):
    uren_gepland = forms.IntegerField(label="Uren gepland", min_value=0, max_value=500, initial=20)
    uren_gebruikt = forms.IntegerField(
        label="Uren gebruikt", min_value=0, max_value=500, required=False
    )


class NazorgForm(NotitieForm):
    nazorg_antwoord = forms.ChoiceField(
        label="Gaat de leerling naar de vervolgplek?",
        choices=NazorgAntwoord.choices,
        widget=forms.RadioSelect,
    )


FORMULIEREN = {
    "notitie": NotitieForm,
    "bevestigen": BevestigenForm,
    "stamschool": StamschoolForm,
    "vervolgplek": VervolgplekForm,
    "ambulant": AmbulantForm,
    "nazorg": NazorgForm,
}


class OverslaanForm(forms.Form):
    reden = forms.CharField(label="Reden om over te slaan", max_length=500)


class UitstroomdatumForm(forms.Form):
    datum = forms.DateField(label="Verwachte uitstroomdatum", widget=DatumInput())
