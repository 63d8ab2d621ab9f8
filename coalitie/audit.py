"""Access entries ("who has seen this pupil's data") next to django-auditlog's change log.

Other apps call `log_toegang(...)` for every view, download, export and import of pupil data,
or wrap a view in `@logt_toegang(...)`. An entry never holds personal data: ids and a short
description only. Changes (old -> new) are logged by django-auditlog (settings
AUDITLOG_INCLUDE_TRACKING_MODELS); its middleware fills in the actor and IP.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import logging
from collections.abc import Callable

from django.conf import settings

from config.bulk import bulk_insert

from .models import Toegangsactie, Toegangslog

logger = logging.getLogger("routetool.audit")

__all__ = [
    "Toegangsactie",
    "client_ip",
    "e_mail_hash",
    "log_getoonde_leerlingen",
    "log_toegang",
    "log_toegang_voor_leerlingen",
    "logt_toegang",
]


def client_ip(request) -> str | None:
    """The client's address. Behind our proxy the last X-Forwarded-For hop is the one the proxy
    added; earlier hops come from the client and could be forged."""
    if request is None:
        return None
    kandidaat = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        doorgestuurd = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if doorgestuurd:
            kandidaat = doorgestuurd.split(",")[-1].strip()
    try:
        return str(ipaddress.ip_address(kandidaat))
    except ValueError:
        return None


def e_mail_hash(email: str) -> str:
    """A short keyed hash of an address, to correlate log lines without naming the person."""
    sleutel = settings.SECRET_KEY.encode()
    return hashlib.blake2b(
        email.strip().lower().encode(), key=sleutel[:64], digest_size=8
    ).hexdigest()


def _objectgegevens(obj) -> tuple[str, str, int | None]:
    """(object type, id, leerling id) of a Leerling, Plaatsing or anything with a leerling_id."""
    if obj is None:
        return "", "", None
    object_type = obj._meta.model_name
    leerling_id = getattr(obj, "leerling_id", None)
    if object_type == "leerling":
        leerling_id = obj.pk
    return object_type, str(obj.pk), leerling_id


def log_toegang(
    request,
    *,
    actie: str,
    obj=None,
    leerling_id: int | None = None,
    omschrijving: str = "",
    user=None,
    object_type: str = "",
    object_id: str = "",
) -> Toegangslog:
    """Record that the request's user viewed/downloaded/exported/imported something.

    `obj` may be a Leerling or Plaatsing (its pupil is derived); for bulk actions (a monthly
    list, an import) leave `obj` empty and describe it in `omschrijving` — no names in there.
    `request` may be None (a Celery task); then pass `user`.
    """
    if actie not in Toegangsactie.values:
        raise ValueError(f"Onbekende actie: {actie}")
    if obj is not None:
        object_type, object_id, afgeleid = _objectgegevens(obj)
    else:
        afgeleid = None
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    return Toegangslog.objects.create(
        user=user,
        actie=actie,
        object_type=object_type,
        object_id=object_id,
        leerling_id=leerling_id if leerling_id is not None else afgeleid,
        omschrijving=omschrijving[:200],
        ip=client_ip(request),
    )


def log_toegang_voor_leerlingen(
    request, *, actie: str, leerling_ids, omschrijving: str = "", user=None
) -> int:
    """One entry per pupil for a bulk action (a monthly list download, an import), so each
    pupil's own log shows it. One INSERT, whatever the number of pupils."""
    if actie not in Toegangsactie.values:
        raise ValueError(f"Onbekende actie: {actie}")
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    ip = client_ip(request)
    rijen = [
        {
            "user_id": user.pk if user is not None else None,
            "actie": actie,
            "leerling_id": lid,
            "omschrijving": omschrijving[:200],
            "ip": ip,
        }
        for lid in dict.fromkeys(leerling_ids)
    ]
    # COPY on PostgreSQL: an import logs tens of thousands (rows from one template).
    bulk_insert(Toegangslog, rijen, zelfde_sleutels=True)
    return len(rijen)


def log_getoonde_leerlingen(request, rijen, *, omschrijving: str) -> int:
    """A list or search page showed these rows (placements or pupils): one "bekeken" entry per
    pupil shown, in one INSERT. Call it with the page actually rendered, not the whole query."""
    leerling_ids = [
        getattr(r, "leerling_id", None) or (r.pk if r._meta.model_name == "leerling" else None)
        for r in rijen
    ]
    return log_toegang_voor_leerlingen(
        request,
        actie=Toegangsactie.BEKEKEN,
        leerling_ids=[i for i in leerling_ids if i is not None],
        omschrijving=omschrijving,
    )


def logt_toegang(actie: str = Toegangsactie.BEKEKEN, *, model: str = "plaatsing", kwarg="pk"):
    """Decorator for a view whose successful (200) response shows one pupil's data.

    `model` is "plaatsing" or "leerling", `kwarg` the URL kwarg holding its id. The view keeps
    doing its own visibility check (get_plaatsing_for_user): a 404/403/redirect logs nothing.
    For bulk downloads and imports, call `log_toegang` in the view or service instead.
    """
    if model not in ("plaatsing", "leerling"):
        raise ValueError("logt_toegang kent alleen 'plaatsing' en 'leerling'.")

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and request.method in ("GET", "HEAD"):
                pk = kwargs.get(kwarg)
                log_toegang(
                    request,
                    actie=actie,
                    leerling_id=_leerling_id(model, pk),
                    omschrijving=f"{model} {pk}",
                    object_type=model,
                    object_id=str(pk),
                )
            return response

        return wrapper

    return decorator


# model name -> how to find the pupil of an object by its id. Apps above coalitie register
# theirs in AppConfig.ready() (plaatsingen: "plaatsing"); coalitie may not import them.
_LEERLING_VAN: dict[str, Callable[[object], int | None]] = {}


def registreer_leerling_van(model: str, leerling_van: Callable[[object], int | None]) -> None:
    _LEERLING_VAN[model] = leerling_van


def _leerling_id(model: str, pk) -> int | None:
    if model == "leerling":
        return int(pk)
    return _LEERLING_VAN[model](pk)
