from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from coalitie.selectors import scope_van

from .forms import PlaatsingFilterForm
from .models import Plaatsing
from .selectors import get_plaatsing_for_user, kan_plaatsing_wijzigen

PER_PAGINA = 25


@login_required
def home(request):
    """Each person's own placements: the scope decides which, the filters narrow them."""
    scope = scope_van(request.user)
    form = PlaatsingFilterForm(request.GET or None, user=request.user)
    qs = form.filter(Plaatsing.objects.zichtbaar_voor(request.user).met_lijstgegevens())
    qs = qs.order_by("-startdatum", "pk")
    pagina = Paginator(qs, PER_PAGINA).get_page(request.GET.get("pagina"))
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
        },
    )


@login_required
def plaatsing_detail(request, pk: int):
    plaatsing = get_plaatsing_for_user(request.user, pk)
    andere = (
        Plaatsing.objects.zichtbaar_voor(request.user)
        .filter(leerling_id=plaatsing.leerling_id)
        .exclude(pk=plaatsing.pk)
        .select_related("instellingsschool")
    )
    return render(
        request,
        "plaatsingen/plaatsing_detail.html",
        {
            "plaatsing": plaatsing,
            "leerling": plaatsing.leerling,
            "andere_plaatsingen": andere,
            "mag_wijzigen": kan_plaatsing_wijzigen(request.user, plaatsing),
        },
    )
