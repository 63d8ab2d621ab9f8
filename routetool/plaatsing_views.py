"""The placement list (home) and the placement page. They show the route (signals, timeline,
forms), so they live in routetool; their URLs keep the `plaatsingen:` names."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from coalitie import toegang
from coalitie.audit import logt_toegang
from coalitie.selectors import scope_van
from plaatsingen.models import Plaatsing
from plaatsingen.selectors import get_plaatsing_for_user

from .deelnemer_views import keten_context
from .lijst_views import lijst_antwoord
from .pagina import route_context
from .selectors import met_signalen

PER_PAGINA = 25


def _lijst(request, formaat: str):
    """Each person's own placements: the scope decides which, the filters narrow them; sorted,
    printed and exported with the same filters (`lijst_views`)."""
    scope = scope_van(request.user)
    if scope.is_landelijk and not (scope.rollen or scope.is_superuser):
        # The national role sees no pupil: its start page is the national overview.
        return redirect("rapport:landelijk")
    return lijst_antwoord(
        request,
        basis=Plaatsing.objects.zichtbaar_voor(request.user),
        template="plaatsingen/home.html",
        standaard_orde=["-startdatum", "pk"],
        per_pagina=PER_PAGINA,
        naam="plaatsingen",
        formaat=formaat,
        context={
            "heeft_rol": bool(scope.rollen) or scope.is_superuser,
            "mag_registreren": toegang.mag_zelf_registreren(request.user),
            "export_url": "plaatsingen:export",
            "lijst_url": "home",
            "titel": "Plaatsingen",
        },
    )


@login_required
def home(request):
    return _lijst(request, "afdruk" if request.GET.get("formaat") == "afdruk" else "")


@login_required
def export(request):
    """Exactly the filtered rows of the list as XLSX (logged per pupil)."""
    return _lijst(request, "xlsx")


@login_required
@logt_toegang()
def plaatsing_detail(request, pk: int):
    plaatsing = get_plaatsing_for_user(
        request.user, pk, queryset=met_signalen(Plaatsing.objects.met_lijstgegevens())
    )
    andere = (
        Plaatsing.objects.zichtbaar_voor(request.user)
        .filter(leerling_id=plaatsing.leerling_id)
        .exclude(pk=plaatsing.pk)
        .select_related("instellingsschool")
    )
    mag_wijzigen = toegang.kan_plaatsing_wijzigen(request.user, plaatsing)
    return render(
        request,
        "plaatsingen/plaatsing_detail.html",
        {
            "plaatsing": plaatsing,
            "leerling": plaatsing.leerling,
            "andere_plaatsingen": andere,
            "mag_wijzigen": mag_wijzigen,
            **route_context(request.user, plaatsing, mag_wijzigen=mag_wijzigen),
            **keten_context(request.user, plaatsing),
        },
    )
