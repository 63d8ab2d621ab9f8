"""Pages of the reports: the live dashboard, the coalitiemonitor (request, progress, list,
download) and the routeoverzicht PDF of one placement. Files go out only through views that
check access and log the download."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from coalitie.audit import log_toegang
from coalitie.models import COALITIE_ROLLEN, Rol, Samenwerkingsverband, Toegangsactie
from coalitie.selectors import coalities_van, is_landelijk, scope_van, swvs_zichtbaar_voor
from coalitie.toegang import route_rollen
from plaatsingen.models import Plaatsing
from plaatsingen.selectors import get_plaatsing_for_user
from routetool import route
from routetool.selectors import met_signalen

from .dashboard import dashboard_cijfers
from .monitor import (
    coalitie_voor_monitor,
    get_monitor_for_user,
    monitor_aanvragen,
    monitors_zichtbaar_voor,
    standaard_periode,
)
from .periodes import KEUZES, periode_uit
from .routeoverzicht import routeoverzicht_pdf
from .secties import secties


@login_required
@require_GET
def dashboard(request):
    scope = scope_van(request.user)
    if is_landelijk(request.user) and not scope.rollen:
        return redirect("rapport:landelijk")
    if not (scope.rollen or scope.is_superuser):
        return render(request, "rapportage/dashboard.html", {"zonder_rol": True})
    vandaag = timezone.localdate()
    periode = periode_uit(request.GET, vandaag)
    keuze = swvs_zichtbaar_voor(request.user).order_by("code")
    # Only the coalition team narrows by SWV; a contact person's scope is already one SWV.
    kan_kiezen = scope.is_superuser or bool(scope.coalities(*COALITIE_ROLLEN))
    gekozen = []
    if kan_kiezen and request.GET.getlist("swv"):
        ids = [int(s) for s in request.GET.getlist("swv") if s.isdigit()]
        gekozen = list(keuze.filter(pk__in=ids).values_list("pk", flat=True))
    cijfers = dashboard_cijfers(request.user, gekozen, periode.van, vandaag, tot=periode.tot)
    return render(
        request,
        "rapportage/dashboard.html",
        {
            "cijfers": cijfers,
            "secties": secties(cijfers, onderdrukken=False),
            "leeg": cijfers["in_periode"] == 0 and cijfers["actief_nu"] == 0,
            "swv_keuze": keuze if kan_kiezen else [],
            "gekozen": gekozen,
            "is_coalitieteam": kan_kiezen,
            "periode": periode,
            "periode_keuzes": KEUZES,
        },
    )


class MonitorForm(forms.Form):
    van = forms.DateField(label="Van")
    tot = forms.DateField(label="Tot en met")
    swvs = forms.ModelMultipleChoiceField(
        label="Samenwerkingsverbanden (geen keuze: alle van de coalitie)",
        queryset=Samenwerkingsverband.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, coalitie, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["swvs"].queryset = coalitie.swvs.order_by("code")

    def clean(self):
        data = super().clean()
        van, tot = data.get("van"), data.get("tot")
        if van and tot and tot < van:
            raise forms.ValidationError("De einddatum ligt voor de begindatum.")
        # Five years: the startfoto looks back that far over back-loaded history.
        if van and tot and (tot - van).days > 5 * 366:
            raise forms.ValidationError("Kies een periode van hoogstens vijf jaar.")
        return data


@login_required
@require_GET
def monitor_index(request):
    coalities = coalities_van(request.user, *COALITIE_ROLLEN)
    van, tot = standaard_periode(timezone.localdate())
    formulieren = [
        (c, MonitorForm(coalitie=c, initial={"van": van, "tot": tot}, auto_id=f"m{c.pk}-%s"))
        for c in coalities
    ]
    monitors = monitors_zichtbaar_voor(request.user).prefetch_related("swvs")[:50]
    doelen_coalities = set(
        coalities_van(request.user, Rol.PENVOERDER, Rol.BEHEERDER).values_list("pk", flat=True)
    )
    return render(
        request,
        "rapportage/monitor_index.html",
        {"formulieren": formulieren, "monitors": monitors, "doelen_coalities": doelen_coalities},
    )


@login_required
@require_http_methods(["POST"])
def monitor_nieuw(request, coalitie_pk: int):
    coalitie = coalitie_voor_monitor(request.user, coalitie_pk)
    form = MonitorForm(request.POST, coalitie=coalitie, auto_id=f"m{coalitie.pk}-%s")
    if not form.is_valid():
        monitors = monitors_zichtbaar_voor(request.user).prefetch_related("swvs")[:50]
        return render(
            request,
            "rapportage/monitor_index.html",
            {"formulieren": [(coalitie, form)], "monitors": monitors},
            status=400,
        )
    monitor = monitor_aanvragen(
        coalitie=coalitie,
        van=form.cleaned_data["van"],
        tot=form.cleaned_data["tot"],
        swvs=list(form.cleaned_data["swvs"]),
        door=request.user,
    )
    return redirect("rapport:monitor_status", pk=monitor.pk)


@login_required
@require_GET
def monitor_status(request, pk: int):
    monitor = get_monitor_for_user(request.user, pk)
    return render(request, "rapportage/monitor_status.html", {"monitor": monitor})


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def monitor_download(request, pk: int, soort: str = "pdf"):
    monitor = get_monitor_for_user(request.user, pk)
    bestand = monitor.xlsx if soort == "xlsx" else monitor.bestand
    if not monitor.is_klaar or not bestand:
        raise Http404("Deze monitor is nog niet klaar.")
    log_toegang(
        request,
        actie=Toegangsactie.GEDOWNLOAD,
        object_type="monitor",
        object_id=str(monitor.pk),
        omschrijving=f"coalitiemonitor {monitor.van:%d-%m-%Y} t/m {monitor.tot:%d-%m-%Y} ({soort})",
    )
    return FileResponse(
        bestand.open("rb"),
        as_attachment=True,
        filename=f"coalitiemonitor {monitor.coalitie.slug} {monitor.van:%Y-%m-%d} "
        f"{monitor.tot:%Y-%m-%d}.{soort}",
        content_type=XLSX_TYPE if soort == "xlsx" else "application/pdf",
    )


@login_required
@require_GET
def routeoverzicht(request, pk: int):
    plaatsing = get_plaatsing_for_user(
        request.user,
        pk,
        queryset=met_signalen(
            Plaatsing.objects.met_lijstgegevens().select_related("vervolgschool", "casusregisseur")
        ),
    )
    # The whole route on paper (every note, contact and reason): not for a partner of this
    # placement, who sees only their own part (route.mag_route_details_zien).
    if not route.mag_route_details_zien(route_rollen(request.user, plaatsing)):
        raise Http404("Deze pagina bestaat niet of u heeft er geen toegang toe.")
    pdf = routeoverzicht_pdf(plaatsing, request.user)
    log_toegang(
        request, actie=Toegangsactie.GEDOWNLOAD, obj=plaatsing, omschrijving="routeoverzicht (PDF)"
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="routeoverzicht {plaatsing.pk} {dt.date.today():%Y-%m-%d}.pdf"'
    )
    return response
