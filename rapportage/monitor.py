"""The coalitiemonitor: request one (a row), make it (a Celery task), read who may see which."""

from __future__ import annotations

import datetime as dt
import logging

from dateutil.relativedelta import relativedelta
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from coalitie.models import COALITIE_ROLLEN, Coalitie
from coalitie.selectors import scope_van

from .cijfers import alle_cijfers, basis
from .models import Monitor, MonitorStatus
from .onderdrukking import REGEL
from .pdf import render_to_pdf
from .secties import secties

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


def monitor_context(monitor: Monitor, *, vandaag: dt.date | None = None) -> dict:
    swvs = list(monitor.swvs.order_by("code"))
    swv_ids = [s.pk for s in swvs] or list(monitor.coalitie.swvs.values_list("pk", flat=True))
    qs = basis(monitor.door, swv_ids)
    cijfers = alle_cijfers(
        qs, monitor.van, monitor.tot, vandaag, voortgang=lambda p: _voortgang(monitor.pk, p)
    )
    return {
        "monitor": monitor,
        "coalitie": monitor.coalitie,
        "swvs": swvs,
        "cijfers": cijfers,
        "secties": secties(cijfers, onderdrukken=True),
        "gemaakt_op": timezone.localtime(),
        "regel": REGEL,
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
        pdf = render_to_pdf(
            "rapportage/monitor_pdf.html", monitor_context(monitor, vandaag=vandaag)
        )
        _voortgang(monitor_id, 95)
        with transaction.atomic():
            monitor = Monitor.objects.select_for_update().get(pk=monitor_id)
            monitor.bestand.save("monitor.pdf", ContentFile(pdf), save=False)
            monitor.status = MonitorStatus.KLAAR
            monitor.voortgang = 100
            monitor.gemaakt_op = timezone.now()
            monitor.save(update_fields=["bestand", "status", "voortgang", "gemaakt_op"])
    except Exception as exc:
        logger.exception("Coalitiemonitor %s mislukt", monitor_id)
        Monitor.objects.filter(pk=monitor_id).update(
            status=MonitorStatus.MISLUKT, fout=f"{type(exc).__name__}: {exc}"[:500]
        )
        raise
    return True
