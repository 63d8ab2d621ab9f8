from django import forms
from django.conf import settings

from coalitie.uploads import controleer_upload
from plaatsingen.models import ImportProfiel


class UploadForm(forms.Form):
    bestand = forms.FileField(
        label="iHUB-export (CSV of Excel)",
        help_text=f"Een .csv- of .xlsx-bestand van hoogstens {settings.UPLOAD_MAX_MB} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    profiel = forms.ModelChoiceField(
        label="Importprofiel",
        queryset=ImportProfiel.objects.exclude(naam="iHUB"),
        required=False,
        empty_label="iHUB (standaard)",
        help_text="Voor een export van een andere aanbieder: hoe diens kolommen heten.",
    )
    historisch = forms.BooleanField(
        label="Als geschiedenis laden (oudere export)",
        required=False,
        help_text="Alleen afgesloten plaatsingen; er start geen route en niemand krijgt mail.",
    )

    def clean_bestand(self):
        bestand = self.cleaned_data["bestand"]
        # The one shared check: extension, size (UPLOAD_MAX_MB) and content matching the type.
        controleer_upload(bestand, extensies=("csv", "xlsx"))
        return bestand
