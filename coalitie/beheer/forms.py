"""Forms of the in-app beheer: every pick-list holds only the beheerder's own organisations."""

from __future__ import annotations

from django import forms

from config.keuzes import enige_keuze

from ..models import COALITIE_ROLLEN, NIET_DOOR_BEHEERDER, Rol, Verblijf
from . import toegang


class OrganisatieKeuze(forms.Form):
    """Role plus the one organisation that fits it, from the beheerder's own coalitions."""

    # The national role and a provider's administration span coalitions: platform staff grant
    # them, never a coalition's beheerder (it would give rights over other coalitions' schools).
    rol = forms.ChoiceField(
        label="Rol", choices=[c for c in Rol.choices if c[0] not in NIET_DOOR_BEHEERDER]
    )
    swv = forms.ModelChoiceField(
        label="SWV", queryset=None, required=False, help_text="Voor een SWV-contactpersoon."
    )
    instellingsschool = forms.ModelChoiceField(
        label="Instellingsschool",
        queryset=None,
        required=False,
        help_text="Voor een medewerker instellingsschool.",
    )
    coalitie = forms.ModelChoiceField(
        label="Coalitie",
        queryset=None,
        required=False,
        help_text="Voor procesregisseur, penvoerder en beheerder.",
    )

    def __init__(self, *args, door, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["swv"].queryset = toegang.swvs_voor(door).order_by("code")
        self.fields["instellingsschool"].queryset = toegang.instellingsscholen_voor(door)
        self.fields["coalitie"].queryset = toegang.coalities_voor(door)
        enige_keuze(self, "swv", "instellingsschool", "coalitie")

    def clean(self):
        data = super().clean()
        rol = data.get("rol")
        nodig = {
            Rol.SWV_CONTACTPERSOON: "swv",
            Rol.MEDEWERKER_INSTELLINGSSCHOOL: "instellingsschool",
        }.get(rol, "coalitie")
        if rol and not data.get(nodig):
            self.add_error(nodig, "Kies dit voor de gekozen rol.")
        data["organisatie"] = data.get(nodig)
        if rol not in COALITIE_ROLLEN:
            data["coalitie"] = None
        return data


class UitnodigenForm(OrganisatieKeuze):
    email = forms.EmailField(label="E-mailadres")
    voornaam = forms.CharField(label="Voornaam", max_length=150)
    achternaam = forms.CharField(label="Achternaam", max_length=150)

    field_order = ["email", "voornaam", "achternaam", "rol", "swv", "instellingsschool"]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class NaamForm(forms.Form):
    voornaam = forms.CharField(label="Voornaam", max_length=150, required=False)
    achternaam = forms.CharField(label="Achternaam", max_length=150, required=False)


class StamschoolForm(forms.Form):
    brin = forms.CharField(
        label="BRIN en vestiging", max_length=6, help_text="Bijvoorbeeld 95CF01."
    )
    naam = forms.CharField(label="Naam", max_length=200)
    swv = forms.ModelChoiceField(label="SWV", queryset=None)

    def __init__(self, *args, door, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["swv"].queryset = toegang.swvs_voor(door).order_by("code")
        enige_keuze(self, "swv")

    def clean_brin(self):
        import re

        brin = self.cleaned_data["brin"].strip().upper()
        if not re.fullmatch(r"[0-9]{2}[A-Z]{2}[0-9]{2}", brin):
            raise forms.ValidationError(
                "Een BRIN met vestiging is 2 cijfers, 2 letters, 2 cijfers."
            )
        return brin


class InstellingsschoolForm(forms.Form):
    """Only what the coalition decides about its school; the coalition itself is no field."""

    aanbieder = forms.CharField(label="Aanbieder", max_length=200, required=False)
    overeenkomst_verplicht_vanaf = forms.DateField(
        label="Samenwerkingsovereenkomst verplicht vanaf",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leeg: de school eist geen overeenkomst met de stamschool.",
    )


class LocatieForm(forms.Form):
    naam = forms.CharField(label="Naam", max_length=200)
    plaats = forms.CharField(label="Plaats", max_length=120, required=False)
    jeugdhulpinstelling = forms.CharField(
        label="Jeugdhulpinstelling", max_length=200, required=False
    )
    verblijf = forms.ChoiceField(
        label="Soort verblijf", choices=[("", "—"), *Verblijf.choices], required=False
    )
