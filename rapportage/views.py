"""Pages of the monthly lists. Every file goes out through a view that checks access and logs."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from coalitie import toegang
from coalitie.models import COALITIE_ROLLEN
from coalitie.selectors import coalities_van, scope_van

from .models import Maandlijst
from .selectors import get_maandlijst_for_user, maand_uit_tekst, overzicht_coalitie, vorige_maand
from .services import maandlijst_download_loggen, maandlijst_opnieuw_mailen
from .tasks import maandlijst_mailen_taak, maandlijst_maken_taak

SOORTEN = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _maand(tekst: str | None):
    if not tekst:
        return vorige_maand(timezone.localdate())
    try:
        return maand_uit_tekst(tekst)
    except ValueError:
        raise Http404("Onbekende maand.") from None


def _coalitie_voor(user, pk, *, beheer: bool = False):
    """The coalition if the user holds a coalition role there (404 otherwise, as for a missing
    one); `beheer` additionally needs the beheerder role (403: may see, may not change)."""
    coalitie = coalities_van(user, *COALITIE_ROLLEN).filter(pk=pk).first()
    if coalitie is None:
        raise Http404("Deze coalitie bestaat niet of u heeft er geen toegang toe.")
    if beheer and not toegang.is_beheerder_van(user, coalitie.pk):
        raise PermissionDenied("Alleen een beheerder van de coalitie kan lijsten opnieuw maken.")
    return coalitie


def volgende_eerste(vandaag):
    """The first of next month: when the job makes the lists of this month."""
    return (vandaag.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _bestandsnaam(lijst: Maandlijst, soort: str) -> str:
    return f"maandlijst {lijst.swv.code} {lijst.maand:%Y-%m}.{soort}"


@login_required
@require_GET
def index(request):
    scope = scope_van(request.user)
    maand = _maand(request.GET.get("maand"))
    eigen = (
        Maandlijst.objects.zichtbaar_voor(request.user)
        .filter(swv_id__in=scope.swv_ids)
        .select_related("swv")
        .order_by("swv__code", "-maand")
    )
    coalities = []
    for c in coalities_van(request.user, *COALITIE_ROLLEN):
        regels = overzicht_coalitie(coalitie=c, maand=maand)
        coalities.append(
            {
                "coalitie": c,
                "regels": regels,
                "mag_beheren": toegang.is_beheerder_van(request.user, c.pk),
                # The ZIP holds the lists made; without any, offer no button that answers 404.
                "aantal_gemaakt": sum(1 for _, lijst in regels if lijst and lijst.is_gemaakt),
            }
        )
    return render(
        request,
        "rapportage/index.html",
        {
            "maand": maand,
            "eigen": eigen,
            "coalities": coalities,
            # An SWV contact whose lists are not made yet has a role; it is told when they come.
            "is_contactpersoon": bool(scope.swv_ids),
            "volgende_maand": volgende_eerste(timezone.localdate()),
        },
    )


@login_required
@require_GET
def detail(request, pk: int):
    lijst = get_maandlijst_for_user(request.user, pk)
    return render(
        request,
        "rapportage/detail.html",
        {"lijst": lijst, "logs": lijst.logs.select_related("door")[:100]},
    )


@login_required
@require_GET
def download(request, pk: int, soort: str):
    lijst = get_maandlijst_for_user(request.user, pk)
    bestand = getattr(lijst, soort, None) if soort in SOORTEN else None
    if not bestand:
        raise Http404("Deze maandlijst is nog niet gemaakt.")
    maandlijst_download_loggen(maandlijsten=[lijst], door=request.user, wat=soort, request=request)
    return FileResponse(
        bestand.open("rb"),
        as_attachment=True,
        filename=_bestandsnaam(lijst, soort),
        content_type=SOORTEN[soort],
    )


@login_required
@require_GET
def zip_download(request, coalitie_pk: int, maand: str):
    coalitie = _coalitie_voor(request.user, coalitie_pk)
    maand = _maand(maand)
    lijsten = [
        m
        for m in Maandlijst.objects.filter(swv__coalitie=coalitie, maand=maand)
        .select_related("swv")
        .order_by("swv__code")
        if m.is_gemaakt
    ]
    if not lijsten:
        raise Http404("Er zijn nog geen maandlijsten van deze maand.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archief:
        for lijst in lijsten:
            for soort in SOORTEN:
                with getattr(lijst, soort).open("rb") as f:
                    archief.writestr(_bestandsnaam(lijst, soort), f.read())
    maandlijst_download_loggen(maandlijsten=lijsten, door=request.user, wat="zip", request=request)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="maandlijsten {coalitie.slug} {maand:%Y-%m}.zip"'
    )
    return response


@login_required
@require_POST
def opnieuw_maken(request, coalitie_pk: int, maand: str):
    coalitie = _coalitie_voor(request.user, coalitie_pk, beheer=True)
    maand = _maand(maand)
    swvs = coalitie.swvs.all()
    if request.POST.get("swv"):
        swvs = swvs.filter(pk=request.POST["swv"]) if request.POST["swv"].isdigit() else swvs.none()
        if not swvs:
            raise Http404("Dit SWV hoort niet bij de coalitie.")
    swv_ids = list(swvs.values_list("pk", flat=True))
    door_id = request.user.pk
    transaction.on_commit(
        lambda: [
            maandlijst_maken_taak.delay(swv_id, maand.isoformat(), True, door_id)
            for swv_id in swv_ids
        ]
    )
    messages.success(
        request,
        f"{len(swv_ids)} maandlijst(en) worden opnieuw gemaakt; dat staat straks in het log.",
    )
    return redirect(f"{reverse('rapportage:index')}?maand={maand:%Y-%m}")


@login_required
@require_POST
def opnieuw_mailen(request, pk: int):
    """A beheerder resends the mail of a list whose mail failed for good (never a second mail
    of a list that was mailed: the service and the mail task both check)."""
    lijst = get_maandlijst_for_user(request.user, pk)
    _coalitie_voor(request.user, lijst.swv.coalitie_id, beheer=True)
    if maandlijst_opnieuw_mailen(maandlijst_id=lijst.pk, door=request.user):
        transaction.on_commit(lambda: maandlijst_mailen_taak.delay(lijst.pk))
        messages.success(request, f"De mail over {lijst} wordt opnieuw verstuurd.")
    else:
        messages.info(request, f"{lijst}: de mail is al verstuurd of wordt nog geprobeerd.")
    return redirect(f"{reverse('rapportage:index')}?maand={lijst.maand:%Y-%m}")
