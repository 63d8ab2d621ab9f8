"""Reads of pupils and placements. Visibility is decided here and nowhere else.

Every list, search, export, count and detail view starts from `zichtbaar_voor(user)`; a detail
or write view uses `get_plaatsing_for_user` / `get_leerling_for_user`, which answer 404 for what
the user may not see (whether or not it exists) and 403 for what they may see but not change.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from coalitie import toegang
from coalitie.selectors import scope_van


def plaatsing_scope_q(user, prefix: str = "") -> Q | None:
    """The Q that limits placements to the user's scope; None means 'everything' (superuser)."""
    scope = scope_van(user)
    if scope.is_superuser:
        return None
    # A coalition sees what happens at its own residential schools and what happens to the
    # pupils of its own SWVs anywhere in the country (a placement can concern two coalitions).
    # Both as id lists resolved beforehand (Scope.zichtbare_*): two indexed columns of the
    # placement itself, no join, whatever the planner knows about the reference tables.
    return Q(**{f"{prefix}verantwoordelijk_swv_id__in": scope.zichtbare_swv_ids}) | Q(
        **{f"{prefix}instellingsschool_id__in": scope.zichtbare_instellingsschool_ids}
    )


class PlaatsingQuerySet(models.QuerySet):
    def zichtbaar_voor(self, user):
        q = plaatsing_scope_q(user)
        if q is None:
            return self.all()
        if not scope_van(user).rollen:
            return self.none()
        return self.filter(q)

    def toegankelijk_voor(self, user):
        """What one placement's own pages may show: the visible ones plus the placements the
        user is a deelnemer of. Never for lists, search, exports or counts (zichtbaar_voor)."""
        deelnemer_ids = scope_van(user).deelnemer_plaatsing_ids
        if not deelnemer_ids:
            return self.zichtbaar_voor(user)
        q = plaatsing_scope_q(user)
        if q is None:
            return self.all()
        if not scope_van(user).rollen:
            return self.filter(pk__in=deelnemer_ids)
        return self.filter(q | Q(pk__in=deelnemer_ids))

    def met_lijstgegevens(self):
        """What list pages show, fetched in the same query (no N+1)."""
        return self.select_related(
            "leerling",
            "instellingsschool",
            "locatie",
            "verantwoordelijk_swv",
            "stamschool",
            "casusregisseur",
        )


class LeerlingQuerySet(models.QuerySet):
    def zichtbaar_voor(self, user):
        from .models import Plaatsing

        scope = scope_van(user)
        if scope.is_superuser:
            return self.all()
        if not scope.rollen:
            return self.none()
        zichtbaar = Plaatsing.objects.zichtbaar_voor(user).filter(leerling_id=OuterRef("pk"))
        return self.filter(Exists(zichtbaar))


# "May this user change this placement" is decided in coalitie/toegang.py (kept importable here).
kan_plaatsing_wijzigen = toegang.kan_plaatsing_wijzigen


def get_plaatsing_for_user(user, pk, *, write: bool = False, queryset=None):
    from .models import Plaatsing

    qs = queryset if queryset is not None else Plaatsing.objects.met_lijstgegevens()
    try:
        plaatsing = qs.toegankelijk_voor(user).get(pk=int(pk))
    except (Plaatsing.DoesNotExist, ValueError, TypeError):
        raise Http404("Deze plaatsing bestaat niet of u heeft er geen toegang toe.") from None
    if write and not toegang.kan_plaatsing_wijzigen(user, plaatsing):
        raise PermissionDenied("U mag deze plaatsing bekijken maar niet wijzigen.")
    return plaatsing


def get_leerling_for_user(user, pk):
    from .models import Leerling

    try:
        return Leerling.objects.zichtbaar_voor(user).get(pk=int(pk))
    except (Leerling.DoesNotExist, ValueError, TypeError):
        raise Http404("Deze leerling bestaat niet of u heeft er geen toegang toe.") from None
