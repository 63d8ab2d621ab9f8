"""What the route tells people in the app (coalitie.meldingen): a new placement for your SWV, an
action of yours gone overdue, a change by someone else to a placement you work on. Texts name
organisations and colleagues, never pupils; the link leads to a page that checks access again."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from coalitie.meldingen import melden
from coalitie.models import Lidmaatschap, Rol, Samenwerkingsverband
from plaatsingen.deelnemers import actief_q
from plaatsingen.models import Deelnemer

from . import route
from .models import Actie, Transitie, Wie


def nieuwe_plaatsingen(per_swv: dict[int, list[int]]) -> None:
    """After commit: the SWV's contact persons see "N nieuwe plaatsingen" in the app."""

    def doen():
        swvs = Samenwerkingsverband.objects.in_bulk(list(per_swv))
        contacten = defaultdict(set)
        for user_id, swv_id in Lidmaatschap.objects.filter(
            rol=Rol.SWV_CONTACTPERSOON, swv_id__in=per_swv, user__is_active=True
        ).values_list("user_id", "swv_id"):
            contacten[swv_id].add(user_id)
        for swv_id, ids in per_swv.items():
            ids = sorted(set(ids))
            n = len(ids)
            # The same batch (a retried task, a rerun import) is reported once.
            sleutel = "nieuw:" + hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:20]
            tekst = (
                f"{n} nieuwe plaatsing{'en' if n > 1 else ''} voor {swvs[swv_id].code} "
                f"{swvs[swv_id].naam}: graag bevestigen."
            )
            melden(contacten[swv_id], "nieuwe_plaatsing", tekst, reverse("tedoen"), sleutel)

    transaction.on_commit(doen)


def wijziging(*, plaatsing, door, wat: str) -> None:
    """Everyone who acted on this placement before (did an action or a transition) hears that
    someone else changed it, after commit."""
    if door is None:
        return

    def doen():
        eerder = set(
            Actie.objects.filter(plaatsing_id=plaatsing.pk, gedaan_door__isnull=False)
            .values_list("gedaan_door_id", flat=True)
            .distinct()
        ) | set(
            Transitie.objects.filter(plaatsing_id=plaatsing.pk, door__isnull=False)
            .values_list("door_id", flat=True)
            .distinct()
        )
        eerder.discard(door.pk)
        naam = door.get_full_name() or "Een collega"
        melden(
            eerder,
            "wijziging",
            f"{naam} heeft een plaatsing bij {plaatsing.instellingsschool.naam} gewijzigd: {wat}",
            reverse("plaatsingen:detail", args=[plaatsing.pk]),
        )

    transaction.on_commit(doen)


def te_laat_melden(vandaag: dt.date | None = None) -> int:
    """Daily: each action that went overdue in the last days is reported once (sleutel per
    action) to the people of the role that must do it. Returns the number of new meldingen."""
    from .tedoen import open_acties

    vandaag = vandaag or timezone.localdate()
    acties = list(
        open_acties()
        .filter(
            deadline__lt=vandaag,
            deadline__gte=vandaag - dt.timedelta(days=4),  # a missed run or a long weekend
            # A partner's overdue action goes to the SWV too: it may do it for the partner.
            wie__in=[Wie.SWV, Wie.INSTELLINGSSCHOOL, *route.PARTNER_ROLLEN],
        )
        .select_related("plaatsing__instellingsschool")
        .only(
            "pk",
            "wie",
            "omschrijving",
            "plaatsing_id",
            "plaatsing__verantwoordelijk_swv_id",
            "plaatsing__casusregisseur_id",
            "plaatsing__instellingsschool__naam",
        )
    )
    per_swv, per_school = defaultdict(set), defaultdict(set)
    for rol, user_id, swv_id, school_id in Lidmaatschap.objects.filter(
        user__is_active=True,
        rol__in=[Rol.SWV_CONTACTPERSOON, Rol.MEDEWERKER_INSTELLINGSSCHOOL],
    ).values_list("rol", "user_id", "swv_id", "instellingsschool_id"):
        if rol == Rol.SWV_CONTACTPERSOON:
            per_swv[swv_id].add(user_id)
        else:
            per_school[school_id].add(user_id)
    # Partner actions go to the live deelnemers of that placement with that soort (issue 17).
    per_deelnemer = defaultdict(set)
    for plaatsing_id, soort, user_id in Deelnemer.objects.filter(
        actief_q(vandaag),
        plaatsing_id__in={a.plaatsing_id for a in acties if a.wie in route.PARTNER_ROLLEN},
        user__is_active=True,
    ).values_list("plaatsing_id", "soort", "user_id"):
        per_deelnemer[(plaatsing_id, soort)].add(user_id)
    nieuw = 0
    for a in acties:
        p = a.plaatsing
        if a.wie == Wie.INSTELLINGSSCHOOL:
            users = per_school[p.instellingsschool_id]
        else:
            # The SWV's own and a partner's action (the SWV may do it for the partner): the
            # casusregisseur owns the placement (issue 17); unassigned, all SWV contacts.
            users = (
                {p.casusregisseur_id} if p.casusregisseur_id else per_swv[p.verantwoordelijk_swv_id]
            )
            if a.wie in route.PARTNER_ROLLEN:
                # ... and to the partner's own deelnemers of this placement (issue 17).
                users = set(users) | per_deelnemer[(p.pk, a.wie)]
        nieuw += melden(
            users,
            "actie_te_laat",
            f"Te laat: {a.omschrijving} (plaatsing bij {p.instellingsschool.naam})",
            reverse("plaatsingen:detail", args=[p.pk]),
            f"te-laat:{a.pk}",
        )
    return nieuw
