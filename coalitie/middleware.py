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
