from django import forms

from .models import Coalitie, Instellingsschool, Rol, Samenwerkingsverband, User


class UitnodigingForm(forms.ModelForm):
    """A beheerder invites a person: account plus first role; the mail sets the password."""

    # The national role and a provider's administration span coalitions: a superuser grants
    # them (the admin narrows the choices for a beheerder, see UserAdmin.get_form).
    rol = forms.ChoiceField(choices=[c for c in Rol.choices if c[0] != Rol.LANDELIJK])
    swv = forms.ModelChoiceField(
        Samenwerkingsverband.objects.all(),
        required=False,
        label="SWV",
        help_text="Voor een SWV-contactpersoon.",
    )
    instellingsschool = forms.ModelChoiceField(
        Instellingsschool.objects.all(),
        required=False,
        help_text="Voor een medewerker instellingsschool.",
    )
    coalitie = forms.ModelChoiceField(
        Coalitie.objects.all(),
        required=False,
        help_text="Voor procesregisseur, penvoerder en beheerder.",
    )

    aanbieder = forms.ChoiceField(
        choices=(),
        required=False,
        help_text="Voor de administratie van een aanbieder (zoals de instellingsscholen hem noemen).",
    )

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name"]

    def __init__(self, *args, **kwargs):
        from .selectors import aanbieder_namen

        super().__init__(*args, **kwargs)
        self.fields["aanbieder"].choices = [("", "---------")] + [(n, n) for n in aanbieder_namen()]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        rol = data.get("rol")
        nodig = {
            Rol.SWV_CONTACTPERSOON: "swv",
            Rol.MEDEWERKER_INSTELLINGSSCHOOL: "instellingsschool",
            Rol.AANBIEDER: "aanbieder",
        }.get(rol, "coalitie")
        for veld in ("swv", "instellingsschool", "coalitie", "aanbieder"):
            if veld == nodig and not data.get(veld):
                self.add_error(veld, "Vul dit in voor de gekozen rol.")
            elif veld != nodig and data.get(veld):
                self.add_error(veld, "Laat dit leeg voor de gekozen rol.")
        return data
