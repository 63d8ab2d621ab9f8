"""The meldingen page: a person's own meldingen, newest first; opening one marks it read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .meldingen import markeer_gelezen
from .models import Melding

PER_PAGINA = 30


@login_required
def lijst(request):
    qs = Melding.objects.filter(user=request.user).order_by("-aangemaakt_op", "-pk")
    pagina = Paginator(qs, PER_PAGINA).get_page(request.GET.get("pagina"))
    return render(request, "coalitie/meldingen.html", {"pagina": pagina, "querystring": ""})


@login_required
@require_POST
def openen(request, pk: int):
    """Mark read and go where it points; only to a page of this site (its access is checked
    there again). Someone else's melding is 404, like one that does not exist."""
    try:
        melding = Melding.objects.get(pk=pk, user=request.user)
    except Melding.DoesNotExist:
        raise Http404("Deze melding bestaat niet.") from None
    markeer_gelezen(request.user, [melding.pk])
    veilig = melding.url and url_has_allowed_host_and_scheme(
        melding.url, allowed_hosts=None, require_https=False
    )
    return redirect(melding.url if veilig and melding.url.startswith("/") else "coalitie:meldingen")


@login_required
@require_POST
def alles_gelezen(request):
    markeer_gelezen(request.user)
    return redirect("coalitie:meldingen")
