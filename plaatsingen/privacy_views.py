"""The per-pupil audit log for beheerders: who has seen or changed this pupil's data.

It reads two tables: `Toegangslog` (reads) and auditlog's `LogEntry` for the pupil and their
placements (changes, old → new). Every path that changes a pupil or placement writes there:
model saves through auditlog, bulk paths through `coalitie.historie`.
"""

from __future__ import annotations

import csv

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from coalitie import toegang
from coalitie.audit import log_toegang
from coalitie.models import Toegangsactie, Toegangslog, User

from .exports import veilige_cel
from .models import Leerling, Plaatsing

PER_PAGINA = 50
ACTIES = dict(LogEntry.Action.choices)
ACTIE_NL = {
    LogEntry.Action.CREATE: "aangemaakt",
    LogEntry.Action.UPDATE: "gewijzigd",
    LogEntry.Action.DELETE: "verwijderd",
    LogEntry.Action.ACCESS: "bekeken",
}


def _leerlingen_voor_beheerder(user):
    """Pupils whose log this user may read: visible to them AND touching a coalition they
    manage. Other roles get nothing, so the answer is the same 404 as for a missing pupil."""
    qs = Leerling.objects.zichtbaar_voor(user)
    beheerd = toegang.beheerde_coalities(user)
    if beheerd is None:
        return qs
    if not beheerd:
        return qs.none()
    raakt_coalitie = Plaatsing.objects.filter(leerling_id=OuterRef("pk")).filter(
        Q(instellingsschool__coalitie_id__in=beheerd)
        | Q(verantwoordelijk_swv__coalitie_id__in=beheerd)
    )
    return qs.filter(Exists(raakt_coalitie))


def _get_leerling(user, pk) -> Leerling:
    try:
        return _leerlingen_voor_beheerder(user).get(pk=int(pk))
    except (Leerling.DoesNotExist, ValueError, TypeError):
        raise Http404("Deze leerling bestaat niet of u heeft er geen toegang toe.") from None


def _logentries(leerling: Leerling):
    plaatsing_ids = list(leerling.plaatsingen.values_list("pk", flat=True))
    types = ContentType.objects.get_for_models(Leerling, Plaatsing)
    return LogEntry.objects.filter(
        Q(content_type=types[Leerling], object_id=leerling.pk)
        | Q(content_type=types[Plaatsing], object_id__in=plaatsing_ids)
    )


def _regels(leerling: Leerling):
    """One time-ordered queryset (a UNION of ids) over both logs, so paging happens in SQL."""
    # Annotations in the same order as values_list, so both halves have identical columns.
    # Neither half may keep its model's default ordering: SQLite refuses ORDER BY inside a
    # compound SELECT (PostgreSQL only ignores it); the union is ordered as a whole below.
    gelezen = (
        Toegangslog.objects.filter(leerling_id=leerling.pk)
        .order_by()
        .annotate(
            s=Value("t", output_field=CharField()),
            i=F("pk"),
            t=F("op"),
        )
        .values_list("s", "i", "t")
    )
    wijziging = (
        _logentries(leerling)
        .order_by()
        .annotate(
            s=Value("w", output_field=CharField()),
            i=F("pk"),
            t=F("timestamp"),
        )
        .values_list("s", "i", "t")
    )
    return gelezen.union(wijziging, all=True).order_by("-t", "-i")


VERBORGEN_VELDEN = {"id", "aangemaakt_op", "gewijzigd_op"}


def _toon(waarde) -> str:
    return "(leeg)" if waarde in (None, "", "None") else str(waarde)


def _wijzigingen(entry: LogEntry) -> str:
    """'veld: oud → nieuw; …' over the model's own fields (auditlog also lists reverse
    relations, which say nothing to a reader)."""
    model = entry.content_type.model_class()
    # Reverse relations say nothing to a reader; the bulk paths' own keys ("actie: …") stay.
    omgekeerd = {f.name for f in model._meta.get_fields() if not f.concrete} if model else set()
    delen = []
    for veld, waarden in (entry.changes_dict or {}).items():
        if veld in VERBORGEN_VELDEN or veld in omgekeerd:
            continue
        if not (isinstance(waarden, list | tuple) and len(waarden) == 2):
            delen.append(f"{veld}: {waarden}")
        elif entry.action == LogEntry.Action.CREATE:
            delen.append(f"{veld}: {_toon(waarden[1])}")
        elif entry.action == LogEntry.Action.DELETE:
            delen.append(f"{veld}: {_toon(waarden[0])}")
        else:
            delen.append(f"{veld}: {_toon(waarden[0])} → {_toon(waarden[1])}")
    return "; ".join(delen)


