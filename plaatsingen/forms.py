from django import forms

from coalitie.models import Instellingsschool, Locatie, Samenwerkingsverband, Verblijf
from coalitie.scholen import SchoolVeld
from coalitie.selectors import (
    instellingsscholen_zichtbaar_voor,
    scope_van,
    swvs_zichtbaar_voor,
)
from config.datums import DatumInput
from config.keuzes import enige_keuze

from .fasen import Fase
from .zoeken import zoek_q


class PlaatsingFilterForm(forms.Form):
    """Filters of the placement lists; choices only show what the user may see."""

    zoek = forms.CharField(
        label="Zoeken",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "naam of leerlingnummer"}),
    )
    fase = forms.ChoiceField(
        label="Fase",
        required=False,
        choices=[("", "alle open fasen"), *Fase.choices, ("alle", "alle fasen")],
    )
    swv = forms.ModelChoiceField(
        label="SWV", required=False, queryset=None, empty_label="alle SWV's"
    )
    school = forms.ModelChoiceField(
        label="Instellingsschool", required=False, queryset=None, empty_label="alle scholen"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["swv"].queryset = swvs_zichtbaar_voor(user).order_by("code")
        self.fields["school"].queryset = instellingsscholen_zichtbaar_voor(user)
        enige_keuze(self, "swv", "school", filter=True)

    def fase_filter(self, qs, fase: str):
        # The route app tells afgebroken from afgerond (routetool.lijsten.LijstForm).
        if fase == "":
            return qs.exclude(fase=Fase.AFGESLOTEN)
        if fase != "alle":
            return qs.filter(fase=fase)
        return qs

    def filter(self, qs):
        if not self.is_valid():
            return qs.exclude(fase=Fase.AFGESLOTEN)
        data = self.cleaned_data
        qs = self.fase_filter(qs, data["fase"])
        if data["swv"]:
            qs = qs.filter(verantwoordelijk_swv=data["swv"])
        if data["school"]:
            qs = qs.filter(instellingsschool=data["school"])
        if zoek := data["zoek"].strip():
            qs = qs.filter(zoek_q(zoek))
        return qs


class PlaatsingRegistratieForm(forms.Form):
    """A new placement by hand (instellingsschool worker). Only what the route needs: no BSN."""

    instellingsschool = forms.ModelChoiceField(
        label="Instellingsschool", queryset=None, empty_label="— kies —"
    )
    locatie = forms.ModelChoiceField(
        label="Locatie", queryset=None, required=False, empty_label="— onbekend —"
    )
    leerlingnummer = forms.CharField(label="Leerlingnummer (iHUB)", max_length=20)
    roepnaam = forms.CharField(label="Roepnaam", max_length=80)
    tussenvoegsel = forms.CharField(label="Tussenvoegsel", max_length=40, required=False)
    achternaam = forms.CharField(label="Achternaam", max_length=120)
    geboortedatum = forms.DateField(label="Geboortedatum", required=False, widget=DatumInput())
    startdatum = forms.DateField(label="Datum inschrijving", widget=DatumInput())
    verblijf = forms.ChoiceField(label="Soort verblijf", choices=Verblijf.choices)
    stamschool = SchoolVeld(
        label="Stamschool (BRIN of naam)",
        required=False,
        help_text="BRIN en vestiging (bijvoorbeeld 95CF01) of de naam van de school. Leeg als "
        "nog niet bekend.",
    )
    verantwoordelijk_swv = forms.ModelChoiceField(
        label="Verantwoordelijk SWV (als de stamschool onbekend is)",
        queryset=Samenwerkingsverband.objects.order_by("code"),
        required=False,
        empty_label="— volgt uit de stamschool —",
    )
    verwachte_uitstroomdatum = forms.DateField(
        label="Verwachte uitstroomdatum",
        required=False,
        widget=DatumInput(),
    )

    toch_registreren = forms.BooleanField(
        label="Ik heb de waarschuwingen gecontroleerd: toch registreren",
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.waarschuwingen: list[str] = []
        scope = scope_van(user)
        scholen = Instellingsschool.objects.all()
        if not scope.is_superuser:
            scholen = scholen.filter(pk__in=scope.instellingsschool_ids)
        self.fields["instellingsschool"].queryset = scholen
        self.fields["locatie"].queryset = Locatie.objects.filter(instellingsschool__in=scholen)
        # A picker with one choice starts on it (most workers belong to one school).
        enige_keuze(self, "instellingsschool", "locatie")

    def clean(self):
        from django.utils import timezone

        from .plausibel import controleren

        data = super().clean()
        fouten, self.waarschuwingen = controleren(
            leerlingnummer=data.get("leerlingnummer") or "",
            geboortedatum=data.get("geboortedatum"),
            startdatum=data.get("startdatum"),
            vandaag=timezone.localdate(),
        )
        for veld, tekst in fouten.items():
            self.add_error(veld, tekst)
        if self.waarschuwingen and not fouten and not data.get("toch_registreren"):
            # Shown above the form as typed; the worker confirms once with the checkbox.
            self.fields["toch_registreren"].widget = forms.CheckboxInput()
            self.add_error(None, "Controleer de waarschuwingen hieronder.")
        data.pop("toch_registreren", None)
        return data
