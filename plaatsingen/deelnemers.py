"""The chain around one pupil (issue 17): the casusregisseur of a placement and the deelnemers
(partners invited to one placement). Services write (transactions, row locks), the selectors
read; who may do it is asked of `coalitie.toegang`.

A deelnemer's access lives only as long as their invitation: not revoked, and the route not
closed for more than `DAGEN_NA_AFSLUITEN` days. `actieve_deelnemerschappen` is that rule, and it
is what `coalitie.selectors.scope_van` reads (through the hook registered in apps.py), so every
access decision sees the same answer.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from coalitie import historie, toegang
from coalitie.audit import Toegangsactie, log_toegang
from coalitie.models import Lidmaatschap, Rol, User

from .fasen import Fase
from .models import Deelnemer, Plaatsing

DAGEN_NA_AFSLUITEN = 30


# --- selectors ----------------------------------------------------------------------------


def actief_q(vandaag: dt.date, prefix: str = "") -> Q:
    grens = vandaag - dt.timedelta(days=DAGEN_NA_AFSLUITEN)
    return Q(**{f"{prefix}ingetrokken_op__isnull": True}) & (
        ~Q(**{f"{prefix}plaatsing__fase": Fase.AFGESLOTEN})
        | Q(**{f"{prefix}plaatsing__fase_sinds__gte": grens})
    )


def actieve_deelnemerschappen(user, vandaag: dt.date | None = None):
    """(plaatsing id, soort) of the user's live invitations: the hook behind Scope."""
    vandaag = vandaag or timezone.localdate()
    return Deelnemer.objects.filter(actief_q(vandaag), user_id=user.pk).values_list(
        "plaatsing_id", "soort"
    )


def deelnemers_van(plaatsing):
    """Everyone ever invited to this placement (revoked ones too: the page shows them)."""
    return Deelnemer.objects.filter(plaatsing=plaatsing).select_related("user")


def uitnodigingen_van(user):
    """The placements a deelnemer is invited to now, for their start page (no pupil data
    beyond what their placement page shows them anyway)."""
    return (
        Deelnemer.objects.filter(actief_q(timezone.localdate()), user_id=user.pk)
        .select_related("plaatsing__leerling", "plaatsing__instellingsschool")
        .order_by("-uitgenodigd_op")
    )


def swv_kandidaten(plaatsing):
    """Who can be casusregisseur: active contact persons of the responsible SWV."""
    return User.objects.filter(
        is_active=True,
        lidmaatschappen__rol=Rol.SWV_CONTACTPERSOON,
        lidmaatschappen__swv_id=plaatsing.verantwoordelijk_swv_id,
    ).distinct()


def is_al_deelnemer(*, plaatsing_id: int, email: str) -> bool:
    return Deelnemer.objects.filter(
        plaatsing_id=plaatsing_id, user__email__iexact=email.strip(), ingetrokken_op__isnull=True
    ).exists()


# --- casusregisseur -----------------------------------------------------------------------


def casusregisseur_toewijzen(*, plaatsing_id: int, casusregisseur, door) -> Plaatsing:
    """Name (or rename) the casusregisseur; a history entry on the placement says old → new."""
    toegang.vereis_actor(door)
    with transaction.atomic():
        plaatsing = (
            Plaatsing.objects.select_for_update(of=("self",))
            .select_related("instellingsschool")
            .get(pk=plaatsing_id)
        )
        if not toegang.is_systeem(door) and not toegang.mag_casusregisseur_toewijzen(
            door, plaatsing
        ):
            raise PermissionDenied("Alleen het SWV of de procesregisseur wijst dit toe.")
        if (
            casusregisseur is not None
            and not swv_kandidaten(plaatsing).filter(pk=casusregisseur.pk).exists()
        ):
            raise ValidationError(
                "Kies een contactpersoon van het verantwoordelijke samenwerkingsverband."
            )
        oud = plaatsing.casusregisseur_id
        nieuw = casusregisseur.pk if casusregisseur is not None else None
        if oud == nieuw:
            return plaatsing
        # An update, not a save: the history entry is written once, with the actor, below.
        Plaatsing.objects.filter(pk=plaatsing.pk).update(
            casusregisseur_id=nieuw, gewijzigd_op=timezone.now()
        )
        historie.vastleggen(Plaatsing, {plaatsing.pk: {"casusregisseur": (oud, nieuw)}}, door=door)
        plaatsing.casusregisseur_id = nieuw
    return plaatsing


# --- deelnemers ---------------------------------------------------------------------------


