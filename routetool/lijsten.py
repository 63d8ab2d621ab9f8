"""The placement lists (the placement list and the procesregisseur's overview): search, filters
and sorting, all kept in the URL, so a filtered view can be bookmarked, printed and exported
with exactly the same rows.

One form decides the rows (`LijstForm.filter`) and every output uses it: the page, the print
view and the XLSX. Sorting only on stored columns (the first open deadline is stored on the
placement, `termijn_fase`), so a sort is an ORDER BY on the placement table.
"""

from __future__ import annotations

from django import forms
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Value, When
from django.utils import timezone

from plaatsingen.forms import PlaatsingFilterForm

from .models import Wie
from .selectors import SIGNALEN, afgebroken_q
from .states import Fase
from .tedoen import WIE_LABEL, open_acties
from .werkdagen import werkdagen_na

AFGEBROKEN = "afgebroken"  # the filter's choice; not a phase of its own (route.AFGEBROKEN_VAN)

_FASE_VOLGORDE = Case(
    *[When(fase=f, then=Value(i)) for i, f in enumerate(Fase.values)],
    output_field=IntegerField(),
)

# key -> (column header, what it orders by, reversed?). "-key" sorts descending; empty values
# always last.
KOLOMMEN = {
    "naam": ("Leerling", [F("leerling__achternaam"), F("leerling__roepnaam")], False),
    "school": ("Instellingsschool", [F("instellingsschool__naam")], False),
    "swv": ("SWV", [F("verantwoordelijk_swv__code")], False),
    "fase": ("Fase", [_FASE_VOLGORDE], False),
    "sinds": ("In fase sinds", [F("fase_sinds")], False),
    "termijn": ("Eerstvolgende termijn", [F("termijn_fase")], False),
    # More days overdue = an earlier deadline: ascending days is descending deadline.
    "dagen_te_laat": ("Dagen te laat", [F("termijn_fase")], True),
}
SORTEER_KEUZES = [(k, v[0]) for k, v in KOLOMMEN.items()] + [
    (f"-{k}", f"{v[0]} (aflopend)") for k, v in KOLOMMEN.items()
]


def ordening(sorteer: str, standaard: list) -> list:
    sleutel = sorteer.lstrip("-")
    if sleutel not in KOLOMMEN:
        return standaard
    _, exprs, omgekeerd = KOLOMMEN[sleutel]
    aflopend = sorteer.startswith("-") != omgekeerd
    return [
        *(e.desc(nulls_last=True) if aflopend else e.asc(nulls_last=True) for e in exprs),
        "pk",
    ]


class LijstForm(PlaatsingFilterForm):
    wie = forms.ChoiceField(
        label="Wie moet handelen",
        required=False,
        choices=[("", "iedereen"), *[(k, v) for k, v in WIE_LABEL.items()]],
    )
    termijn = forms.ChoiceField(
        label="Termijn",
        required=False,
        choices=[
            ("", "alle"),
            ("te_laat", "actie te laat"),
            ("binnen", "termijn binnen N werkdagen"),
        ],
    )
    werkdagen = forms.IntegerField(
        label="N werkdagen", required=False, min_value=0, max_value=60, initial=5
    )
    signaal = forms.ChoiceField(label="Signaal", required=False, choices=[("", "alle"), *SIGNALEN])
    casus = forms.ChoiceField(
        label="Casusregisseur",
        required=False,
        choices=[("", "alle"), ("mijn", "mijn casussen"), ("zonder", "zonder casusregisseur")],
    )
    sorteer = forms.ChoiceField(label="Sorteren op", required=False, choices=SORTEER_KEUZES)

    def __init__(self, *args, alleen_open: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._user = kwargs["user"]  # "mijn casussen"
        keuzes = [k for k in self.fields["fase"].choices if k[0] != Fase.AFGESLOTEN]
        if alleen_open:
            # The overview holds open placements only: closed choices would always be empty.
            self.fields["fase"].choices = keuzes[:-1]
            return
        # Afgebroken apart from a route that was completed (issue 19, defect 6).
        self.fields["fase"].choices = [
            *keuzes[:-1],
            (Fase.AFGESLOTEN.value, "afgesloten (afgerond)"),
            (AFGEBROKEN, "afgebroken"),
            keuzes[-1],
        ]

    def fase_filter(self, qs, fase: str):
        if fase == AFGEBROKEN:
            return qs.filter(afgebroken_q())
        if fase == Fase.AFGESLOTEN:
            return qs.filter(fase=Fase.AFGESLOTEN).exclude(afgebroken_q())
        return super().fase_filter(qs, fase)

    def filter(self, qs):
        qs = super().filter(qs)
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        vandaag = timezone.localdate()
        grens = None
        if data["termijn"] == "te_laat":
            grens = ("deadline__lt", vandaag)
        elif data["termijn"] == "binnen":
            grens = ("deadline__lte", werkdagen_na(vandaag, data["werkdagen"] or 5))
        if data["wie"]:
            # Who must act: an open action of the current phase of that role (within the term).
            acties = open_acties().filter(plaatsing_id=OuterRef("pk"), wie=data["wie"])
            if grens:
                acties = acties.filter(**{grens[0]: grens[1]})
            qs = qs.filter(Exists(acties))
        elif grens:
            qs = qs.filter(**{f"termijn_fase__{grens[0].split('__')[1]}": grens[1]})
        if data["signaal"]:
            qs = qs.filter(**{f"signaal_{data['signaal']}": True})
        if data.get("casus") == "mijn":
            qs = qs.filter(casusregisseur_id=self._user.pk)
        elif data.get("casus") == "zonder":
            qs = qs.filter(casusregisseur__isnull=True)
        return qs

    def ordening(self, standaard: list) -> list:
        sorteer = self.cleaned_data.get("sorteer", "") if self.is_valid() else ""
        return ordening(sorteer or "", standaard)

    def huidige_sortering(self) -> str:
        return (self.cleaned_data.get("sorteer") or "") if self.is_valid() else ""


def kolomkoppen(request, huidig: str, sleutels: list[str]) -> list[dict]:
    """Header links that toggle the sort of their column, keeping every other filter."""
    koppen = []
    for sleutel in sleutels:
        qd = request.GET.copy()
        qd.pop("pagina", None)
        oplopend = huidig == sleutel
        qd["sorteer"] = f"-{sleutel}" if oplopend else sleutel
        aria = "ascending" if huidig == sleutel else "descending" if huidig == f"-{sleutel}" else ""
        koppen.append(
            {
                "sleutel": sleutel,
                "label": KOLOMMEN[sleutel][0],
                "href": "?" + qd.urlencode(),
                "aria_sort": aria,
            }
        )
    return koppen


def dagen_te_laat(plaatsing, vandaag=None) -> int | None:
    vandaag = vandaag or timezone.localdate()
    t = plaatsing.termijn_fase
    if t is None or t >= vandaag or plaatsing.fase == Fase.AFGESLOTEN:
        return None
    return (vandaag - t).days


__all__ = ["LijstForm", "kolomkoppen", "dagen_te_laat", "Wie"]
