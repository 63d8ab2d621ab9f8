"""A stamschool or vervolgschool found by BRIN or by name (issue 19, defect 10).

`SchoolVeld` is a text field that takes a BRIN + vestiging ("95CF01"), what the type-ahead
offers ("Naam (95CF01)"), or a part of the name that fits one school; several fits get a Dutch
message naming a few, so the field works without JavaScript. With JavaScript (htmx) the field
asks `zoeken` for the schools that fit what was typed and offers them in a <datalist>.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_GET

from . import toegang
from .models import School

BRIN = re.compile(r"[0-9]{2}[A-Z]{2}[0-9]{2}")
IN_HAAKJES = re.compile(r"\(([0-9]{2}[A-Za-z]{2}[0-9]{2})\)\s*$")
MAX_TREFFERS = 10


def scholen_zoeken(tekst: str, *, max_aantal: int = MAX_TREFFERS) -> list[School]:
    """Schools whose BRIN starts with, or whose name contains, every word of `tekst`."""
    woorden = tekst.split()
    if not woorden or len(tekst.strip()) < 2:
        return []
    q = Q()
    for woord in woorden:
        q &= Q(naam__icontains=woord) | Q(brin__istartswith=woord)
    return list(School.objects.filter(q).order_by("naam", "brin")[:max_aantal])


def school_vinden(tekst: str) -> School:
    """The one school `tekst` names; forms.ValidationError (Dutch) otherwise."""
    tekst = " ".join(tekst.split())
    if m := IN_HAAKJES.search(tekst):
        tekst = m.group(1)
    if BRIN.fullmatch(tekst.upper()):
        try:
            return School.objects.get(brin=tekst.upper())
        except School.DoesNotExist:
            raise forms.ValidationError(
                f"Er is geen school bekend met BRIN {tekst.upper()}."
            ) from None
    exact = list(School.objects.filter(naam__iexact=tekst)[:2])
    if len(exact) == 1:
        return exact[0]
    treffers = scholen_zoeken(tekst, max_aantal=6)
    if len(treffers) == 1:
        return treffers[0]
    if not treffers:
        raise forms.ValidationError(f"Er is geen school bekend met BRIN of naam '{tekst}'.")
    namen = "; ".join(str(s) for s in treffers[:5])
    raise forms.ValidationError(
        f"Meer scholen passen bij '{tekst}': {namen}{' …' if len(treffers) > 5 else ''}. "
        "Typ de BRIN of de volledige naam."
    )


class SchoolInput(forms.TextInput):
    """Type-ahead through htmx: the list of fitting schools is fetched into a <datalist>."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        lijst = f"{attrs.get('id', name)}-scholen"
        attrs.update(
            {
                "list": lijst,
                "autocomplete": "off",
                "hx-get": reverse("scholen_zoeken"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": f"#{lijst}",
                "hx-swap": "innerHTML",
                # Inside the route section, which swaps #inhoud: take none of its settings.
                "hx-select": "unset",
                "hx-push-url": "false",
                "hx-boost": "false",
            }
        )
        veld = super().render(name, value, attrs, renderer)
        return format_html('{}<datalist id="{}"></datalist>', veld, lijst)


class SchoolVeld(forms.CharField):
    """A school by BRIN + vestiging or by name; cleans to a School (or None when empty)."""

    widget = SchoolInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault(
            "help_text", "BRIN en vestiging (bijvoorbeeld 95CF01) of de naam van de school."
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        return school_vinden(value) if value else None


@login_required
@require_GET
def zoeken(request):
    """The <option>s for the type-ahead. The field's name carries a form prefix, so the text
    is the first non-empty value of the query string."""
    if not toegang.mag_scholen_zoeken(request.user):
        raise PermissionDenied("U heeft geen rol waarmee u scholen kunt zoeken.")
    tekst = next((v for v in request.GET.values() if v.strip()), "")
    return render(request, "coalitie/school_opties.html", {"scholen": scholen_zoeken(tekst[:100])})
