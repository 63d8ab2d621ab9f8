"""Route mails. Thin tasks: load, compute, send. Never personal data in a mail: links only."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from coalitie.models import Lidmaatschap, Rol, User
from plaatsingen.models import Plaatsing

from .models import VerzondenOverzicht
from .selectors import SIGNALEN, met_signalen, signalen_tellen
from .states import OPEN_FASEN


@shared_task(acks_late=True)
def nieuwe_plaatsingen_mailen(email: str, plaatsing_ids: list[int]) -> None:
    links = [settings.SITE_URL + reverse("plaatsingen:detail", args=[pk]) for pk in plaatsing_ids]
    tekst = render_to_string("routetool/mail/nieuwe_plaatsingen.txt", {"links": links})
    onderwerp = (
        "Nieuwe plaatsing in de Routetool"
        if len(links) == 1
        else f"{len(links)} nieuwe plaatsingen in de Routetool"
    )
    send_mail(onderwerp, tekst, None, [email])


@shared_task(acks_late=True)
def wekelijks_signalenoverzicht() -> int:
    """Monday morning: each procesregisseur gets the counts of open signals of their scope.

    Idempotent per person and ISO week: the guard row (VerzondenOverzicht) is written in the
    same transaction as the send, under a lock on the user row, so a redelivered task (acks_late,
    a worker that died) or a second run skips whoever already has this week's mail. As with the
    monthly list, only a crash between SMTP accepting and the commit can still repeat a mail.
    """
    jaar, week, _ = timezone.localdate().isocalendar()
    sleutel = f"{jaar}-W{week:02d}"
    regie_ids = set(
        Lidmaatschap.objects.filter(rol=Rol.PROCESREGISSEUR).values_list("user_id", flat=True)
    )
    # Issue 17: a casusregisseur gets the digest of their own casussen.
    casus_ids = set(
        Plaatsing.objects.filter(fase__in=OPEN_FASEN, casusregisseur__isnull=False)
        .values_list("casusregisseur_id", flat=True)
        .distinct()
    )
    verstuurd = 0
    for user_id in User.objects.filter(pk__in=regie_ids | casus_ids, is_active=True).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=user_id)
            if VerzondenOverzicht.objects.filter(user=user, week=sleutel).exists():
                continue
            basis = Plaatsing.objects.zichtbaar_voor(user).filter(fase__in=OPEN_FASEN)
            if user_id in regie_ids:
                link = reverse("routetool:overzicht")
            else:
                basis = basis.filter(casusregisseur_id=user_id)
                link = reverse("home") + "?casus=mijn"
            qs = met_signalen(basis)
            tellingen = signalen_tellen(qs)
            tekst = render_to_string(
                "routetool/mail/wekelijks_overzicht.txt",
                {
                    "regels": [(label, tellingen[key]) for key, label in SIGNALEN],
                    "link": settings.SITE_URL + link,
                },
            )
            send_mail("Wekelijks overzicht signalen — Routetool", tekst, None, [user.email])
            VerzondenOverzicht.objects.create(user=user, week=sleutel)
        verstuurd += 1
    return verstuurd


@shared_task(acks_late=True)
def te_laat_melden() -> int:
    """Daily: actions gone overdue become meldingen for whoever must do them (idempotent)."""
    from .meldingen_route import te_laat_melden as melden

    return melden()
