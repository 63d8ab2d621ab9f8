from django import forms
from django.conf import settings

from coalitie.uploads import UploadVeld
from plaatsingen.models import ImportProfiel


class UploadForm(forms.Form):
    # The one shared check: extension, size (UPLOAD_MAX_MB), unpacked size, content type.
    bestand = UploadVeld(
        extensies=("csv", "xlsx"),
        label="iHUB-export (CSV of Excel)",
        help_text=f"Een .csv- of .xlsx-bestand van hoogstens {settings.UPLOAD_MAX_MB} MB.",
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
