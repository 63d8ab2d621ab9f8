"""Registering a placement by hand. The list and the placement page show the route and live in
`routetool.plaatsing_views` (plaatsingen may not import the route)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from coalitie import toegang

from .forms import PlaatsingRegistratieForm
from .services import PlaatsingFout, plaatsing_registreren


@login_required
def plaatsing_nieuw(request):
    """An instellingsschool worker registers a placement by hand; the route starts at once."""
    if not toegang.mag_zelf_registreren(request.user):
        raise toegang.Geweigerd(
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
