"""Who may do what: every access decision of the project, each named once.

Three concerns, each asked here and nowhere else (views, services, exports, counts, admin):
- **who may see** a placement or pupil: `Plaatsing.objects.zichtbaar_voor(user)` (in
  `plaatsingen/selectors.py`, which builds on the scope below); the organisations for filters are
  `swvs_zichtbaar_voor` / `instellingsscholen_zichtbaar_voor` in `coalitie/selectors.py`;
- **who acts as which route role** for a placement: `route_rollen`, and from it
  `kan_plaatsing_wijzigen` (holding any route role is what "may change this placement" means);
- **who is beheerder of what**: `beheerde_coalities`, `is_beheerder`, `is_beheerder_van`;
- **who imports which schools' rows**: `mag_importeren`, `importeerbare_scholen` (a beheerder:
  its coalitions' schools; a provider's administration: `aanbieder_scholen`, all coalitions).

Every service takes an actor (`door`): a user, or `SYSTEEM` for jobs nobody started by hand
(the import from the command line, beat tasks, demo seeding). `vereis_actor` refuses `None`, so
no service can be called in a way that skips its check by accident.

The functions read only ids from the objects they are given (`verantwoordelijk_swv_id`,
`instellingsschool_id`, `instellingsschool.coalitie_id`), so this module imports no higher app.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models

from .models import COALITIE_ROLLEN, Instellingsschool, Rol
from .selectors import Scope, scope_van


class RouteRol(models.TextChoices):
    """The roles in which people act on a placement's route (`Actie.wie`, transitions)."""

    SWV = "swv", "SWV"
    INSTELLINGSSCHOOL = "instellingsschool", "instellingsschool"
    PROCESREGISSEUR = "procesregisseur", "procesregisseur"
    # Partners around one pupil (deelnemers of one placement, issue 17). Where a partner is not
    # in the app, the SWV does their actions for them (routetool/route.py says so).
    STAMSCHOOL = "stamschool", "stamschool"
    VERVOLGSCHOOL = "vervolgschool", "vervolgschool"
    AMBULANT = "ambulant", "ambulant begeleider"
    GI = "gi", "jeugdbescherming (GI)"
    ZORGAANBIEDER = "zorgaanbieder", "zorgaanbieder"


ALLE_ROUTE_ROLLEN = frozenset(RouteRol.values)
# The roles a deelnemer of one placement can hold (`plaatsingen.models.Deelnemer.soort`).
PARTNER_ROLLEN = (
    RouteRol.STAMSCHOOL,
    RouteRol.VERVOLGSCHOOL,
    RouteRol.AMBULANT,
    RouteRol.GI,
    RouteRol.ZORGAANBIEDER,
)


class Geweigerd(PermissionDenied):
    """A refusal whose message is a fixed Dutch sentence about roles (never about a pupil or an
    object): the 403 page shows it. Any other PermissionDenied gets the generic text, so a
    message that happens to carry data never reaches the page."""


class SysteemActor:
    """The actor of system jobs. Stored as an empty `door` ("systeem" in every log)."""

    pk = None
    id = None
    email = "systeem"
    is_authenticated = False
    is_active = True
    is_superuser = False
    is_staff = False

    def __str__(self) -> str:
        return "systeem"

    def __repr__(self) -> str:
        return "SYSTEEM"


SYSTEEM = SysteemActor()


def is_systeem(actor) -> bool:
    return actor is SYSTEEM


def vereis_actor(door) -> None:
    """Every service calls this first: a service without an actor is a programming error."""
    if door is None:
        raise ValueError("Geef een actor mee: een gebruiker, of SYSTEEM voor een systeemtaak.")


def actor_pk(door) -> int | None:
    """What goes into a `door`/`user` column: the user's id; empty for SYSTEEM."""
    return None if door is None or is_systeem(door) else door.pk


def als_gebruiker(door):
    """The user for a ForeignKey assignment (None for SYSTEEM)."""
    return None if door is None or is_systeem(door) else door


# --- beheerder ----------------------------------------------------------------------------


def beheerde_coalities(user) -> frozenset[int] | None:
    """Coalition ids the user is beheerder of; None means all of them (superuser)."""
    scope = scope_van(user)
    if scope.is_superuser:
        return None
    return scope.coalities(Rol.BEHEERDER)


def is_beheerder(user) -> bool:
    """Beheerder of at least one coalition (or superuser): the admin, the import, privacy."""
    ids = beheerde_coalities(user)
    return ids is None or bool(ids)


def is_beheerder_van(user, coalitie_id: int) -> bool:
    ids = beheerde_coalities(user)
    return ids is None or coalitie_id in ids


def heeft_coalitierol_in(user, coalitie_id: int) -> bool:
    """Holds a coalition role (procesregisseur, penvoerder, beheerder) there, or superuser;
    an inactive user holds none (`scope_van`). Who may ask for a coalition's monitor, and
    whether a monitor asked for earlier may still be made in that person's name."""
    scope = scope_van(user)
    return scope.is_superuser or coalitie_id in scope.coalities(*COALITIE_ROLLEN)


def is_alleen_deelnemer(user) -> bool:
    """A partner invited to placements and nothing else: no lists, search, counts or exports
    (`coalitie.middleware.DeelnemerPoortMiddleware` answers 404 outside their pages)."""
    scope = scope_van(user)
    return (
        scope.is_deelnemer and not scope.rollen and not scope.aanbieders and not scope.is_superuser
    )


# --- import: beheerders and a provider's administration ------------------------------------


