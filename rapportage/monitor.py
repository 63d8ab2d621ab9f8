"""The coalitiemonitor: request one (a row), make it (a Celery task), read who may see which."""

from __future__ import annotations

import datetime as dt
import logging

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone

from coalitie import toegang
from coalitie.models import COALITIE_ROLLEN, Coalitie
from coalitie.selectors import scope_van
from plaatsingen.models import Plaatsing

from . import actietellers
from .cijfers import (
    acties_op_tijd,
    basis,
    maanden_tussen,
    open_signalen,
    periode_cijfers,
    periode_cijfers_pg,
    verblijfsduur,
    verdelingen_uitstroom,
)
from .doelen import doelen_cijfers
from .gelijktijdig import tegelijk
from .models import Monitor, MonitorStatus
from .onderdrukking import REGEL
from .pdf import render_to_pdf, zonder_gc
from .secties import secties
from .spiegel import kerngetallen
from .verantwoording import (
    afgebroken,
    afgebroken_overgangen,
    herplaatsingen_uit_spiegel,
    verantwoording_taken,
)
from .xlsx import secties_xlsx

logger = logging.getLogger(__name__)


def standaard_periode(vandaag: dt.date) -> tuple[dt.date, dt.date]:
    """The last half year: the six whole months before the current one."""
    tot = vandaag.replace(day=1) - dt.timedelta(days=1)
    return tot.replace(day=1) - relativedelta(months=5), tot


# --- Reads --------------------------------------------------------------------------------------


def monitors_zichtbaar_voor(user):
    """The coalition roles (procesregisseur, penvoerder, beheerder) see their coalition's."""
    scope = scope_van(user)
    qs = Monitor.objects.select_related("coalitie", "door")
    if scope.is_superuser:
        return qs
    return qs.filter(coalitie_id__in=scope.coalities(*COALITIE_ROLLEN))


def get_monitor_for_user(user, pk) -> Monitor:
    try:
        return monitors_zichtbaar_voor(user).get(pk=int(pk))
    except (Monitor.DoesNotExist, ValueError, TypeError):
        raise Http404("Deze monitor bestaat niet of u heeft er geen toegang toe.") from None


def coalitie_voor_monitor(user, pk) -> Coalitie:
    scope = scope_van(user)
    qs = Coalitie.objects.all()
    if not scope.is_superuser:
        qs = qs.filter(pk__in=scope.coalities(*COALITIE_ROLLEN))
    try:
        return qs.get(pk=int(pk))
    except (Coalitie.DoesNotExist, ValueError, TypeError):
        raise Http404("Deze coalitie bestaat niet of u heeft er geen toegang toe.") from None


# --- Writes -------------------------------------------------------------------------------------


def monitor_aanvragen(*, coalitie: Coalitie, van: dt.date, tot: dt.date, swvs, door) -> Monitor:
    """Record the request; the task is queued when the transaction commits."""
    from .tasks import monitor_maken_taak

    with transaction.atomic():
        monitor = Monitor.objects.create(coalitie=coalitie, van=van, tot=tot, door=door)
        monitor.swvs.set([s for s in swvs if s.coalitie_id == coalitie.pk])
        transaction.on_commit(lambda: monitor_maken_taak.delay(monitor.pk))
    return monitor


def _voortgang(monitor_id: int, pct: int) -> None:
    # A plain UPDATE outside any long transaction, so the status page sees it at once.
    Monitor.objects.filter(pk=monitor_id).update(voortgang=pct)


# The longest figure tasks at 100,000 placements, longest first (timed one after the other:
# each of these 90-175 ms under load, the rest under 40 ms): the workers take the long ones
# first and end about together, instead of one starting the spiegel when the others are done.
LANGSTE_EERST = ["v:herkomst", "periode", "v:stamschool", "spiegel", "v:wachttijd"]


def _langste_eerst(taken: dict) -> dict:
    return {n: taken[n] for n in LANGSTE_EERST if n in taken} | taken


