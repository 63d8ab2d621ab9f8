from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from coalitie.audit import logt_toegang
from coalitie.models import Rol
from coalitie.selectors import scope_van
from routetool.pagina import route_context
from routetool.selectors import met_signalen, pagina_met_signalen

from .forms import PlaatsingFilterForm, PlaatsingRegistratieForm
from .models import Plaatsing
from .selectors import get_plaatsing_for_user, kan_plaatsing_wijzigen
from .services import PlaatsingFout, plaatsing_registreren

PER_PAGINA = 25


@login_required
def home(request):
    """Each person's own placements: the scope decides which, the filters narrow them."""
    scope = scope_van(request.user)
    form = PlaatsingFilterForm(request.GET or None, user=request.user)
    qs = form.filter(Plaatsing.objects.zichtbaar_voor(request.user).met_lijstgegevens())
    # Signals are SQL annotations: the list still costs one query per page.
    qs = met_signalen(qs).order_by("-startdatum", "pk")
    # Signals for the rows of the page only (see pagina_met_signalen: constant cost at 100k).
    pagina = pagina_met_signalen(qs, request.GET.get("pagina"), PER_PAGINA)
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
            "mag_registreren": scope.heeft_rol(Rol.MEDEWERKER_INSTELLINGSSCHOOL),
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
    mag_wijzigen = kan_plaatsing_wijzigen(request.user, plaatsing)
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


@login_required
def plaatsing_nieuw(request):
    """An instellingsschool worker registers a placement by hand; the route starts at once."""
    if not scope_van(request.user).heeft_rol(Rol.MEDEWERKER_INSTELLINGSSCHOOL):
        raise PermissionDenied(
            "Alleen medewerkers van een instellingsschool registreren plaatsingen."
        )
    form = PlaatsingRegistratieForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            plaatsing = plaatsing_registreren(door=request.user, **form.cleaned_data)
        except PlaatsingFout as fout:
            form.add_error(None, str(fout))
        else:
            messages.success(
                request, "De plaatsing is geregistreerd; het SWV krijgt bericht (zonder namen)."
            )
            return redirect("plaatsingen:detail", pk=plaatsing.pk)
    return render(request, "plaatsingen/plaatsing_nieuw.html", {"form": form})
