"""How plaatsingen drives the route without importing routetool (which sits above it).

A new or deregistered placement must start or move its route, but the route engine depends on
the placement, not the other way round. So routetool registers its services here in
`RoutetoolConfig.ready()`, and plaatsingen (registration, the iHUB import) calls `route()`.
"""

from __future__ import annotations

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


class Route(Protocol):
    def route_starten(
        self,
        *,
        plaatsingen: list,
        door,
        via_import: bool = False,
        mailen: bool = True,
    ) -> None: ...

    def uitschrijving_verwerken(self, *, plaatsingen: list, door) -> None: ...

    def routes_voorbereiden(
        self, *, rijen: list[dict], door, via_import: bool = False, referentie: dict | None = None
    ):
        """Placements about to be created: `.velden[i]` to write with `rijen[i]`, then
        `.starten(pks)` and `.uitschrijven()` (routetool.services.NieuweRoutes). `referentie`:
        a dict kept over one transaction, so the reference data is read once."""

    def swv_mailen(self, per_swv: dict[int, list[int]]) -> None: ...

    def startdatum_gecorrigeerd(self, *, correcties: dict) -> None: ...


_route: Route | None = None


def registreer(route: Route) -> None:
    global _route
    _route = route


def route() -> Route:
    if _route is None:
        raise ImproperlyConfigured("Geen route geregistreerd: staat 'routetool' in INSTALLED_APPS?")
    return _route
