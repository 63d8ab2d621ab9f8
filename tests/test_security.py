"""Hardening: headers and CSP, `check --deploy` in production, login rate limit and lockout log,
open redirects, CSRF on every URL, escaping of user-controlled text, error pages."""

from __future__ import annotations

import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse

from coalitie.audit import e_mail_hash
from coalitie.models import Toegangslog

from .factories import LeerlingFactory, PlaatsingFactory, UserFactory
from .test_access_matrix import MATRIX, _maak_doel, alle_patronen, urls_voor
from .test_login import WACHTWOORD, totp_code

pytestmark = pytest.mark.django_db
BASE_DIR = Path(settings.BASE_DIR)


@pytest.fixture(autouse=True)
def _lege_cache():
    """allauth counts login failures in the cache; start and leave every test with none."""
    cache.clear()
    yield
    cache.clear()


# --- Headers -----------------------------------------------------------------------------------


def test_pages_send_a_strict_csp_and_deny_framing(client, contact_swv_a):
    client.force_login(contact_swv_a)
    r = client.get(reverse("home"))
    csp = {
        d.strip().split(" ", 1)[0]: d.strip().split(" ", 1)[1]
        for d in r["Content-Security-Policy"].split(";")
        if d.strip()
    }
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["style-src"] == "'self'"
    assert csp["img-src"] == "'self' data:"
    assert csp["object-src"] == "'none'"
    assert csp["base-uri"] == "'self'"
    assert csp["frame-ancestors"] == "'none'"
    assert csp["form-action"] == "'self'"
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"


def _inline_code(html: str) -> list[str]:
    """Script or style the CSP would block: inline <script> code, handlers, style attributes."""
    problemen = []
    for m in re.finditer(r"<script\b([^>]*)>(.*?)</script>", html, re.S | re.I):
        attrs, body = m.group(1), m.group(2).strip()
        if body and "application/json" not in attrs:
            problemen.append(m.group(0)[:80])
    problemen += re.findall(r"\son[a-z]+\s*=", html, re.I)
    problemen += re.findall(r"\sstyle\s*=", html, re.I)
    problemen += re.findall(r"<style\b", html, re.I)
    return problemen


def test_totp_activation_shows_its_qr_code_as_a_data_image_the_csp_allows(client):
    user = UserFactory()  # no TOTP yet: the page MFA_REQUIRED sends everyone to
    r = client.post(reverse("account_login"), {"login": user.email, "password": WACHTWOORD})
    assert r.status_code == 302
    # allauth asks for the password again before adding an authenticator.
    client.post(reverse("account_reauthenticate"), {"password": WACHTWOORD})
    r = client.get(reverse("mfa_activate_totp"))
    html = r.content.decode()
    assert r.status_code == 200
    qr = re.search(r'<img[^>]+src="(data:image/svg\+xml;base64,[^"]+)"', html)
    assert qr, "QR-code ontbreekt"
    assert "data:" in r["Content-Security-Policy"].split("img-src", 1)[1].split(";")[0]
    assert _inline_code(html) == []


@pytest.mark.parametrize("naam", ["account_login", "home", "plaatsingen:detail"])
def test_our_pages_have_no_inline_script_or_style(client, contact_swv_a, plaatsing_a, naam):
    client.force_login(contact_swv_a)
    args = [plaatsing_a.pk] if naam == "plaatsingen:detail" else []
    html = client.get(reverse(naam, args=args)).content.decode()
    assert _inline_code(html) == []


# --- check --deploy with production values ----------------------------------------------------


def _check_deploy(extra_env: dict) -> subprocess.CompletedProcess:
    # A clean environment, as a production host has: nothing leaks in from the test run
    # (e.g. DJANGO_ALLOW_ASYNC_UNSAFE set by browser tests, or SECURE_* overrides).
    behouden = ("PATH", "HOME", "LANG", "REDIS_URL", "ROUTETOOL_VAR_DIR")
    env = {k: os.environ[k] for k in behouden if k in os.environ}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTIE_ENV = {
    "ROUTETOOL_ENV": "production",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "routetool.example.nl",
    "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "EMAIL_HOST": "smtp.example.nl",
}


