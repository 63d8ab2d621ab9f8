"""Web import for beheerders and a provider's administration: upload → (task) check →
preview → confirm → (task) import."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from coalitie import toegang
from coalitie.models import Rol
from plaatsingen import tasks
from plaatsingen.models import ImportBestand, ImportStatus

from . import services
from .forms import UploadForm
from .fouten import als_csv, gegroepeerd


def _vereist(mag):
    def decorator(view):
        @wraps(view)
        @login_required
        def binnen(request, *args, **kwargs):
            if not mag(request.user):
                raise Http404("Deze pagina bestaat niet of u heeft er geen toegang toe.")
            return view(request, *args, **kwargs)

        return binnen

    return decorator


# Others get 404, as if the page did not exist. The import pages are also a provider's
# administration's; the import profiles stay the beheerders'.
beheerder_vereist = _vereist(toegang.is_beheerder)
importeur_vereist = _vereist(toegang.mag_importeren)


def imports_zichtbaar_voor(user):
    """The imports a person sees: their own; a beheerder also those uploaded by a beheerder of
    its coalitions; a provider's administration also its provider's (another account of it, or
    `import_ihub --aanbieder`). A provider's import is not shown to the coalitions' beheerders:
    its preview holds the rows of every coalition."""
    qs = ImportBestand.objects.select_related("door")
    coalities = toegang.beheerde_coalities(user)
    if coalities is None:
        return qs
    zichtbaar = Q(door=user)
    if coalities:
        zichtbaar |= Q(
            door__lidmaatschappen__rol=Rol.BEHEERDER,
            door__lidmaatschappen__coalitie_id__in=coalities,
        )
    if aanbieders := toegang.aanbieders_van(user):
        zichtbaar |= Q(aanbieder__in=aanbieders)
    return qs.filter(zichtbaar).distinct()


@importeur_vereist
def overzicht(request):
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            bestand = form.cleaned_data["bestand"]
            with transaction.atomic():
                import_bestand = services.import_bestand_aanmaken(
                    bestand=bestand,
                    naam=bestand.name,
                    door=request.user,
                    profiel=form.cleaned_data.get("profiel"),
                    historisch=form.cleaned_data.get("historisch", False),
                )
                # The check runs in a worker: the upload request returns at once.
                transaction.on_commit(lambda: tasks.import_controleren.delay(import_bestand.pk))
            return redirect("importeren:status", pk=import_bestand.pk)
    else:
        form = UploadForm()
    imports = imports_zichtbaar_voor(request.user)[:25]
    return render(
        request,
        "plaatsingen/import/overzicht.html",
        {
            "form": form,
            "imports": imports,
            "mag_profielen": toegang.is_beheerder(request.user),
            "aanbieders": sorted(toegang.aanbieders_van(request.user)),
        },
    )


@importeur_vereist
def status(request, pk: int):
    import_bestand = get_object_or_404(imports_zichtbaar_voor(request.user), pk=pk)
    procent = 0
    if import_bestand.voortgang_totaal:
        procent = min(
            100, round(100 * import_bestand.voortgang_verwerkt / import_bestand.voortgang_totaal)
        )
    return render(
        request,
        "plaatsingen/import/status.html",
        {
            "ib": import_bestand,
            "procent": procent,
            "Status": ImportStatus,
            "voorbeeld": import_bestand.voorbeeld or {},
            "soorten": gegroepeerd(import_bestand.fouten),
        },
    )


@require_GET
@importeur_vereist
def fouten_csv(request, pk: int):
    """Every error as a CSV (line, column, message): to work through in a spreadsheet."""
    import_bestand = get_object_or_404(imports_zichtbaar_voor(request.user), pk=pk)
    response = HttpResponse(als_csv(import_bestand.fouten), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="importfouten-{pk}.csv"'
    return response


@require_POST
@importeur_vereist
def opnieuw(request, pk: int):
    """A failed import (its worker stopped) starts again at the check."""
    import_bestand = get_object_or_404(imports_zichtbaar_voor(request.user), pk=pk)
    with transaction.atomic():
        opnieuw_gestart = services.opnieuw_proberen(import_bestand_id=import_bestand.pk)
        if opnieuw_gestart is not None:
            transaction.on_commit(lambda: tasks.import_controleren.delay(import_bestand.pk))
    if opnieuw_gestart is None:
        messages.warning(request, "Deze import is niet mislukt; opnieuw starten kan niet.")
    return redirect("importeren:status", pk=import_bestand.pk)


@require_POST
@importeur_vereist
def bevestigen(request, pk: int):
    import_bestand = get_object_or_404(imports_zichtbaar_voor(request.user), pk=pk)
    with transaction.atomic():
        bevestigd = services.import_bevestigen(
            import_bestand_id=import_bestand.pk, door=request.user
        )
        if bevestigd is not None:
            transaction.on_commit(lambda: tasks.import_uitvoeren.delay(import_bestand.pk))
    if bevestigd is None:
        messages.warning(request, "Deze import wacht niet (meer) op bevestiging.")
    return redirect("importeren:status", pk=import_bestand.pk)
