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
                _log_blokkade(
                    request,
                    credentials.get("email") or credentials.get("username"),
                    welke=self._welke_limiet(request, **credentials),
                )
            raise

    def _welke_limiet(self, request, **credentials) -> str:
        """'account' or 'ip': which of the two failed-login limits refused this attempt
        (a dry run of each on its own reads the same counters allauth just checked)."""
        from allauth.core.internal import ratelimit

        sleutel = self._get_login_attempts_cache_key(request, **credentials)
        config = {"login_failed": f"{settings.LOGIN_LIMIET_ACCOUNT}/key"}
        vrij = ratelimit.consume(
            request,
            app="allauth.account",
            action="login_failed",
            config=config,
            key=sleutel,
            dry_run=True,
        )
        return "ip" if vrij else "account"


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        # While MFA is required an account may replace its TOTP but never drop to password only.
        return not settings.MFA_REQUIRED


def _log_blokkade(request, email: str | None, *, welke: str = "account") -> None:
    """A login refused by a rate limit, the account's or the IP address's: to the log (hashes,
    never the address) and the access log (linked to the account when it exists)."""
    from .audit import client_ip, e_mail_hash, log_toegang
    from .models import Toegangsactie, User

    sleutel = e_mail_hash(email or "")
    ip_hash = e_mail_hash(client_ip(request) or "")
    # Once per account (or address) per 5 minutes: a script hammering must not flood the log.
    teller = sleutel if welke == "account" else f"ip-{ip_hash}"
    if not cache.add(f"routetool:blokkade:{teller}", 1, timeout=300):
        return
    if welke == "account":
        reden = f"account geblokkeerd: te veel mislukte inlogpogingen (e-mailhash {sleutel})"
    else:
        reden = f"IP-adres geblokkeerd: te veel mislukte inlogpogingen (IP-hash {ip_hash})"
    logger.warning("inloggen geblokkeerd (%s): e-mailhash %s, IP-hash %s", welke, sleutel, ip_hash)
    gebruiker = User.objects.filter(email__iexact=email).first() if email else None
    log_toegang(
        request,
        actie=Toegangsactie.GEBLOKKEERD,
        user=gebruiker,
        object_type="account" if welke == "account" else "ip",
        object_id=str(gebruiker.pk) if gebruiker and welke == "account" else "",
        omschrijving=reden,
    )
