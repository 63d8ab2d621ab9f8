"""A pupil's whole log in a NEN 7513-style layout, for a privacy request or an inspection.

NEN 7513 (logging of access to health records, the model the youth-care sector follows) asks of
every event: who (user id, name, role and organisation), when, what (the action and its
object), which client, from where (the address), and why (the reason or context). Same rows as
the log page (plaatsingen.privacy_views: reads and changes); the export is itself logged.
"""

from __future__ import annotations

import csv
from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from coalitie.audit import log_toegang
from coalitie.models import Lidmaatschap, Toegangsactie

from .exports import veilige_cel
from .privacy_views import _get_leerling, _regels, _vul

KOLOMMEN = [
    "gebeurtenis-id",
    "datum en tijd",
    "tijdstip (ISO 8601)",
    "gebruiker-id",
    "gebruiker",
    "rol en organisatie",
    "actie",
    "object",
    "leerling-id",
    "leerlingnummer",
    "bron (IP-adres)",
    "reden of context",
]


def _rollen(user_ids: set[int]) -> dict[int, str]:
    """Each user's roles now, in one query (the log keeps who, the roles say in which capacity)."""
    rollen: dict[int, list[str]] = defaultdict(list)
    for lid in Lidmaatschap.objects.filter(user_id__in=user_ids).select_related(
        "swv", "instellingsschool", "coalitie"
    ):
        rollen[lid.user_id].append(str(lid))
    return {uid: "; ".join(sorted(r)) for uid, r in rollen.items()}


@login_required
@require_GET
def leerling_log_nen7513(request, pk: int):
    leerling = _get_leerling(request.user, pk)
    regels = _vul(list(_regels(leerling)))
    rollen = _rollen({r["gebruiker"].pk for r in regels if r["gebruiker"] is not None})
    log_toegang(
        request,
        actie=Toegangsactie.GEEXPORTEERD,
        obj=leerling,
        omschrijving="auditlog als NEN 7513-export (privacyverzoek)",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    datum = timezone.localdate().strftime("%d-%m-%Y")
    response["Content-Disposition"] = (
        f'attachment; filename="nen7513-log-leerling-{leerling.pk}-{datum}.csv"'
    )
    response.write("\ufeff")  # Excel opens UTF-8 only with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(KOLOMMEN)
    for r in regels:
        gebruiker = r["gebruiker"]
        op = timezone.localtime(r["op"])
        writer.writerow(
            veilige_cel(waarde)
            for waarde in (
                r["id"],
                op.strftime("%d-%m-%Y %H:%M:%S"),
                op.isoformat(timespec="seconds"),
                gebruiker.pk if gebruiker else "",
                gebruiker.email if gebruiker else "systeem",
                rollen.get(gebruiker.pk, "") if gebruiker else "systeem (import, taak)",
                r["actie"],
                r["object"],
                leerling.pk,
                leerling.leerlingnummer,
                r["ip"],
                r["details"],
            )
        )
    return response
