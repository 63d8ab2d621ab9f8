"""Retention (AVG), the frame: every app clears its own personal data in its own `retentie.py`
and registers a hook here in its AppConfig.ready(); `retentie_uitvoeren` (the command and the
daily Celery task) calls them all.

Which pupils are due, and locking one, is decided by the app that owns the pupil (plaatsingen,
`registreer_leerlingen`). Per pupil, ONE transaction runs every app's `leerling` hook, so a
pupil is anonymised everywhere or nowhere; afterwards every `opruimen` hook deletes old files.
Already anonymised pupils are no longer due, so a second run does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from .audit import log_toegang

logger = logging.getLogger("routetool.retentie")


@dataclass(frozen=True)
class Haak:
    app: str
    # (leerling_id, nu): clears one pupil's data of this app inside the pupil's transaction;
    # returns the number of change-log entries it scrubbed (0 when it keeps none).
    leerling: Callable[[int, object], int] | None = None
    # Deletes what is older than the retention period (files, scratch rows); returns a count.
    opruimen: Callable[..., int] | None = None


@dataclass(frozen=True)
class Leerlingen:
    """The pupil owner's part: who is due now, and lock one (None when no longer due)."""

    te_anonimiseren: Callable[..., list[int]]
    vergrendel: Callable[..., object | None]


@dataclass(frozen=True)
class Resultaat:
    geanonimiseerd: int
    auditregels_geschoond: int
    dry_run: bool
    importbestanden_verwijderd: int = 0


_haken: dict[str, Haak] = {}
_leerlingen: Leerlingen | None = None


def registreer(haak: Haak) -> None:
    _haken[haak.app] = haak  # by app: a second ready() (tests) does not register twice


def registreer_leerlingen(leerlingen: Leerlingen) -> None:
    global _leerlingen
    _leerlingen = leerlingen


def haken() -> list[Haak]:
    return list(_haken.values())  # registration order = INSTALLED_APPS order


def _bron() -> Leerlingen:
    if _leerlingen is None:
        raise ImproperlyConfigured("Geen app registreerde de leerlingen voor de retentie.")
    return _leerlingen


def _anonimiseer(leerling_id: int, nu) -> int | None:
    """One pupil in every app, in one transaction: the number of change-log entries scrubbed,
    or None when someone else already did it (or the pupil no longer qualifies)."""
    with transaction.atomic():
        if _bron().vergrendel(leerling_id=leerling_id, nu=nu) is None:
            return None
        geschoond = sum(h.leerling(leerling_id, nu) or 0 for h in haken() if h.leerling is not None)
        log_toegang(
            None,
            actie="geanonimiseerd",
            leerling_id=leerling_id,
            object_type="leerling",
            object_id=str(leerling_id),
            omschrijving=f"bewaartermijn van {settings.RETENTIE_MAANDEN} maanden verstreken",
        )
    return geschoond


def anonimiseer_leerling(*, leerling_id: int, nu=None) -> bool:
    return _anonimiseer(leerling_id, nu or timezone.now()) is not None


def retentie_uitvoeren(*, dry_run: bool = False, nu=None) -> Resultaat:
    """Anonymise every pupil past the retention period and delete old files, app by app.
    Logs counts only, never names."""
    nu = nu or timezone.now()
    ids = _bron().te_anonimiseren(nu=nu)
    if dry_run:
        logger.info("retentie (proef): %d leerlingen zouden worden geanonimiseerd", len(ids))
        return Resultaat(geanonimiseerd=len(ids), auditregels_geschoond=0, dry_run=True)
    klaar = geschoond = 0
    for leerling_id in ids:
        # One transaction per pupil: a failure halfway leaves the others done, and the next
        # run picks up the rest.
        aantal = _anonimiseer(leerling_id, nu)
        if aantal is not None:
            klaar += 1
            geschoond += aantal
    with transaction.atomic():
        bestanden = sum(h.opruimen(nu=nu) for h in haken() if h.opruimen is not None)
    logger.info(
        "retentie: %d leerlingen geanonimiseerd (%d kandidaten), %d auditregels geschoond, "
        "%d oude bestanden en achtergebleven importregels verwijderd",
        klaar,
        len(ids),
        geschoond,
        bestanden,
    )
    return Resultaat(
        geanonimiseerd=klaar,
        auditregels_geschoond=geschoond,
        dry_run=False,
        importbestanden_verwijderd=bestanden,
    )
