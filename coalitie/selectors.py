"""Who is who: the roles of a user, computed once per request and reused by every scope check."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import CharField, Q, Value

from .models import (
    COALITIE_ROLLEN,
    Coalitie,
    Instellingsschool,
    Lidmaatschap,
    Rol,
    Samenwerkingsverband,
)


@dataclass(frozen=True)
class Scope:
    """The organisations a user acts for, per role. Empty for anonymous users."""

    is_superuser: bool = False
    swv_ids: frozenset[int] = field(default_factory=frozenset)  # as SWV-contactpersoon
    instellingsschool_ids: frozenset[int] = field(default_factory=frozenset)  # as medewerker
    coalitie_ids_per_rol: dict[str, frozenset[int]] = field(default_factory=dict)
    is_landelijk: bool = False  # the national read-only role: suppressed counts only
    # Deelnemer of single placements (issue 17): placement id -> partner route roles, live
    # invitations only. Deliberately outside `rollen` and the visibility id lists: a deelnemer's
    # placement is reachable by its own pages (get_plaatsing_for_user), never in a list or count.
    deelnemer_rollen: dict[int, frozenset[str]] = field(default_factory=dict)
    # Provider's administration (Rol.AANBIEDER): the provider names (`Instellingsschool.aanbieder`).
    # Deliberately outside `rollen` too: it imports, it sees no pupil, list or count.
    aanbieders: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_deelnemer(self) -> bool:
        return bool(self.deelnemer_rollen)

    @property
    def deelnemer_plaatsing_ids(self) -> frozenset[int]:
        return frozenset(self.deelnemer_rollen)

    def coalities(self, *rollen: str) -> frozenset[int]:
        """Coalition ids where the user holds any of `rollen` (all coalition roles if none)."""
        rollen = rollen or COALITIE_ROLLEN
        ids: set[int] = set()
        for rol in rollen:
            ids |= self.coalitie_ids_per_rol.get(rol, frozenset())
        return frozenset(ids)

    @property
    def rollen(self) -> frozenset[str]:
        rollen = {rol for rol, ids in self.coalitie_ids_per_rol.items() if ids}
        # Deliberately NOT in `rollen`: every pupil query treats "no roles" as "nothing", and
        # the national role must see no pupil anywhere (see `is_landelijk`).
        if self.swv_ids:
            rollen.add(Rol.SWV_CONTACTPERSOON)
        if self.instellingsschool_ids:
            rollen.add(Rol.MEDEWERKER_INSTELLINGSSCHOOL)
        return frozenset(rollen)

    def heeft_rol(self, *rollen: str) -> bool:
        return self.is_superuser or bool(self.rollen & set(rollen))

    # The visibility filter uses plain id lists resolved here, in one small query, instead of
    # joining the coalition through the placement's SWV and school: an OR across two joins
    # leaves the planner guessing (a fresh database had no statistics: 500 ms cold dashboard).
    @cached_property
    def _coalitie_organisaties(self) -> tuple[frozenset[int], frozenset[int]]:
        """(SWV ids, instellingsschool ids) of the user's coalitions."""
        coalities = self.coalities()
        if not coalities:
            return frozenset(), frozenset()
        swvs = Samenwerkingsverband.objects.filter(coalitie_id__in=coalities).annotate(
            soort=Value("s", output_field=CharField())
        )
        scholen = Instellingsschool.objects.filter(coalitie_id__in=coalities).annotate(
            soort=Value("i", output_field=CharField())
        )
        # No default ordering inside the halves: SQLite refuses ORDER BY in a compound SELECT.
        rijen = list(
            swvs.order_by()
            .values_list("soort", "pk")
            .union(scholen.order_by().values_list("soort", "pk"), all=True)
        )
        return (
            frozenset(pk for soort, pk in rijen if soort == "s"),
            frozenset(pk for soort, pk in rijen if soort == "i"),
        )

    @cached_property
    def aanbieder_school_ids(self) -> frozenset[int]:
        """Instellingsschool ids of the user's providers, in every coalition (one query)."""
        if not self.aanbieders:
            return frozenset()
        return frozenset(
            Instellingsschool.objects.filter(aanbieder__in=self.aanbieders).values_list(
                "pk", flat=True
            )
        )

    @property
    def zichtbare_swv_ids(self) -> frozenset[int]:
        """SWVs whose pupils the user sees: their own, and every SWV of their coalitions."""
        return self.swv_ids | self._coalitie_organisaties[0]

    @property
    def zichtbare_instellingsschool_ids(self) -> frozenset[int]:
        """Residential schools whose pupils the user sees: their own, and their coalitions'."""
        return self.instellingsschool_ids | self._coalitie_organisaties[1]


