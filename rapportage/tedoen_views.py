"""The Te doen page: the first page after login, one block per role the user holds.

It sits in `rapportage` because it reads every app (route actions, imports, invitations, lists);
each block's reads live with their own app (`routetool.tedoen` for the route).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from coalitie import toegang
from coalitie.audit import log_toegang_voor_leerlingen
from coalitie.models import Lidmaatschap, Rol, Toegangsactie, User
from coalitie.selectors import scope_van
from plaatsingen.importeren.views import imports_zichtbaar_voor
from plaatsingen.models import ImportStatus, RedenUitschrijving
from routetool import tedoen
from routetool.forms import OverslaanForm

from .models import LogSoort, Maandlijst, MaandlijstLog, Monitor, MonitorStatus
from .selectors import vorige_maand

RECENT_DAGEN = 30


def _penvoerder(user) -> dict:
    """Lists of last month not yet downloaded by this user, monitors made in the last month."""
    scope = scope_van(user)
    coalities = scope.coalities(Rol.PENVOERDER)
    maand = vorige_maand(timezone.localdate())
    gedownload = MaandlijstLog.objects.filter(
        maandlijst=OuterRef("pk"), soort=LogSoort.GEDOWNLOAD, door=user
    )
    lijsten = (
        Maandlijst.objects.filter(swv__coalitie_id__in=coalities, maand=maand)
        .exclude(pdf="")
        .annotate(gedownload=Exists(gedownload))
        .filter(gedownload=False)
        .select_related("swv")
        .order_by("swv__code")
    )
    monitors = Monitor.objects.filter(
        coalitie_id__in=coalities,
        status=MonitorStatus.KLAAR,
        gemaakt_op__gte=timezone.now() - dt.timedelta(days=RECENT_DAGEN),
    ).order_by("-gemaakt_op")
    return {"lijsten": list(lijsten), "monitors": list(monitors), "maand": maand}


def _beheerder(user) -> dict:
    sinds = timezone.now() - dt.timedelta(days=RECENT_DAGEN)
    imports = imports_zichtbaar_voor(user).filter(
        Q(status=ImportStatus.VOORBEELD) | Q(status=ImportStatus.AFGEWEZEN, ontvangen_op__gte=sinds)
    )
    coalities = toegang.beheerde_coalities(user)
    leden = Lidmaatschap.objects.all()
    if coalities is not None:  # None: a superuser, every coalition
        leden = leden.filter(
            Q(coalitie_id__in=coalities)
            | Q(swv__coalitie_id__in=coalities)
            | Q(instellingsschool__coalitie_id__in=coalities)
        )
    # Invited (Django marks "no usable password" with a leading "!" until the link is used)
    # and never logged in.
    onbruikbaar = {"password__startswith": UNUSABLE_PASSWORD_PREFIX}
    uitnodigingen = (
        User.objects.filter(is_active=True, last_login__isnull=True, **onbruikbaar)
        .filter(Exists(leden.filter(user=OuterRef("pk"))))
        .order_by("date_joined")
    )
    return {"imports": list(imports[:50]), "uitnodigingen": list(uitnodigingen[:50])}


@login_required
def te_doen(request):
    user, scope = request.user, scope_van(request.user)
    vandaag = timezone.localdate()
    blokken = []
    if scope.swv_ids:
        blokken.append(("SWV-contactpersoon", tedoen.swv_secties(user, vandaag)))
    uitschrijvingen = None
    if scope.instellingsschool_ids:
        blokken.append(("Medewerker instellingsschool", tedoen.school_secties(user, vandaag)))
        uitschrijvingen = tedoen.uitschrijvingen(user, vandaag)
    regie = tedoen.regie_secties(user, vandaag) if scope.heeft_rol(Rol.PROCESREGISSEUR) else []
    if regie:
        blokken.append(("Procesregisseur", regie))
    rijen = [r for _, secties in blokken for s in secties for r in s.rijen]
    leerling_ids = [r.plaatsing.leerling_id for r in rijen]
    if uitschrijvingen:
        leerling_ids += [p.leerling_id for p in uitschrijvingen[0]]
    if leerling_ids:
        # The page shows pupils by name: each one's access log shows that this user saw them.
        log_toegang_voor_leerlingen(
            request, actie=Toegangsactie.BEKEKEN, leerling_ids=leerling_ids, omschrijving="Te doen"
        )
    return render(
        request,
        "tedoen/index.html",
        {
            "blokken": blokken,
            "uitschrijvingen": uitschrijvingen,
            "redenen": RedenUitschrijving.choices,
            "penvoerder": _penvoerder(user) if scope.heeft_rol(Rol.PENVOERDER) else None,
            "beheerder": _beheerder(user) if toegang.is_beheerder(user) else None,
            "geen_rol": not scope.rollen and not scope.is_superuser,
            "vandaag": vandaag,
            "overslaan_form": OverslaanForm(prefix="bulk"),
            "binnenkort_werkdagen": tedoen.BINNENKORT_WERKDAGEN,
            "afronden_url": reverse("routetool:tedoen_afronden"),
        },
    )
