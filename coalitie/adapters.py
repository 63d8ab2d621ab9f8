import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError

logger = logging.getLogger("routetool.beveiliging")


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Nobody signs up: a beheerder invites people (coalitie.services.gebruiker_uitnodigen).
        return False

    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError as fout:
            if fout.code == "too_many_login_attempts":
                _log_blokkade(request, credentials.get("email") or credentials.get("username"))
            raise


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        # While MFA is required an account may replace its TOTP but never drop to password only.
        return not settings.MFA_REQUIRED


def _log_blokkade(request, email: str | None) -> None:
    """A login refused by the rate limit: to the log (a hash, never the address) and the
    access log (linked to the account when it exists)."""
    from .audit import e_mail_hash, log_toegang
    from .models import Toegangsactie, User

    sleutel = e_mail_hash(email or "")
    # Once per account per 5 minutes: a script hammering a locked account must not flood the log.
    if not cache.add(f"routetool:blokkade:{sleutel}", 1, timeout=300):
        return
    logger.warning("inloggen geblokkeerd: te veel mislukte pogingen (e-mailhash %s)", sleutel)
    gebruiker = User.objects.filter(email__iexact=email).first() if email else None
    log_toegang(
        request,
        actie=Toegangsactie.GEBLOKKEERD,
        user=gebruiker,
        object_type="account",
        object_id=str(gebruiker.pk) if gebruiker else "",
        omschrijving=f"te veel mislukte inlogpogingen (e-mailhash {sleutel})",
    )
