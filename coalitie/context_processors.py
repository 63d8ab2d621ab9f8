from django.conf import settings

from . import toegang
from .models import Rol
from .selectors import scope_van


def navigatie(request):
    """Which menu items the user gets; pages check access again themselves."""
    scope = scope_van(getattr(request, "user", None))
    return {
        "scope": scope,
        "rollen_labels": sorted(Rol(r).label for r in scope.rollen)
        + [f"{Rol.AANBIEDER.label} {naam}" for naam in sorted(scope.aanbieders)],
        "is_beheerder": toegang.is_beheerder(request.user)
        if scope.rollen or scope.is_superuser
        else False,
        "mag_importeren": toegang.mag_importeren(request.user)
        if scope.rollen or scope.is_superuser or scope.aanbieders
        else False,
        # A provider's administration gets one menu item: the import.
        "alleen_aanbieder_nav": toegang.is_alleen_aanbieder(request.user),
        "is_procesregisseur": scope.heeft_rol(Rol.PROCESREGISSEUR),
        "is_penvoerder": scope.heeft_rol(Rol.PENVOERDER),
        "is_landelijk": scope.is_landelijk,
        # A partner invited to single placements gets one menu item: their start page.
        "alleen_deelnemer_nav": scope.is_deelnemer and not scope.rollen and not scope.is_superuser,
        "mfa_verplicht": settings.MFA_REQUIRED,
        "demo_modus": settings.DEMO_MODE,
        # Called (one query) only by the beheer menu that loops over it.
        "beheerde_coalities": lambda: _beheerde(request),
        "meldingen_ongelezen": _ongelezen(request),
    }


def _beheerde(request):
    from .beheer.toegang import coalities_voor

    return list(coalities_voor(request.user)) if toegang.is_beheerder(request.user) else []


def _ongelezen(request):
    """The header's count: one indexed COUNT, only when a page actually shows it."""
    from django.utils.functional import SimpleLazyObject

    from .meldingen import ongelezen

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return SimpleLazyObject(lambda: ongelezen(user).count())
