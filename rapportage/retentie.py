"""Retention, rapportage's part (the frame: `coalitie.retentie`): old monthly lists."""

from __future__ import annotations

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from coalitie import retentie as frame

from .models import Maandlijst


def oude_maandlijsten_verwijderen(*, nu=None) -> int:
    """Monthly lists are lists of names: their PDF and XLSX go once the month is older than the
    retention period (an anonymised pupil must not live on in an old list). The row and its
    delivery log stay, with the count."""
    grens = ((nu or timezone.now()) - relativedelta(months=settings.RETENTIE_MAANDEN)).date()
    aantal = 0
    for lijst in Maandlijst.objects.filter(maand__lt=grens).exclude(pdf="", xlsx=""):
        for veld in (lijst.pdf, lijst.xlsx):
            if veld:
                transaction.on_commit(lambda n=veld.name, s=veld.storage: s.delete(n))
        Maandlijst.objects.filter(pk=lijst.pk).update(pdf="", xlsx="")
        aantal += 1
    return aantal


def registreren() -> None:
    frame.registreer(frame.Haak("rapportage", opruimen=oude_maandlijsten_verwijderen))
