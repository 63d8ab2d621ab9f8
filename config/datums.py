"""Dates in forms as Dutch users write them, whatever the browser's language: a text field
with `dd-mm-jjjj` (an `<input type="date">` shows the browser's locale format instead)."""

from django import forms

PATROON = r"\s*\d{1,2}-\d{1,2}-\d{4}\s*"


class DatumInput(forms.DateInput):
    def __init__(self, attrs=None, **kwargs):
        attrs = {
            "placeholder": "dd-mm-jjjj",
            "pattern": PATROON,
            "inputmode": "numeric",
            "autocomplete": "off",
            "title": "Datum als dd-mm-jjjj, bijvoorbeeld 05-03-2026",
            "size": 10,
            **(attrs or {}),
        }
        attrs.pop("type", None)
        super().__init__(attrs=attrs, format="%d-%m-%Y", **kwargs)