def monitor_context(monitor: Monitor, *, vandaag: dt.date | None = None) -> dict:
    vandaag = vandaag or timezone.localdate()
    swvs = list(monitor.swvs.order_by("code"))
    gekozen = swvs or list(monitor.coalitie.swvs.order_by("code"))
    swv_ids = [s.pk for s in gekozen]
    # Someone who asked for it and has since lost the role (removed from the coalition,
    # deactivated) would see nothing, and the monitor came out silently empty (issue 19,
    # defect 11). The monitor is the coalition's document, read by its team: it is then made
    # as the schedule makes it, and says so.
    zonder_rol = monitor.door is not None and not toegang.heeft_coalitierol_in(
        monitor.door, monitor.coalitie_id
    )
    door_telt = monitor.door is not None and not zonder_rol
    if door_telt:
        qs = basis(monitor.door, swv_ids)
    else:
        # Made by the schedule: the coalition's pupils, as its team sees them (its own SWVs).
        qs = Plaatsing.objects.filter(verantwoordelijk_swv_id__in=swv_ids).order_by()

    # The figures at the same time on a few connections (gelijktijdig.py), longest first:
    # the parts of `alle_cijfers` one by one (a test holds them equal to it), the startfoto
    # figures, the goals and the spiegel.
    van, tot = monitor.van, monitor.tot
    uitgestroomd = qs.filter(einddatum__range=(van, tot))
    peildata = sorted({m for m in maanden_tussen(van, tot) if m >= van} | {min(tot, vandaag)})
    if door_telt:
        # Made by someone of the team: "acties op tijd" from the kept counters, as the
        # dashboard does for the same scope (rapportage.actietellers, same figures).
        def acties():
            return actietellers.acties_op_tijd(monitor.door, swv_ids, qs, van, tot, vandaag)
    else:

        def acties():
            return acties_op_tijd(qs, van, tot, vandaag)

    taken = {
        "acties": lambda: {"acties": acties()},
        "signalen": lambda: {"signalen": open_signalen(qs, vandaag)},
    }
    if connection.vendor == "postgresql":  # one scan for all three, as alle_cijfers does
        taken["periode"] = lambda: periode_cijfers_pg(qs, van, tot, peildata, uitstroom=True)
    else:
        taken["periode"] = lambda: periode_cijfers(qs, van, tot, peildata)
        taken["duur"] = lambda: {"duur": verblijfsduur(uitgestroomd)}
        taken["verdelingen"] = lambda: verdelingen_uitstroom(uitgestroomd)
    v_taken = verantwoording_taken(qs, van, tot, vandaag, met_spiegel=True)
    taken |= {f"v:{naam}": taak for naam, taak in v_taken.items()}

    def spiegel():
        # The routes afgebroken once, for the spiegel (per SWV) and the startfoto (per phase
        # and reason); the re-placements of the startfoto are the spiegel's sums.
        per = "verantwoordelijk_swv__code"
        overgangen = afgebroken_overgangen(qs, van, tot, per)
        return {
            "spiegel": kerngetallen(qs, van, tot, per, overgangen=overgangen),
            "afgebroken": afgebroken(qs, van, tot, overgangen=overgangen),
        }

    taken["spiegel"] = spiegel
    taken["doelen"] = lambda: doelen_cijfers(monitor.coalitie, qs, van, tot, vandaag)
    _voortgang(monitor.pk, 10)
    uit = tegelijk(_langste_eerst(taken))
    cijfers = {"van": van, "tot": tot, "vandaag": vandaag}
    for naam in ("periode", "duur", "verdelingen", "acties", "signalen"):
        cijfers |= uit.get(naam, {})
    cijfers["actief_nu"] = cijfers["peildata"][-1][1]
    cijfers["v"] = {}
    for naam in v_taken:
        cijfers["v"] |= uit[f"v:{naam}"]
    cijfers["v"] |= uit["spiegel"]["afgebroken"]
    cijfers["v"]["uniek"] |= herplaatsingen_uit_spiegel(uit["spiegel"]["spiegel"])
    cijfers["doelen"] = uit["doelen"]
    cijfers["spiegel"] = uit["spiegel"]["spiegel"]
    cijfers["spiegel_swvs"] = [s.code for s in gekozen]
    _voortgang(monitor.pk, 80)
    return {
        "monitor": monitor,
        "coalitie": monitor.coalitie,
        "swvs": swvs,
        "cijfers": cijfers,
        "secties": secties(cijfers, onderdrukken=True),
        "gemaakt_op": timezone.localtime(),
        "regel": REGEL,
        "door_zonder_rol": zonder_rol,
    }


