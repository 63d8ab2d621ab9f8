"""What a beheerder may pick and change: only organisations of the coalitions it manages.

Used by the in-app beheer pages and by the Django admin, so a posted id of another coalition's
SWV, school or coalition is refused by the form (a clear field error, the typed form kept)
instead of being saved. Superusers (platform staff) are not limited. WHO is beheerder of what is
`coalitie.toegang` (`beheerde_coalities`, `is_beheerder`); this module only turns that into
pick-lists.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ..models import (
    Coalitie,
    Instellingsschool,
    Lidmaatschap,
    Locatie,
    Samenwerkingsverband,
    School,
    User,
)
from ..toegang import beheerde_coalities


def _filter(qs: QuerySet, user, pad: str) -> QuerySet:
    ids = beheerde_coalities(user)
    if ids is None:
        return qs
    return qs.filter(**{f"{pad}__in": ids})


def coalities_voor(user) -> QuerySet:
    return _filter(Coalitie.objects.all(), user, "pk")


def swvs_voor(user) -> QuerySet:
    return _filter(Samenwerkingsverband.objects.all(), user, "coalitie_id")


def instellingsscholen_voor(user) -> QuerySet:
    return _filter(Instellingsschool.objects.all(), user, "coalitie_id")


def locaties_voor(user) -> QuerySet:
    return _filter(Locatie.objects.all(), user, "instellingsschool__coalitie_id")


def scholen_voor(user) -> QuerySet:
    return _filter(School.objects.all(), user, "swv__coalitie_id")


def lidmaatschappen_voor(user) -> QuerySet:
    ids = beheerde_coalities(user)
    qs = Lidmaatschap.objects.all()
    if ids is None:
        return qs
    return qs.filter(
        Q(coalitie_id__in=ids)
        | Q(swv__coalitie_id__in=ids)
        | Q(instellingsschool__coalitie_id__in=ids)
    )


def gebruikers_voor(user) -> QuerySet:
    """Users with at least one role in a managed coalition."""
    ids = beheerde_coalities(user)
    if ids is None:
        return User.objects.all()
    return User.objects.filter(pk__in=lidmaatschappen_voor(user).values("user_id"))


# The pick-list a form field for a foreign key to this model gets for a beheerder.
KEUZES = {
    Coalitie: coalities_voor,
    Samenwerkingsverband: swvs_voor,
    Instellingsschool: instellingsscholen_voor,
    Locatie: locaties_voor,
    School: scholen_voor,
}


def keuzes_voor(user, model) -> QuerySet | None:
    """The allowed choices for a foreign key to `model`, or None if it is not an organisation."""
    maak = KEUZES.get(model)
    return maak(user) if maak else None
