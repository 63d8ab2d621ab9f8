"""Celery tasks for the monthly lists: thin, idempotent, each step safe to retry."""

from __future__ import annotations

import datetime as dt
from smtplib import SMTPException

from celery import Task, shared_task
from django.conf import settings
from django.utils import timezone

from coalitie.models import Samenwerkingsverband, User
from coalitie.toegang import SYSTEEM

from . import actietellers
from .selectors import swv_ids_met_leerlingen, vorige_maand
from .services import (
    maandlijst_mailen,
    maandlijst_mailen_mislukt,
    maandlijst_maken,
    maandlijsten_maken,
)


@shared_task(acks_late=True)
def maandlijsten_vorige_maand(maand: str | None = None) -> int:
    """Beat, on the 1st at 06:00: one task per SWV with pupils (a slow or failing SWV holds up
    no other), and one task for all empty lists together (laid out as one document: most SWVs
    have nobody in residential care in a given month)."""
    maand = maand or vorige_maand(timezone.localdate()).isoformat()
    swv_ids = list(Samenwerkingsverband.objects.order_by("code").values_list("pk", flat=True))
    met_leerlingen = swv_ids_met_leerlingen(dt.date.fromisoformat(maand))
    lege = [pk for pk in swv_ids if pk not in met_leerlingen]
    if lege:
        maandlijsten_maken_taak.delay(lege, maand)
    for swv_id in swv_ids:
        if swv_id in met_leerlingen:
            maandlijst_maken_taak.delay(swv_id, maand)
    return len(swv_ids)


@shared_task(acks_late=True)
def maandlijsten_maken_taak(swv_ids: list[int], maand: str) -> int:
    """Several SWVs' lists at once (the empty ones of the month); each list's mail as usual.
    A list that got pupils meanwhile is simply made with them."""
    swvs = list(
        Samenwerkingsverband.objects.select_related("coalitie")
        .filter(pk__in=swv_ids)
        .order_by("code")
    )
    uitkomst = maandlijsten_maken(swvs=swvs, maand=dt.date.fromisoformat(maand), door=SYSTEEM)
    for lijst, _ in uitkomst:
        maandlijst_mailen_taak.delay(lijst.pk)
    return len(uitkomst)


@shared_task(acks_late=True)
def maandlijst_maken_taak(
    swv_id: int, maand: str, opnieuw: bool = False, door_id: int | None = None
) -> int:
    lijst, _ = maandlijst_maken(
        swv=Samenwerkingsverband.objects.get(pk=swv_id),
        maand=dt.date.fromisoformat(maand),
        opnieuw=opnieuw,
        # Queued by the monthly beat task without a user: the system makes it.
        door=User.objects.filter(pk=door_id).first() if door_id else SYSTEEM,
    )
    # Always queued, also when the list already existed: a crash between making and queueing
    # must not lose the mail, and the mail task itself sends at most once.
    maandlijst_mailen_taak.delay(lijst.pk)
    return lijst.pk


def herhaalschema() -> list[float]:
    """Seconds to wait before each retry of a failed mail: doubling from
    MAIL_HERHALEN_EERSTE up to MAIL_HERHALEN_MAX, until together they cover MAIL_HERHALEN_TOTAAL
    (24 hours: a mail server down over a night or a weekend day still gets the mail out).

    MAIL_HERHALEN_MAX stays below the Redis broker's visibility timeout (settings): a waiting
    retry is an unacknowledged message, redelivered (a second chain) if it waits longer.
    """
    eerste = settings.MAIL_HERHALEN_EERSTE
    maximum = settings.MAIL_HERHALEN_MAX
    schema: list[float] = []
    while sum(schema) < settings.MAIL_HERHALEN_TOTAAL:
        schema.append(min(eerste * 2 ** len(schema), maximum))
    return schema


def mailfout_reden(exc: BaseException) -> str:
    """Type and SMTP code only: the server's text can quote the recipients' addresses."""
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__}{f' {code}' if code else ''}"


class MailTaak(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        # Called once, after the last retry: the failure becomes visible in the delivery log
        # and the coalition's beheerders get a melding in the app.
        maandlijst_id = kwargs.get("maandlijst_id", args[0] if args else None)
        if maandlijst_id is not None:
            maandlijst_mailen_mislukt(
                maandlijst_id=maandlijst_id,
                reden=f"Na {len(herhaalschema()) + 1} pogingen niet gelukt ({mailfout_reden(exc)}).",
            )


@shared_task(base=MailTaak, bind=True, acks_late=True, max_retries=None)
def maandlijst_mailen_taak(self, maandlijst_id: int) -> bool:
    try:
        return maandlijst_mailen(maandlijst_id=maandlijst_id)
    except (SMTPException, OSError) as exc:
        schema = herhaalschema()
        poging = self.request.retries
        if poging >= len(schema):
            raise  # the last one: on_failure records it and alerts the beheerders
        raise self.retry(countdown=schema[poging], exc=exc, max_retries=len(schema)) from None


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def monitor_maken_taak(monitor_id: int) -> bool:
    """Make one coalitiemonitor PDF (idempotent: a made monitor is left alone)."""
    from .monitor import monitor_maken

    return monitor_maken(monitor_id=monitor_id)


@shared_task(acks_late=True)
def monitors_halfjaar(van: str | None = None, tot: str | None = None) -> int:
    """Beat, on 1 January and 1 July at 05:00: each coalition's monitor of the half year just
    ended (or of [van, tot]); once per coalition and period however often it runs."""
    from .monitor import halfjaar_monitors_aanvragen

    return len(
        halfjaar_monitors_aanvragen(
            van=dt.date.fromisoformat(van) if van else None,
            tot=dt.date.fromisoformat(tot) if tot else None,
        )
    )


@shared_task(acks_late=True)
def actietellers_samenvoegen() -> int:
    """Beat, nightly: fold the delta rows of "acties op tijd" into one row per key (the figures
    stay the same; a rerun folds nothing more). Returns the rows left."""
    return actietellers.samenvoegen()
