"""Forms of the import profiles in beheer: a column per input, spellings as JSON, or a file."""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError

from coalitie.uploads import UploadVeld
from plaatsingen.models import ImportProfiel
from plaatsingen.resources import IhubPlaatsingResource

from .profielen import IHUB_DATUMFORMAAT, IHUB_NAAM, controleer_profiel

VOORBEELD_WAARDEN = '{"Verblijf": {"Gesloten JeugdzorgPlus": "gesloten"}}'


def _veldnaam(kolom: str) -> str:
    return "kolom_" + "".join(c if c.isalnum() else "_" for c in kolom.lower())


class ProfielForm(forms.Form):
    """Name, date format, the provider's header per iHUB column, spellings (JSON)."""

    naam = forms.CharField(label="Naam (aanbieder)", max_length=120)
    datumformaat = forms.CharField(
        label="Datumformaat",
        max_length=40,
        initial=IHUB_DATUMFORMAAT,
        help_text="Zoals Python het schrijft: %d-%m-%Y is 30-11-2025, %Y-%m-%d is 2025-11-30.",
    )
    waarden = forms.CharField(
        label="Waarden (JSON)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text="Per kolom hoe de aanbieder een waarde schrijft en wat wij ervan maken, bv. "
        + VOORBEELD_WAARDEN
        + ". Leeg: de waarden zijn als bij iHUB.",
    )

    def __init__(self, *args, instance: ImportProfiel | None = None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "naam": instance.naam,
                "datumformaat": instance.datumformaat,
                "waarden": json.dumps(instance.waarden or {}, ensure_ascii=False, indent=2)
                if instance.waarden
                else "",
                **{_veldnaam(k): v for k, v in (instance.kolommen or {}).items()},
            }
        super().__init__(*args, **kwargs)
        verplicht = IhubPlaatsingResource.VERPLICHTE_KOLOMMEN
        self.kolomvelden = []
        for kolom, veld in IhubPlaatsingResource.kolommen().items():
            naam = _veldnaam(kolom)
            self.fields[naam] = forms.CharField(
                label=kolom + (" (verplicht)" if veld in verplicht else ""),
                required=False,
                max_length=120,
            )
            self.kolomvelden.append(naam)

    def kolom_velden(self):
        return [self[n] for n in self.kolomvelden]

    def algemene_velden(self):
        return [self["naam"], self["datumformaat"]]

    def clean_naam(self):
        naam = self.cleaned_data["naam"].strip()
        andere = ImportProfiel.objects.filter(naam__iexact=naam)
        if self.instance is not None:
            andere = andere.exclude(pk=self.instance.pk)
        if andere.exists():
            raise ValidationError("Er is al een importprofiel met deze naam.")
        if naam.casefold() == IHUB_NAAM.casefold():
            raise ValidationError("Het profiel van iHUB zelf ligt vast; kies een andere naam.")
        return naam

    def clean_waarden(self):
        tekst = self.cleaned_data["waarden"].strip()
        if not tekst:
            return {}
        try:
            waarden = json.loads(tekst)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                f"Dit is geen geldige JSON (regel {exc.lineno}, teken {exc.colno}). "
                f"Voorbeeld: {VOORBEELD_WAARDEN}"
            ) from None
        if not isinstance(waarden, dict):
            raise ValidationError("Geef een JSON-object: {kolom: {waarde: onze waarde}}.")
        return waarden

    def clean(self):
        data = super().clean()
        kolommen = IhubPlaatsingResource.kolommen()
        data["kolommen"] = {
            k: data[_veldnaam(k)].strip()
            for k in kolommen
            if (data.get(_veldnaam(k)) or "").strip()
        }
        if self.errors:
            return data
        try:
            controleer_profiel(self.gegevens(data))
        except ValidationError as exc:
            for bericht in exc.messages:
                self.add_error(None, bericht)
        return data

    @staticmethod
    def gegevens(data) -> dict:
        """The profile in the JSON shape `import_ihub --profiel` reads."""
        return {
            "naam": data["naam"],
            "kolommen": data["kolommen"],
            "datumformaat": data.get("datumformaat") or IHUB_DATUMFORMAAT,
            "waarden": data.get("waarden") or {},
        }


class ProfielUploadForm(forms.Form):
    bestand = UploadVeld(
        extensies=("json",),
        label="Profiel als JSON-bestand",
        help_text="Hetzelfde formaat als import_ihub --profiel leest; een profiel met dezelfde "
        "naam wordt bijgewerkt.",
    )

    def clean_bestand(self):
        bestand = self.cleaned_data["bestand"]
        bestand.seek(0)
        try:
            gegevens = json.loads(bestand.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise ValidationError("Het bestand is geen UTF-8-tekst.") from None
        except json.JSONDecodeError as exc:
            raise ValidationError(
                f"Het bestand is geen geldige JSON (regel {exc.lineno}, teken {exc.colno})."
            ) from None
        controleer_profiel(gegevens)
        if gegevens["naam"].strip() == IHUB_NAAM:
            raise ValidationError("Het profiel van iHUB zelf ligt vast; kies een andere naam.")
        self.cleaned_data["gegevens"] = gegevens
        return bestand