def deelnemer_uitnodigen(
    *,
    plaatsing_id: int,
    naam: str,
    email: str,
    organisatie: str,
    soort: str,
    door,
    request=None,
) -> Deelnemer:
    """Invite a named partner to one placement: their account (new, or the one they have), the
    deelnemer row, an entry in the pupil's access log and a mail without personal data."""
    toegang.vereis_actor(door)
    if soort not in toegang.PARTNER_ROLLEN:
        raise ValidationError("Kies een soort deelnemer.")
    email = User.objects.normalize_email(email.strip()).lower()
    with transaction.atomic():
        plaatsing = Plaatsing.objects.select_for_update(of=("self",)).get(pk=plaatsing_id)
        if not toegang.is_systeem(door) and not toegang.mag_deelnemers_beheren(door, plaatsing):
            raise PermissionDenied("Alleen de casusregisseur of de procesregisseur nodigt uit.")
        if not plaatsing.is_open:
            raise ValidationError("Deze route is afgesloten: uitnodigen kan niet meer.")
        user = User.objects.filter(email__iexact=email).first()
        nieuw_account = user is None
        if nieuw_account:
            voornaam, _, achternaam = naam.strip().partition(" ")
            user = User.objects.create_user(
                email=email, password=None, first_name=voornaam, last_name=achternaam
            )
        elif Deelnemer.objects.filter(
            plaatsing=plaatsing, user=user, ingetrokken_op__isnull=True
        ).exists():
            raise ValidationError("Deze persoon is al deelnemer van deze plaatsing.")
        deelnemer = Deelnemer.objects.create(
            plaatsing=plaatsing,
            user=user,
            naam=naam.strip(),
            organisatie=organisatie.strip(),
            soort=soort,
            uitgenodigd_door=toegang.als_gebruiker(door),
        )
        log_toegang(
            request,
            user=toegang.als_gebruiker(door),
            actie=Toegangsactie.UITGENODIGD,
            leerling_id=plaatsing.leerling_id,
            object_type="deelnemer",
            object_id=str(deelnemer.pk),
            omschrijving=f"deelnemer {deelnemer.pk} ({soort}) uitgenodigd voor plaatsing "
            f"{plaatsing.pk}",
        )
        uitnodiging_mailen(user=user, nieuw_account=nieuw_account)
    return deelnemer


def deelnemer_intrekken(*, deelnemer_id: int, door, request=None) -> Deelnemer:
    toegang.vereis_actor(door)
    with transaction.atomic():
        deelnemer = (
            Deelnemer.objects.select_for_update(of=("self",))
            .select_related("plaatsing")
            .get(pk=deelnemer_id)
        )
        if not toegang.is_systeem(door) and not toegang.mag_deelnemers_beheren(
            door, deelnemer.plaatsing
        ):
            raise PermissionDenied("Alleen de casusregisseur of de procesregisseur trekt in.")
        if deelnemer.ingetrokken_op is not None:
            return deelnemer
        deelnemer.ingetrokken_op = timezone.now()
        deelnemer.ingetrokken_door = toegang.als_gebruiker(door)
        deelnemer.save(update_fields=["ingetrokken_op", "ingetrokken_door"])
        log_toegang(
            request,
            user=toegang.als_gebruiker(door),
            actie=Toegangsactie.INGETROKKEN,
            leerling_id=deelnemer.plaatsing.leerling_id,
            object_type="deelnemer",
            object_id=str(deelnemer.pk),
            omschrijving=f"toegang deelnemer {deelnemer.pk} ingetrokken (plaatsing "
            f"{deelnemer.plaatsing_id})",
        )
    return deelnemer


def uitnodiging_mailen(*, user, nieuw_account: bool) -> None:
    """After commit: "u bent uitgenodigd voor een plaatsing in Routetool" and a link — no name,
    number, birth date or school of the pupil (tests/test_deelnemers.py reads the mail)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse

    if nieuw_account:
        pad = reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        )
    else:
        pad = reverse("deelnemer_start")
    context = {"link": settings.SITE_URL + pad, "nieuw_account": nieuw_account}
    transaction.on_commit(
        lambda: send_mail(
            subject="[Routetool] U bent uitgenodigd voor een plaatsing",
            message=render_to_string("plaatsingen/mail/deelnemer_uitnodiging.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
    )


def stamschool_informeren(*, email: str) -> None:
    """The stamschool contact hears, without personal data, that a placement concerns them
    (the stamschool action, routetool/acties/stamschool.py); same mail, a link to log in."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse

    context = {"link": settings.SITE_URL + reverse("account_login"), "nieuw_account": False}
    transaction.on_commit(
        lambda: send_mail(
            subject="[Routetool] U bent uitgenodigd voor een plaatsing",
            message=render_to_string("plaatsingen/mail/deelnemer_uitnodiging.txt", context),
            from_email=None,
            recipient_list=[email],
        )
    )


__all__ = [
    "DAGEN_NA_AFSLUITEN",
    "Lidmaatschap",
    "actieve_deelnemerschappen",
    "casusregisseur_toewijzen",
    "deelnemer_intrekken",
    "deelnemer_uitnodigen",
    "deelnemers_van",
    "stamschool_informeren",
    "swv_kandidaten",
    "uitnodigingen_van",
]