def _met_bron(details: str, entry: LogEntry) -> str:
    """Which path wrote a bulk entry (an import, the route), as `coalitie.historie` noted it."""
    bron = (
        (entry.additional_data or {}).get("bron") if isinstance(entry.additional_data, dict) else ""
    )
    return f"{details} ({bron})" if bron else details


def _vul(rijen) -> list[dict]:
    """Turn (soort, id, tijd) rows into display rows with two queries, not one per row."""
    t_ids = [i for s, i, _ in rijen if s == "t"]
    w_ids = [i for s, i, _ in rijen if s == "w"]
    toegang = Toegangslog.objects.select_related("user").in_bulk(t_ids)
    wijziging = LogEntry.objects.select_related("actor", "content_type").in_bulk(w_ids)
    uit = []
    for soort, i, _ in rijen:
        if soort == "t" and i in toegang:
            r = toegang[i]
            uit.append(
                {
                    "id": f"t-{i}",
                    "op": r.op,
                    "gebruiker": r.user,
                    "actie": r.get_actie_display(),
                    "object": f"{r.object_type} {r.object_id}".strip(),
                    "details": r.omschrijving,
                    "ip": r.ip or "",
                }
            )
        elif soort == "w" and i in wijziging:
            e = wijziging[i]
            uit.append(
                {
                    "id": f"w-{i}",
                    "op": e.timestamp,
                    "gebruiker": e.actor,
                    "actie": ACTIE_NL.get(e.action, ACTIES.get(e.action, "")),
                    "object": f"{e.content_type.model} {e.object_id}",
                    "details": _met_bron(_wijzigingen(e), e),
                    "ip": e.remote_addr or "",
                }
            )
    return uit


@login_required
@require_http_methods(["GET", "POST"])
def privacy_zoeken(request):
    """Beheerders look a pupil up by leerlingnummer (how a privacy request names them).

    A POST, so the number stays out of URLs, browser history and access logs; the page never
    echoes it back.
    """
    if not toegang.is_beheerder(request.user):
        raise Http404
    niet_gevonden = False
    if request.method == "POST":
        nummer = request.POST.get("leerlingnummer", "").strip()
        leerling = _leerlingen_voor_beheerder(request.user).filter(leerlingnummer=nummer).first()
        if leerling is not None:
            return redirect("coalitie:leerling_log", pk=leerling.pk)
        niet_gevonden = True
    return render(request, "coalitie/privacy_zoeken.html", {"niet_gevonden": niet_gevonden})


@login_required
@require_GET
def leerling_log(request, pk: int):
    leerling = _get_leerling(request.user, pk)
    # Logged first: the page counts its rows before reading them, and a row added in between
    # would push the oldest one off the last page.
    log_toegang(request, actie=Toegangsactie.BEKEKEN, obj=leerling, omschrijving="auditlog")
    pagina = Paginator(_regels(leerling), PER_PAGINA).get_page(request.GET.get("pagina"))
    return render(
        request,
        "coalitie/leerling_log.html",
        {"leerling": leerling, "pagina": pagina, "regels": _vul(list(pagina.object_list))},
    )


@login_required
@require_GET
def leerling_log_csv(request, pk: int):
    """The whole log of one pupil as CSV, for a privacy request (AVG art. 15); itself logged."""
    leerling = _get_leerling(request.user, pk)
    regels = _vul(list(_regels(leerling)))
    log_toegang(
        request, actie=Toegangsactie.GEEXPORTEERD, obj=leerling, omschrijving="auditlog als CSV"
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    datum = timezone.localdate().strftime("%d-%m-%Y")
    response["Content-Disposition"] = (
        f'attachment; filename="auditlog-leerling-{leerling.pk}-{datum}.csv"'
    )
    response.write("\ufeff")  # Excel opens UTF-8 only with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["datum en tijd", "gebruiker", "actie", "object", "details", "IP-adres"])
    for r in regels:
        writer.writerow(
            [
                veilige_cel(timezone.localtime(r["op"]).strftime("%d-%m-%Y %H:%M:%S")),
                veilige_cel(_gebruiker(r["gebruiker"])),
                veilige_cel(r["actie"]),
                veilige_cel(r["object"]),
                veilige_cel(r["details"]),
                veilige_cel(r["ip"]),
            ]
        )
    return response


def _gebruiker(user: User | None) -> str:
    return user.email if user is not None else "systeem"