def monitor_maken(*, monitor_id: int, vandaag: dt.date | None = None) -> bool:
    """Make the PDF once; a retried or duplicated task finds it made and does nothing."""
    with transaction.atomic():
        monitor = Monitor.objects.select_for_update().get(pk=monitor_id)
        if monitor.status == MonitorStatus.KLAAR:
            return False
        monitor.status = MonitorStatus.BEZIG
        monitor.voortgang = 5
        monitor.save(update_fields=["status", "voortgang"])
    try:
        monitor = Monitor.objects.select_related("coalitie", "door").get(pk=monitor_id)
        context = monitor_context(monitor, vandaag=vandaag)
        # Until the monitor is KLAAR: the collection of what WeasyPrint left comes after
        # that, not in the middle of making it (pdf.zonder_gc).
        with zonder_gc():
            # The small user-agent stylesheet (pdf_ua_lijst.css): the monitor uses only its
            # elements; pixel-identical pages, ~5% less layout work.
            pdf = render_to_pdf("rapportage/monitor_pdf.html", context, small_ua=True)
            xlsx = secties_xlsx(
                context["secties"], titel=f"Coalitiemonitor {monitor.coalitie.naam}"
            )
            # The same tables for the monitor's page (the screen), made once with the PDF.
            tabellen = [
                {k: sectie[k] for k in ("id", "titel", "uitleg", "kolommen", "rijen", "totaal")}
                for sectie in context["secties"]
            ]
            _voortgang(monitor_id, 95)
            with transaction.atomic():
                monitor = Monitor.objects.select_for_update().get(pk=monitor_id)
                monitor.bestand.save("monitor.pdf", ContentFile(pdf), save=False)
                monitor.xlsx.save("monitor.xlsx", ContentFile(xlsx), save=False)
                monitor.secties = tabellen
                monitor.status = MonitorStatus.KLAAR
                monitor.voortgang = 100
                monitor.gemaakt_op = timezone.now()
                monitor.save(
                    update_fields=[
                        "bestand",
                        "xlsx",
                        "secties",
                        "status",
                        "voortgang",
                        "gemaakt_op",
                    ]
                )
        transaction.on_commit(lambda: monitor_klaar_melden(monitor))
    except Exception as exc:
        logger.exception("Coalitiemonitor %s mislukt", monitor_id)
        Monitor.objects.filter(pk=monitor_id).update(
            status=MonitorStatus.MISLUKT, fout=f"{type(exc).__name__}: {exc}"[:500]
        )
        raise
    return True


def monitor_klaar_melden(monitor: Monitor) -> int:
    """Tell the coalition's penvoerders (and whoever asked for it) in the app; once per
    monitor and person, however often this runs (the sleutel)."""
    from django.urls import reverse

    from coalitie.meldingen import melden
    from coalitie.models import Lidmaatschap, Rol, User

    ids = set(
        Lidmaatschap.objects.filter(rol=Rol.PENVOERDER, coalitie=monitor.coalitie).values_list(
            "user_id", flat=True
        )
    )
    if monitor.door_id:
        ids.add(monitor.door_id)
    ontvangers = list(User.objects.filter(pk__in=ids, is_active=True))
    melden(
        ontvangers,
        "monitor_klaar",
        f"De coalitiemonitor van {monitor.coalitie.naam} over {monitor.van:%d-%m-%Y} t/m "
        f"{monitor.tot:%d-%m-%Y} is klaar.",
        url=reverse("rapport:monitor_status", kwargs={"pk": monitor.pk}),
        sleutel=f"monitor:{monitor.pk}",
    )
    return len(ontvangers)


def halfjaar_voor(vandaag: dt.date) -> tuple[dt.date, dt.date]:
    """The last whole half year before `vandaag`: jan-jun or jul-dec."""
    if vandaag.month <= 6:
        return dt.date(vandaag.year - 1, 7, 1), dt.date(vandaag.year - 1, 12, 31)
    return dt.date(vandaag.year, 1, 1), dt.date(vandaag.year, 6, 30)


def halfjaar_monitors_aanvragen(
    *, van: dt.date | None = None, tot: dt.date | None = None, vandaag: dt.date | None = None
) -> list[int]:
    """One automatic monitor per coalition for the period (default: the last half year).
    Idempotent: the unique constraint on (coalitie, van, tot) of automatic monitors makes a
    second run find the rows instead of adding any; only new ones are queued."""
    from .tasks import monitor_maken_taak

    if van is None or tot is None:
        van, tot = halfjaar_voor(vandaag or timezone.localdate())
    nieuw = []
    for coalitie in Coalitie.objects.order_by("pk"):
        with transaction.atomic():
            monitor, gemaakt = Monitor.objects.get_or_create(
                coalitie=coalitie, van=van, tot=tot, automatisch=True
            )
        if gemaakt or monitor.status == MonitorStatus.NIEUW:
            nieuw.append(monitor.pk)
    for pk in nieuw:
        monitor_maken_taak.delay(pk)
    return nieuw