def test_check_deploy_with_production_values_gives_no_warnings():
    r = _check_deploy({**PRODUCTIE_ENV, "SECRET_KEY": secrets.token_urlsafe(64)})
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_check_deploy_without_production_env_does_warn():
    """The test above can fail: the embedded defaults are not fit for production."""
    r = _check_deploy({"DEBUG": "0", "DATABASE_URL": os.environ.get("DATABASE_URL", "")})
    assert r.returncode != 0
    assert "security.W004" in r.stderr + r.stdout  # no HSTS
    assert "security.W009" in r.stderr + r.stdout  # the insecure demo key


# --- Login rate limit ---------------------------------------------------------------------------


def test_too_many_wrong_passwords_lock_the_account_and_the_lockout_is_logged(
    client, contact_swv_a, caplog
):
    login = reverse("account_login")
    for _ in range(5):
        r = client.post(login, {"login": contact_swv_a.email, "password": "fout-wachtwoord"})
        assert r.status_code == 200
        assert "Te veel inlogpogingen" not in r.content.decode()
    with caplog.at_level(logging.WARNING, logger="routetool.beveiliging"):
        r = client.post(login, {"login": contact_swv_a.email, "password": WACHTWOORD})
    assert r.status_code == 200  # refused even with the right password
    assert "Te veel inlogpogingen" in r.content.decode()
    assert "_auth_user_id" not in client.session

    regels = [rec.getMessage() for rec in caplog.records if rec.name == "routetool.beveiliging"]
    assert regels and e_mail_hash(contact_swv_a.email) in regels[0]
    assert contact_swv_a.email not in " ".join(regels)
    entry = Toegangslog.objects.get(actie="geblokkeerd")
    assert entry.user == contact_swv_a and entry.ip == "127.0.0.1"
    assert contact_swv_a.email not in entry.omschrijving
    # Hammering on: still refused, but logged once per lockout window, not per attempt.
    for _ in range(3):
        r = client.post(login, {"login": contact_swv_a.email, "password": WACHTWOORD})
        assert "Te veel inlogpogingen" in r.content.decode()
    assert Toegangslog.objects.filter(actie="geblokkeerd").count() == 1


# --- Open redirects -------------------------------------------------------------------------------


def test_login_ignores_a_next_url_on_another_site(client, contact_swv_a):
    login = reverse("account_login") + "?next=https://evil.example/buit"
    r = client.post(login, {"login": contact_swv_a.email, "password": WACHTWOORD})
    assert r.status_code == 302 and "evil.example" not in r.url
    r = client.post(reverse("mfa_authenticate"), {"code": totp_code(contact_swv_a.totp_secret)})
    assert r.status_code == 302
    assert "evil.example" not in r.url and r.url.startswith("/")


@pytest.mark.parametrize("next_url", ["https://evil.example", "//evil.example", "/\\evil.example"])
def test_logout_ignores_a_next_url_on_another_site(client, contact_swv_a, next_url):
    client.force_login(contact_swv_a)
    r = client.post(reverse("account_logout"), {"next": next_url})
    assert r.status_code == 302 and "evil.example" not in r.url


# --- CSRF ------------------------------------------------------------------------------------------


