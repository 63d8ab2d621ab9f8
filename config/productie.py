"""What production mode refuses to start without.

Django's `check --deploy` only warns, and only when someone runs it; a production host that
forgot its SECRET_KEY would sign sessions with the public demo key. So settings.py calls
`controleer()` at import time: web, worker, beat and every management command stop with one
Dutch message that names everything that is missing.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

# The embedded default key (public, in the repository) and Django's own insecure prefix.
ONVEILIGE_SLEUTELS = {"embedded-only-insecure-key-change-me", "", "changeme", "secret"}
MIN_LENGTE_SLEUTEL = 50  # the length Django's security.W009 asks for
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


class ProductieInstellingenOntbreken(ImproperlyConfigured):
    pass


def ontbrekend(
    *,
    debug: bool,
    secret_key: str | None,
    allowed_hosts: list[str] | None,
    database_engine: str,
    database_url_gezet: bool,
    email_backend: str,
    email_host: str | None,
) -> list[str]:
    """Dutch descriptions of every required production setting that is missing or unfit."""
    fouten = []
    if debug:
        fouten.append("DEBUG staat aan (zet DEBUG=0)")
    sleutel = secret_key or ""
    if (
        sleutel in ONVEILIGE_SLEUTELS
        or sleutel.startswith("django-insecure")
        or len(sleutel) < MIN_LENGTE_SLEUTEL
        or len(set(sleutel)) < 5
    ):
        fouten.append(
            f"SECRET_KEY (of SECRET_KEY_FILE): een eigen, willekeurige sleutel van minstens "
            f"{MIN_LENGTE_SLEUTEL} tekens, niet de voorbeeldsleutel"
        )
    if not allowed_hosts or "*" in allowed_hosts:
        fouten.append("ALLOWED_HOSTS: de hostnamen van de app, zonder '*'")
    if not database_url_gezet or "sqlite" in database_engine:
        fouten.append("DATABASE_URL: een PostgreSQL-database (niet de ingebouwde SQLite)")
    if email_backend != SMTP_BACKEND or not email_host:
        fouten.append(
            f"EMAIL_HOST (met EMAIL_BACKEND={SMTP_BACKEND}): de mailserver; "
            "nu wordt mail alleen naar bestanden geschreven"
        )
    return fouten


def controleer(**instellingen) -> None:
    fouten = ontbrekend(**instellingen)
    if fouten:
        regels = "\n".join(f"  - {f}" for f in fouten)
        raise ProductieInstellingenOntbreken(
            "Routetool start niet in productiemodus (ROUTETOOL_ENV=production): "
            f"deze instellingen ontbreken of zijn onveilig:\n{regels}\n"
            "Zie .env.example en de README (Configuratie)."
        )
