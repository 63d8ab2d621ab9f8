from django import forms
from django.conf import settings

from coalitie.uploads import controleer_upload


class UploadForm(forms.Form):
    bestand = forms.FileField(
        label="iHUB-export (CSV of Excel)",
        help_text=f"Een .csv- of .xlsx-bestand van hoogstens {settings.UPLOAD_MAX_MB} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_bestand(self):
        bestand = self.cleaned_data["bestand"]
        # The one shared check: extension, size (UPLOAD_MAX_MB) and content matching the type.
        controleer_upload(bestand, extensies=("csv", "xlsx"))
        return bestand