LEGE_SCOPE = Scope()

# Who is a deelnemer of which placement lives in `plaatsingen` (coalitie may not import it):
# plaatsingen registers a function user -> iterable of (plaatsing id, soort) of live invitations
# in its AppConfig.ready().
_DEELNEMERSCHAPPEN = []


def registreer_deelnemerschappen(bron) -> None:
    _DEELNEMERSCHAPPEN[:] = [bron]


def _deelnemer_rollen(user) -> dict[int, frozenset[str]]:
    per_plaatsing: dict[int, set[str]] = {}
    for bron in _DEELNEMERSCHAPPEN:
        for plaatsing_id, soort in bron(user):
            per_plaatsing.setdefault(plaatsing_id, set()).add(soort)
    return {pk: frozenset(s) for pk, s in per_plaatsing.items()}


def scope_van(user) -> Scope:
    """The user's scope; cached on the user object so a request computes it once."""
    if user is None or not user.is_authenticated or not user.is_active:
        return LEGE_SCOPE
    cached = getattr(user, "_routetool_scope", None)
    if cached is not None:
        return cached
    swv_ids: set[int] = set()
    school_ids: set[int] = set()
    per_rol: dict[str, set[int]] = {}
    landelijk = False
    aanbieders: set[str] = set()
    for rol, swv_id, school_id, coalitie_id, aanbieder in Lidmaatschap.objects.filter(
        user=user
    ).values_list("rol", "swv_id", "instellingsschool_id", "coalitie_id", "aanbieder"):
        if rol == Rol.SWV_CONTACTPERSOON:
            swv_ids.add(swv_id)
        elif rol == Rol.MEDEWERKER_INSTELLINGSSCHOOL:
            school_ids.add(school_id)
        elif rol == Rol.LANDELIJK:
            landelijk = True
        elif rol == Rol.AANBIEDER:
            aanbieders.add(aanbieder)
        else:
            per_rol.setdefault(rol, set()).add(coalitie_id)
    scope = Scope(
        is_superuser=user.is_superuser,
        swv_ids=frozenset(swv_ids),
        instellingsschool_ids=frozenset(school_ids),
        coalitie_ids_per_rol={rol: frozenset(ids) for rol, ids in per_rol.items()},
        is_landelijk=landelijk,
        deelnemer_rollen=_deelnemer_rollen(user),
        aanbieders=frozenset(aanbieders),
    )
    user._routetool_scope = scope
    return scope


def swvs_zichtbaar_voor(user):
    """SWVs whose pupils the user may see (for filters and choices)."""
    scope = scope_van(user)
    if scope.is_superuser:
        return Samenwerkingsverband.objects.all()
    return Samenwerkingsverband.objects.filter(
        Q(pk__in=scope.swv_ids) | Q(coalitie_id__in=scope.coalities())
    )


def instellingsscholen_zichtbaar_voor(user):
    scope = scope_van(user)
    if scope.is_superuser:
        return Instellingsschool.objects.all()
    return Instellingsschool.objects.filter(
        Q(pk__in=scope.instellingsschool_ids) | Q(coalitie_id__in=scope.coalities())
    )


def coalities_van(user, *rollen: str):
    scope = scope_van(user)
    if scope.is_superuser:
        return Coalitie.objects.all()
    return Coalitie.objects.filter(pk__in=scope.coalities(*rollen))


def is_landelijk(user) -> bool:
    """The one access decision of the national role (VO-raad, OCW): it may read the national
    report (suppressed counts per coalition) and nothing else; it is in no pupil's scope, so
    every pupil page answers 404 to it through the ordinary visibility checks."""
    scope = scope_van(user)
    return scope.is_landelijk and not scope.is_superuser


def aanbieder_namen() -> list[str]:
    """The providers as the residential schools name them (reference data, beheer): the only
    names a provider's administration can be tied to."""
    return sorted(
        set(Instellingsschool.objects.exclude(aanbieder="").values_list("aanbieder", flat=True))
    )
