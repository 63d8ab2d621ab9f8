"""Beheer pages of a coalition: users and organisations (the Django admin is for platform staff).

Every page needs the beheerder role (403 otherwise); every object is looked up within the
beheerder's own coalitions (404 for another coalition's, as for a missing one).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from ..models import Locatie, Rol
from ..toegang import is_beheerder
from . import services, toegang
from .forms import (
    InstellingsschoolForm,
    LocatieForm,
    NaamForm,
    OrganisatieKeuze,
    StamschoolForm,
    UitnodigenForm,
)


def _beheerder(request) -> None:
    if not is_beheerder(request.user):
        raise PermissionDenied("Deze pagina is voor de beheerder van een coalitie.")


def _of_404(qs, pk):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404("Dit bestaat niet of hoort niet bij uw coalitie.")
    return obj


@login_required
def index(request):
    _beheerder(request)
    return render(
        request,
        "beheer/index.html",
        {
            "coalities": toegang.coalities_voor(request.user),
            "aantal_gebruikers": toegang.gebruikers_voor(request.user).count(),
        },
    )


# --- Users -----------------------------------------------------------------------------------


@login_required
def gebruikers(request):
    _beheerder(request)
    zoek = request.GET.get("zoek", "").strip()
    qs = toegang.gebruikers_voor(request.user)
    if zoek:
        qs = qs.filter(
            Q(email__icontains=zoek) | Q(first_name__icontains=zoek) | Q(last_name__icontains=zoek)
        )
    eigen = toegang.lidmaatschappen_voor(request.user).select_related(
        "swv", "instellingsschool", "coalitie"
    )
    qs = qs.prefetch_related(Prefetch("lidmaatschappen", queryset=eigen, to_attr="eigen_rollen"))
    return render(
        request,
        "beheer/gebruikers.html",
        {"gebruikers": qs.order_by("last_name", "email")[:500], "zoek": zoek},
    )


@login_required
def gebruiker_nieuw(request):
    _beheerder(request)
    form = UitnodigenForm(request.POST or None, door=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = services.gebruiker_uitnodigen(
                door=request.user,
                email=d["email"],
                voornaam=d["voornaam"],
                achternaam=d["achternaam"],
                rol=d["rol"],
                organisatie=d["organisatie"],
            )
        except services.BeheerFout as fout:
            form.add_error(None, str(fout))
        else:
            messages.success(request, f"{user.email} is uitgenodigd als {Rol(d['rol']).label}.")
            return redirect("beheer:gebruiker", pk=user.pk)
    return render(request, "beheer/gebruiker_nieuw.html", {"form": form})


@login_required
def gebruiker(request, pk: int):
    _beheerder(request)
    persoon = _of_404(toegang.gebruikers_voor(request.user), pk)
    naam_form = NaamForm(
        request.POST if request.POST.get("wat") == "naam" else None,
        initial={"voornaam": persoon.first_name, "achternaam": persoon.last_name},
    )
    rol_form = OrganisatieKeuze(
        request.POST if request.POST.get("wat") == "rol" else None, door=request.user
    )
    if request.method == "POST":
        try:
            if request.POST.get("wat") == "naam" and naam_form.is_valid():
                services.naam_wijzigen(
                    door=request.user,
                    user=persoon,
                    voornaam=naam_form.cleaned_data["voornaam"],
                    achternaam=naam_form.cleaned_data["achternaam"],
                )
                messages.success(request, "De naam is opgeslagen.")
                return redirect("beheer:gebruiker", pk=persoon.pk)
            if request.POST.get("wat") == "rol" and rol_form.is_valid():
                d = rol_form.cleaned_data
                services.rol_toekennen(
                    door=request.user, user=persoon, rol=d["rol"], organisatie=d["organisatie"]
                )
                messages.success(request, f"Rol {Rol(d['rol']).label} toegevoegd.")
                return redirect("beheer:gebruiker", pk=persoon.pk)
        except services.BeheerFout as fout:
            rol_form.add_error(None, str(fout))
    rollen = toegang.lidmaatschappen_voor(request.user).filter(user=persoon)
    return render(
        request,
        "beheer/gebruiker.html",
        {
            "persoon": persoon,
            "rollen": rollen.select_related("swv", "instellingsschool", "coalitie"),
            "naam_form": naam_form,
            "rol_form": rol_form,
            "uitgenodigd": persoon.last_login is None,
        },
    )


@login_required
@require_POST
def rol_intrekken(request, pk: int, lid_pk: int):
    _beheerder(request)
    persoon = _of_404(toegang.gebruikers_voor(request.user), pk)
    lid = _of_404(toegang.lidmaatschappen_voor(request.user).filter(user=persoon), lid_pk)
    try:
        services.rol_intrekken(door=request.user, lidmaatschap=lid)
    except services.BeheerFout as fout:
        messages.error(request, str(fout))
    else:
        messages.success(request, "De rol is ingetrokken.")
    return redirect("beheer:gebruiker", pk=persoon.pk)


@login_required
@require_POST
def deactiveren(request, pk: int):
    _beheerder(request)
    persoon = _of_404(toegang.gebruikers_voor(request.user), pk)
    try:
        aantal = services.gebruiker_deactiveren(door=request.user, user=persoon)
    except services.BeheerFout as fout:
        messages.error(request, str(fout))
        return redirect("beheer:gebruiker", pk=persoon.pk)
    messages.success(
        request, f"{persoon.email} heeft geen toegang meer tot uw coalitie ({aantal} rol(len))."
    )
    return redirect("beheer:gebruikers")


@login_required
@require_POST
def uitnodiging_opnieuw(request, pk: int):
    _beheerder(request)
    persoon = _of_404(toegang.gebruikers_voor(request.user), pk)
    try:
        services.uitnodiging_opnieuw(door=request.user, user=persoon)
    except services.BeheerFout as fout:
        messages.error(request, str(fout))
    else:
        messages.success(request, f"De uitnodiging is opnieuw verstuurd naar {persoon.email}.")
    return redirect("beheer:gebruiker", pk=persoon.pk)


# --- Organisations ---------------------------------------------------------------------------


@login_required
def organisaties(request):
    _beheerder(request)
    zoek = request.GET.get("zoek", "").strip()
    scholen = toegang.scholen_voor(request.user).select_related("swv")
    if zoek:
        scholen = scholen.filter(Q(brin__icontains=zoek) | Q(naam__icontains=zoek))
    return render(
        request,
        "beheer/organisaties.html",
        {
            "swvs": toegang.swvs_voor(request.user).select_related("coalitie").order_by("code"),
            "instellingsscholen": toegang.instellingsscholen_voor(request.user).prefetch_related(
                "locaties"
            ),
            "scholen": scholen.order_by("naam")[:200],
            "zoek": zoek,
        },
    )


@login_required
def stamschool(request, pk: int | None = None):
    _beheerder(request)
    school = _of_404(toegang.scholen_voor(request.user), pk) if pk else None
    initial = {"brin": school.brin, "naam": school.naam, "swv": school.swv_id} if school else {}
    form = StamschoolForm(request.POST or None, door=request.user, initial=initial)
    if school:
        form.fields["brin"].disabled = True
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.stamschool_opslaan(
                door=request.user,
                school=school,
                brin=school.brin if school else d["brin"],
                naam=d["naam"],
                swv=d["swv"],
            )
        except services.BeheerFout as fout:
            form.add_error(None, str(fout))
        else:
            messages.success(request, "De school is opgeslagen.")
            return redirect("beheer:organisaties")
    return render(request, "beheer/formulier.html", {"form": form, "titel": _titel(school)})


def _titel(school) -> str:
    return f"Stamschool {school}" if school else "Nieuwe stamschool"


@login_required
def instellingsschool(request, pk: int):
    _beheerder(request)
    school = _of_404(toegang.instellingsscholen_voor(request.user), pk)
    form = InstellingsschoolForm(
        request.POST or None,
        initial={
            "aanbieder": school.aanbieder,
            "overeenkomst_verplicht_vanaf": school.overeenkomst_verplicht_vanaf,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.instellingsschool_wijzigen(
            door=request.user,
            school=school,
            aanbieder=form.cleaned_data["aanbieder"],
            vanaf=form.cleaned_data["overeenkomst_verplicht_vanaf"],
        )
        messages.success(request, f"{school.naam} is opgeslagen.")
        return redirect("beheer:organisaties")
    return render(request, "beheer/formulier.html", {"form": form, "titel": school.naam})


@login_required
def locatie(request, school_pk: int, pk: int | None = None):
    _beheerder(request)
    school = _of_404(toegang.instellingsscholen_voor(request.user), school_pk)
    bestaand = _of_404(Locatie.objects.filter(instellingsschool=school), pk) if pk else None
    initial = {}
    if bestaand:
        initial = {k: getattr(bestaand, k) for k in LocatieForm.base_fields}
    form = LocatieForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.locatie_opslaan(
                door=request.user, locatie=bestaand, instellingsschool=school, **form.cleaned_data
            )
        except services.BeheerFout as fout:
            form.add_error(None, str(fout))
        else:
            messages.success(request, "De locatie is opgeslagen.")
            return redirect("beheer:organisaties")
    titel = f"Locatie van {school.naam}" if bestaand else f"Nieuwe locatie van {school.naam}"
    return render(request, "beheer/formulier.html", {"form": form, "titel": titel})