def aanbieders_van(user) -> frozenset[str]:
    """The providers (`Instellingsschool.aanbieder`) whose administration `user` is."""
    return scope_van(user).aanbieders


def aanbieder_scholen(user) -> frozenset[int]:
    """Instellingsschool ids of the user's providers, whatever coalition they sit in."""
    return scope_van(user).aanbieder_school_ids


def is_alleen_aanbieder(user) -> bool:
    """A provider's administration and no other role: the import pages and nothing else
    (`coalitie.middleware.DeelnemerPoortMiddleware` answers 404 elsewhere)."""
    scope = scope_van(user)
    return bool(scope.aanbieders) and not scope.rollen and not scope.is_superuser


def mag_importeren(user) -> bool:
    """The import pages (upload, progress, preview, own imports): a beheerder or superuser,
    or a provider's administration."""
    return is_beheerder(user) or bool(aanbieders_van(user))


def importeerbare_scholen(door) -> frozenset[int] | None:
    """Instellingsschool ids whose rows `door` may import; None means every school (the system,
    a superuser). A beheerder: the schools of its coalitions; a provider's administration: its
    provider's schools in every coalition; someone holding both: the union."""
    vereis_actor(door)
    if is_systeem(door):
        return None
    coalities = beheerde_coalities(door)
    if coalities is None:
        return None
    ids = set(aanbieder_scholen(door))
    if coalities:
        ids.update(
            Instellingsschool.objects.filter(coalitie_id__in=coalities).values_list("pk", flat=True)
        )
    return frozenset(ids)


def mag_deelnemers_beheren(user, plaatsing) -> bool:
    """Inviting and revoking deelnemers of a placement: its casusregisseur or the
    procesregisseur (and a contact person of its SWV while no casusregisseur is named)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    rollen = _rollen_uit_scope(scope_van(user), plaatsing)
    if RouteRol.PROCESREGISSEUR in rollen:
        return True
    if plaatsing.casusregisseur_id is not None:
        return plaatsing.casusregisseur_id == user.pk and RouteRol.SWV in rollen
    return RouteRol.SWV in rollen


def mag_casusregisseur_toewijzen(user, plaatsing) -> bool:
    """The SWV (its contact persons) or the procesregisseur names the casusregisseur."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    rollen = _rollen_uit_scope(scope_van(user), plaatsing)
    return bool(rollen & {RouteRol.SWV, RouteRol.PROCESREGISSEUR})


def mag_routeoverzicht_zien(user) -> bool:
    """The overview of open placements is the procesregisseur's (and the beheerder's)."""
    return scope_van(user).heeft_rol(Rol.PROCESREGISSEUR) or is_beheerder(user)


def mag_scholen_zoeken(user) -> bool:
    """The school search (BRIN or name) behind the stamschool and vervolgschool fields: anyone
    with a role (schools are public reference data, but the endpoint is not for the world)."""
    scope = scope_van(user)
    return scope.is_superuser or bool(scope.rollen)


# --- route roles on one placement -----------------------------------------------------------


def _rollen_uit_scope(scope: Scope, plaatsing) -> frozenset[str]:
    if scope.is_superuser:
        return ALLE_ROUTE_ROLLEN
    rollen = set()
    if plaatsing.verantwoordelijk_swv_id in scope.swv_ids:
        rollen.add(RouteRol.SWV)
    if plaatsing.instellingsschool_id in scope.instellingsschool_ids:
        rollen.add(RouteRol.INSTELLINGSSCHOOL)
    # The coalition of the residential school runs the route, so its procesregisseur acts on it.
    if plaatsing.instellingsschool.coalitie_id in scope.coalities(Rol.PROCESREGISSEUR):
        rollen.add(RouteRol.PROCESREGISSEUR)
    # A deelnemer of this placement acts as their partner role (stamschool, vervolgschool, …);
    # the scope already holds only live invitations (not revoked, not expired).
    rollen |= scope.deelnemer_rollen.get(plaatsing.pk, frozenset())
    return frozenset(rollen)


def route_rollen(user, plaatsing) -> frozenset[str]:
    """The route roles (`RouteRol`) `user` holds for this placement; SYSTEEM holds all."""
    if user is None:
        return frozenset()
    if is_systeem(user):
        return ALLE_ROUTE_ROLLEN
    return _rollen_uit_scope(scope_van(user), plaatsing)


def kan_plaatsing_wijzigen(user, plaatsing) -> bool:
    """May `user` change this (visible) placement: does they act on its route at all?

    Penvoerders, beheerders and other coalitions only read; what exactly a role may do is in
    `routetool/route.py`.
    """
    return bool(route_rollen(user, plaatsing))


def mag_plaatsingen_invoeren(door, *, instellingsschool_id: int, coalitie_id: int) -> bool:
    """May `door` bring placements of this residential school in (register one, import)?
    The school's own staff registers by hand; a beheerder of its coalition or the
    administration of its provider imports."""
    if door is None:
        return False
    if is_systeem(door):
        return True
    scope = scope_van(door)
    return (
        scope.is_superuser
        or instellingsschool_id in scope.instellingsschool_ids
        or coalitie_id in scope.coalities(Rol.BEHEERDER)
        or instellingsschool_id in scope.aanbieder_school_ids
    )


def mag_zelf_registreren(user, instellingsschool_id: int | None = None) -> bool:
    """Registering a placement by hand is for staff of an instellingsschool (that one)."""
    scope = scope_van(user)
    if scope.is_superuser:
        return True
    if instellingsschool_id is None:
        return bool(scope.instellingsschool_ids)
    return instellingsschool_id in scope.instellingsschool_ids
