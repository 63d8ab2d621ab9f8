"""In-app notifications ("meldingen"): the one place that writes them.

Every app that has something to tell a person calls `melden`; the header shows the count of
unread ones and the meldingen page lists them. Texts name organisations, never pupils.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import Melding, User


def melden(
    users: Iterable[User | int], soort: str, tekst: str, url: str = "", sleutel: str = ""
) -> int:
    """Create one melding per user; with a `sleutel`, a user gets it at most once. Returns count."""
    ids = {u if isinstance(u, int) else u.pk for u in users}
    if not ids:
        return 0
    rows = [
        Melding(user_id=i, soort=soort, tekst=tekst[:300], url=url, sleutel=sleutel)
        for i in sorted(ids)
    ]
    with transaction.atomic():
        if sleutel:
            al = set(
                Melding.objects.filter(user_id__in=ids, sleutel=sleutel).values_list(
                    "user_id", flat=True
                )
            )
            rows = [r for r in rows if r.user_id not in al]
        Melding.objects.bulk_create(rows, ignore_conflicts=bool(sleutel))
    return len(rows)


def ongelezen(user: User):
    return Melding.objects.filter(user=user, gelezen_op__isnull=True)


def markeer_gelezen(user: User, ids: Iterable[int] | None = None) -> int:
    qs = ongelezen(user)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(gelezen_op=timezone.now())
