from django.conf import settings

from . import toegang
from .models import Rol
from .selectors import scope_van


def navigatie(request):
    """Which menu items the user gets; pages check access again themselves."""
    scope = scope_van(getattr(request, "user", None))
    return {
        "scope": scope,
        "rollen_labels": sorted(Rol(r).label for r in scope.rollen) if scope.rollen else [],
        "is_beheerder": toegang.is_beheerder(request.user)
        if scope.rollen or scope.is_superuser
        else False,
        "is_procesregisseur": scope.heeft_rol(Rol.PROCESREGISSEUR),
        "is_penvoerder": scope.heeft_rol(Rol.PENVOERDER),
        "is_landelijk": scope.is_landelijk,
        "mfa_verplicht": settings.MFA_REQUIRED,
        "demo_modus": settings.DEMO_MODE,
        # Called (one query) only by the beheer menu that loops over it.
        "beheerde_coalities": lambda: _beheerde(request),
    }


def _beheerde(request):
    from .beheer.toegang import coalities_voor

    return list(coalities_voor(request.user)) if toegang.is_beheerder(request.user) else []
