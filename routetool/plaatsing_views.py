"""The placement list (home) and the placement page. They show the route (signals, timeline,
forms), so they live in routetool; their URLs keep the `plaatsingen:` names."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from coalitie import toegang
from coalitie.audit import log_getoonde_leerlingen, logt_toegang
from coalitie.selectors import scope_van
from plaatsingen.forms import PlaatsingFilterForm
from plaatsingen.models import Plaatsing
from plaatsingen.selectors import get_plaatsing_for_user

from .pagina import route_context
from .selectors import met_signalen, pagina_met_signalen

PER_PAGINA = 25


@login_required
def home(request):
    """Each person's own placements: the scope decides which, the filters narrow them."""
    scope = scope_van(request.user)
    if scope.is_landelijk and not (scope.rollen or scope.is_superuser):
        # The national role sees no pupil: its start page is the national overview.
        return redirect("rapport:landelijk")
    form = PlaatsingFilterForm(request.GET or None, user=request.user)
    qs = form.filter(Plaatsing.objects.zichtbaar_voor(request.user).met_lijstgegevens())
    # Signals are SQL annotations: the list still costs one query per page.
    qs = met_signalen(qs).order_by("-startdatum", "pk")
    # Signals for the rows of the page only (see pagina_met_signalen: constant cost at 100k).
    pagina = pagina_met_signalen(qs, request.GET.get("pagina"), PER_PAGINA)
    gezocht = any(v for k, v in request.GET.items() if k != "pagina")
    log_getoonde_leerlingen(
        request,
        pagina,
        omschrijving="zoekresultaat plaatsingen" if gezocht else "lijst plaatsingen",
    )
    querystring = request.GET.copy()
    querystring.pop("pagina", None)
    return render(
        request,
        "plaatsingen/home.html",
        {
            "form": form,
            "pagina": pagina,
            "querystring": querystring.urlencode(),
            "heeft_rol": bool(scope.rollen) or scope.is_superuser,
            "mag_registreren": toegang.mag_zelf_registreren(request.user),
        },
    )


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
        },
    )
