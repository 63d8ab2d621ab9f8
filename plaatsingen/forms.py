from django import forms

from coalitie.selectors import instellingsscholen_zichtbaar_voor, swvs_zichtbaar_voor
from routetool.states import Fase


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

    def filter(self, qs):
        if not self.is_valid():
            return qs.exclude(fase=Fase.AFGESLOTEN)
        data = self.cleaned_data
        if data["fase"] == "":
            qs = qs.exclude(fase=Fase.AFGESLOTEN)
        elif data["fase"] != "alle":
            qs = qs.filter(fase=data["fase"])
        if data["swv"]:
            qs = qs.filter(verantwoordelijk_swv=data["swv"])
        if data["school"]:
            qs = qs.filter(instellingsschool=data["school"])
        if zoek := data["zoek"].strip():
            from django.db.models import Q

            for deel in zoek.split():
                qs = qs.filter(
                    Q(leerling__achternaam__icontains=deel)
                    | Q(leerling__roepnaam__icontains=deel)
                    | Q(leerling__leerlingnummer=deel)
                )
        return qs
