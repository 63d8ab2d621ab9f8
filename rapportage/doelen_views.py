"""The coalition's targets: one small form page for its penvoerder and beheerder."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from coalitie.models import Coalitie, Rol
from coalitie.selectors import coalities_van

from .models import Doel, DoelSoort


class DoelenForm(forms.Form):
    """One optional percentage per kind of goal; empty means: no goal for this figure."""

    def __init__(self, *args, huidige: dict[str, Doel], **kwargs):
        super().__init__(*args, **kwargs)
        for soort, label in DoelSoort.choices:
            doel = huidige.get(soort)
            self.fields[soort] = forms.IntegerField(
                label=label[0].upper() + label[1:],
                min_value=0,
                max_value=100,
                required=False,
                initial=doel.streefwaarde if doel else None,
                help_text="streefwaarde in procent (0 tot en met 100); leeg: geen doel",
                error_messages={
                    "min_value": "Vul een percentage van 0 tot en met 100 in.",
                    "max_value": "Vul een percentage van 0 tot en met 100 in.",
                    "invalid": "Vul een heel getal in (een percentage).",
                },
            )


def _coalitie(user, pk):
    # Only the penvoerder and the beheerder set the goals; everyone else gets 404.
    try:
        return coalities_van(user, Rol.PENVOERDER, Rol.BEHEERDER).get(pk=int(pk))
    except (Coalitie.DoesNotExist, ValueError, TypeError):
        raise Http404("Deze coalitie bestaat niet of u mag haar doelen niet instellen.") from None


@login_required
@require_http_methods(["GET", "POST"])
def doelen(request, coalitie_pk: int):
    coalitie = _coalitie(request.user, coalitie_pk)
    huidige = {d.soort: d for d in Doel.objects.filter(coalitie=coalitie)}
    form = DoelenForm(request.POST or None, huidige=huidige)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for soort in DoelSoort.values:
                waarde = form.cleaned_data.get(soort)
                if waarde is None:
                    Doel.objects.filter(coalitie=coalitie, soort=soort).delete()
                else:
                    Doel.objects.update_or_create(
                        coalitie=coalitie,
                        soort=soort,
                        defaults={"streefwaarde": waarde, "gewijzigd_door": request.user},
                    )
        messages.success(request, "De doelen zijn opgeslagen; de volgende monitor toont ze.")
        return redirect("rapport:doelen", coalitie_pk=coalitie.pk)
    return render(
        request,
        "rapportage/doelen.html",
        {"coalitie": coalitie, "form": form},
        status=400 if request.method == "POST" else 200,
    )