def test_every_url_refuses_a_post_without_csrf_token(procesregisseur):
    """Walk every URL pattern: a POST without token is refused (403) for anonymous and for a
    logged-in user, so no view is csrf_exempt by accident."""
    doel = _maak_doel("Csrfnaam", "Csrfachternaam", "LCSRF1", "VO 28-07", "Rijnstroom College")
    fouten = []
    for user in (None, procesregisseur):
        client = Client(enforce_csrf_checks=True)
        if user is not None:
            client.force_login(user)
        # Patterns missing from MATRIX fail test_every_url_pattern_is_in_the_matrix already.
        for patroon in (p for p in alle_patronen() if p.sleutel in MATRIX):
            for url in urls_voor(patroon, doel):
                r = client.post(url, {"x": "1"})
                if r.status_code != 403:
                    fouten.append(f"{patroon.sleutel} {url} -> {r.status_code}")
    assert not fouten, "POST zonder CSRF-token niet geweigerd: " + "; ".join(fouten)


# --- Escaping --------------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"


def test_a_pupil_named_like_a_script_is_shown_escaped(client, contact_swv_a):
    leerling = LeerlingFactory(roepnaam=SCRIPT, achternaam='"><img src=x onerror=alert(2)>')
    plaatsing = PlaatsingFactory(leerling=leerling)
    client.force_login(contact_swv_a)
    for url in (reverse("home"), reverse("plaatsingen:detail", args=[plaatsing.pk])):
        html = client.get(url).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert SCRIPT not in html
        assert "<img src=x" not in html


# Plain-text e-mail templates (`.../mail/*.txt`) rightly switch autoescape off: they are not
# HTML. Anything else that switches escaping off must be added here with a reason.
TOEGESTAAN_ONVEILIG: set[str] = set()


def _is_tekstmail(pad: Path) -> bool:
    return pad.suffix == ".txt" and "mail" in pad.parts


def test_no_template_or_code_switches_escaping_off():
    treffers = []
    patroon = re.compile(r"\|\s*safe\b|mark_safe\(|autoescape off|SafeString\(|\|safeseq")
    for map_ in ("templates", "coalitie", "plaatsingen", "routetool", "rapportage", "config"):
        for bestand in (BASE_DIR / map_).rglob("*"):
            if bestand.suffix not in (".html", ".txt", ".py") or "migrations" in bestand.parts:
                continue
            rel = str(bestand.relative_to(BASE_DIR))
            if rel in TOEGESTAAN_ONVEILIG or _is_tekstmail(bestand):
                continue
            if patroon.search(bestand.read_text(errors="ignore")):
                treffers.append(rel)
    assert not treffers, "Escaping uitgezet in: " + ", ".join(treffers)


# --- Error pages -----------------------------------------------------------------------------------


def _kapot(request, naam):
    raise RuntimeError(f"fout bij leerling {naam}")


def _verboden(request, naam):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied(f"leerling {naam} is niet van u")


def _niet_gevonden(request, naam):
    from django.http import Http404

    raise Http404(f"leerling {naam} bestaat niet")


urlpatterns = [
    path("kapot/<str:naam>/", _kapot),
    path("verboden/<str:naam>/", _verboden),
    path("weg/<str:naam>/", _niet_gevonden),
    path("", lambda request: HttpResponse("ok"), name="home"),
]


@pytest.mark.parametrize(
    ("pad", "status", "kop"),
    [
        ("kapot", 500, "Er ging iets mis"),
        ("verboden", 403, "Geen toegang"),
        ("weg", 404, "Niet gevonden"),
    ],
)
def test_error_pages_are_dutch_and_never_echo_the_object(settings, pad, status, kop):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    r = client.get(f"/{pad}/Geheimnaam/")
    html = r.content.decode()
    assert r.status_code == status
    assert kop in html
    assert "Geheimnaam" not in html


def test_a_hidden_placement_gives_the_dutch_404_without_its_id(client, contact_swv_b, plaatsing_a):
    client.force_login(contact_swv_b)
    r = client.get(reverse("plaatsingen:detail", args=[plaatsing_a.pk]))
    html = r.content.decode()
    assert r.status_code == 404 and "Niet gevonden" in html
    assert f"/plaatsingen/{plaatsing_a.pk}/" not in html
    assert plaatsing_a.leerling.achternaam not in html
