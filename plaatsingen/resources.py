"""The iHUB export as a django-import-export resource: the declared column mapping.

The resource names every column of the export, which ones are required and which model attribute
each one feeds; it also exports placements in the same shape (every cell made safe for
spreadsheets). The import itself does not go row by row through `import_data` — that path runs
several queries per row and is far too slow for tens of thousands of rows — but through
`plaatsingen.importeren`, which reads this declaration and does the work in bulk.
Rows are matched on the natural key (Leerlingnummer, Instellingsschool, Datum inschrijving),
never on our ids.
"""

from __future__ import annotations

from import_export import fields, resources, widgets

from coalitie.models import Instellingsschool, Samenwerkingsverband

from .exports import veilige_cel
from .models import Plaatsing

DATUM = widgets.DateWidget(format="%d-%m-%Y")


def _kolom(kolom: str, attribuut: str, widget=None) -> fields.Field:
    return fields.Field(attribute=attribuut, column_name=kolom, widget=widget, readonly=False)


class IhubPlaatsingResource(resources.ModelResource):
    leerlingnummer = _kolom("Leerlingnummer", "leerling__leerlingnummer")
    achternaam = _kolom("Achternaam", "leerling__achternaam")
    tussenvoegsel = _kolom("Tussenvoegsel", "leerling__tussenvoegsel")
    roepnaam = _kolom("Roepnaam", "leerling__roepnaam")
    geboortedatum = _kolom("Geboortedatum", "leerling__geboortedatum", DATUM)
    geslacht = _kolom("Geslacht", "leerling__geslacht")
    postcode = _kolom("Postcode", "leerling__postcode")
    woonplaats = _kolom("Woonplaats", "leerling__woonplaats")
    instellingsschool = _kolom(
        "Instellingsschool",
        "instellingsschool",
        widgets.ForeignKeyWidget(Instellingsschool, field="naam"),
    )
    locatie = _kolom("Locatie", "locatie__naam")
    startdatum = _kolom("Datum inschrijving", "startdatum", DATUM)
    einddatum = _kolom("Datum uitschrijving", "einddatum", DATUM)
    verblijf = _kolom("Verblijf", "verblijf")
    stamschool_brin = _kolom("Stamschool BRIN", "stamschool__brin")
    stamschool_naam = _kolom("Stamschool naam", "stamschool__naam")
    swv = _kolom(
        "SWV",
        "verantwoordelijk_swv",
        widgets.ForeignKeyWidget(Samenwerkingsverband, field="code"),
    )
    niveau = _kolom("Niveau", "niveau")
    leerjaar = _kolom("Leerjaar", "leerjaar", widgets.IntegerWidget())
    reden_uitschrijving = _kolom("Reden uitschrijving", "reden_uitschrijving")
    vervolgschool_brin = _kolom("Vervolgschool BRIN", "vervolgschool__brin")
    vervolgschool_naam = _kolom("Vervolgschool naam", "vervolgschool__naam")

    # Without these the file is rejected with one message per missing column (FORMAT.md).
    VERPLICHTE_KOLOMMEN = (
        "leerlingnummer",
        "achternaam",
        "roepnaam",
        "geboortedatum",
        "instellingsschool",
        "locatie",
        "startdatum",
        "verblijf",
        "swv",
    )

    class Meta:
        model = Plaatsing
        fields = (
            "leerlingnummer",
            "achternaam",
            "tussenvoegsel",
            "roepnaam",
            "geboortedatum",
            "geslacht",
            "postcode",
            "woonplaats",
            "instellingsschool",
            "locatie",
            "startdatum",
            "einddatum",
            "verblijf",
            "stamschool_brin",
            "stamschool_naam",
            "swv",
            "niveau",
            "leerjaar",
            "reden_uitschrijving",
            "vervolgschool_brin",
            "vervolgschool_naam",
        )
        export_order = fields
        import_id_fields = ("leerlingnummer", "instellingsschool", "startdatum")

    @classmethod
    def kolommen(cls) -> dict[str, str]:
        """Field name per declared column header, in export order."""
        resource = cls()
        return {resource.fields[naam].column_name: naam for naam in cls._meta.fields}

    def export_field(self, field, instance, **kwargs):
        # A name such as "=HYPERLINK(...)" is stored as text; a spreadsheet must never run it.
        return veilige_cel(super().export_field(field, instance, **kwargs))
