from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

# Paths a logged-in user without TOTP may still use: setting it up, logging out, static files.
VRIJ = ("/accounts/", "/static/", "/healthz")


class MFARequiredMiddleware:
    """With MFA_REQUIRED on, an account without TOTP can do nothing but set it up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(VRIJ)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return redirect(reverse("mfa_activate_totp") + "?verplicht=1")
        return self.get_response(request)


# What a deelnemer of single placements (and nothing else) may open, by URL name; views of
# higher apps can also mark themselves with `voor_deelnemers` (e.g. a partner's own page).
DEELNEMER_URLS = frozenset(
    {
        "deelnemer_start",
        "plaatsingen:detail",
        "routetool:actie_afronden",
        "routetool:actie_overslaan",
        "routetool:actie_heropenen",
        # The overdrachtsprofiel: the view itself decides who reads it (route.mag_profiel_zien:
        # the vervolgschool) and who edits it.
        "routetool:overdrachtsprofiel",
        "coalitie:meldingen",
        "coalitie:melding_open",
        "coalitie:meldingen_gelezen",
    }
)
# Their start page instead of the lists every other role starts on.
DEELNEMER_NAAR_START = frozenset({"home", "tedoen"})


# What a provider's administration (and nothing else) may open: the import pages. Its start
# page is the import; everything else (pupils, lists, counts, exports, beheer) answers 404.
AANBIEDER_URLS = frozenset(
    {
        "importeren:index",
        "importeren:status",
        "importeren:bevestigen",
        "importeren:fouten_csv",
        "importeren:opnieuw",
        "coalitie:meldingen",
        "coalitie:melding_open",
        "coalitie:meldingen_gelezen",
    }
)
AANBIEDER_START = "importeren:index"


def voor_deelnemers(view):
    """Mark a view a deelnemer may open (it still checks the placement itself)."""
    view.voor_deelnemers = True
    return view


class DeelnemerPoortMiddleware:
    """Default deny for the roles that reach only a few pages: partners invited to one
    placement, and a provider's administration. Outside their own pages every URL answers 404
    (lists, search, exports, pupils, reports, beheer), the same answer as for a placement they
    may not see. The pages they may open check access themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.http import Http404

        from .selectors import scope_van
        from .toegang import is_alleen_aanbieder, is_alleen_deelnemer

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(VRIJ):
            return None
        naam = request.resolver_match.view_name if request.resolver_match else ""
        if is_alleen_aanbieder(user):
            if naam in DEELNEMER_NAAR_START:
                return redirect(AANBIEDER_START)
            # A provider's employee may also be invited to a placement (as a partner).
            if naam in AANBIEDER_URLS or (
                scope_van(user).is_deelnemer
                and (naam in DEELNEMER_URLS or getattr(view_func, "voor_deelnemers", False))
            ):
                return None
            raise Http404("Deze pagina bestaat niet of u heeft er geen toegang toe.")
        if not is_alleen_deelnemer(user):
            return None
        if naam in DEELNEMER_NAAR_START:
            return redirect("deelnemer_start")
        if naam in DEELNEMER_URLS or getattr(view_func, "voor_deelnemers", False):
            return None
        raise Http404("Deze pagina bestaat niet of u heeft er geen toegang toe.")
