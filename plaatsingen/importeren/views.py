"""Web import for beheerders: upload → (task) check → preview → confirm → (task) import."""

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


def beheerder_vereist(view):
    """Only beheerders (and superusers) see the import; others get 404, as if it did not exist."""

    @wraps(view)
    @login_required
    def binnen(request, *args, **kwargs):
        if not toegang.is_beheerder(request.user):
            raise Http404("Deze pagina bestaat niet of u heeft er geen toegang toe.")
        return view(request, *args, **kwargs)

    return binnen


def imports_zichtbaar_voor(user):
    """Imports of the beheerder's own coalitions (uploaded by a beheerder of one of them)."""
    qs = ImportBestand.objects.select_related("door")
    coalities = toegang.beheerde_coalities(user)
    if coalities is None:
        return qs
    return qs.filter(
        Q(door=user)
        | Q(
            door__lidmaatschappen__rol=Rol.BEHEERDER,
            door__lidmaatschappen__coalitie_id__in=coalities,
        )
    ).distinct()


@beheerder_vereist
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
    return render(request, "plaatsingen/import/overzicht.html", {"form": form, "imports": imports})


@beheerder_vereist
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
@beheerder_vereist
def fouten_csv(request, pk: int):
    """Every error as a CSV (line, column, message): to work through in a spreadsheet."""
    import_bestand = get_object_or_404(imports_zichtbaar_voor(request.user), pk=pk)
    response = HttpResponse(als_csv(import_bestand.fouten), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="importfouten-{pk}.csv"'
    return response


@require_POST
@beheerder_vereist
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
@beheerder_vereist
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
