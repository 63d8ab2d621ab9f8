from django import forms
from django.conf import settings

from coalitie.uploads import UploadVeld


class UploadForm(forms.Form):
    # The one shared check: extension, size (UPLOAD_MAX_MB), unpacked size, content type.
    bestand = UploadVeld(
        extensies=("csv", "xlsx"),
        label="iHUB-export (CSV of Excel)",
        help_text=f"Een .csv- of .xlsx-bestand van hoogstens {settings.UPLOAD_MAX_MB} MB.",
    )
