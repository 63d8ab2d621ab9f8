"""Login by e-mail, no sign-up, invitations, MFA enforcement and the idle timeout."""

import datetime as dt
import time

import pytest
import time_machine
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from coalitie.models import Rol, User
from coalitie.services import gebruiker_uitnodigen

from .factories import UserFactory, swv

pytestmark = pytest.mark.django_db
WACHTWOORD = "geheim-wachtwoord-123"


def totp_code(secret: str, *, stappen: int = 0) -> str:
    """The code of the current 30 s step, as the phone shows it (`stappen` earlier or later)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + stappen
    return format_hotp_value(hotp_value(secret, counter))


def login_met_totp(client, user):
    r = client.post(reverse("account_login"), {"login": user.email, "password": WACHTWOORD})
    assert r.status_code == 302 and r.url == reverse("mfa_authenticate")
    r = client.post(reverse("mfa_authenticate"), {"code": totp_code(user.totp_secret)})
    assert r.status_code == 302, r.content
    return r


def test_login_page_is_dutch_and_offers_no_sign_up(client):
    r = client.get(reverse("account_login"))
    html = r.content.decode()
    assert r.status_code == 200
    assert "E-mailadres" in html and "Wachtwoord" in html
    assert "/accounts/signup/" not in html


def test_sign_up_is_closed(client):
    r = client.post(
        reverse("account_signup"),
        {
            "email": "nieuw@example.org",
            "password1": "Xx-lang-wachtwoord-1",
            "password2": "Xx-lang-wachtwoord-1",
        },
    )
    assert not User.objects.filter(email="nieuw@example.org").exists()
    assert r.status_code == 200
    assert "gesloten" in r.content.decode().lower() or "closed" in r.content.decode().lower()


def test_wrong_password_gives_a_dutch_message(client, contact_swv_a):
    r = client.post(reverse("account_login"), {"login": contact_swv_a.email, "password": "fout"})
    assert r.status_code == 200
    assert "wachtwoord is niet correct" in r.content.decode()


def test_login_with_password_and_totp_reaches_the_home_page(client, contact_swv_a):
    r = login_met_totp(client, contact_swv_a)
    assert r.url == reverse("tedoen")  # every role starts on Te doen
    assert client.get(reverse("home")).status_code == 200


def test_password_alone_does_not_log_in_when_totp_is_set(client, contact_swv_a):
    client.post(reverse("account_login"), {"login": contact_swv_a.email, "password": WACHTWOORD})
    r = client.get(reverse("home"))
    assert r.status_code == 302 and r.url.startswith(reverse("account_login"))


def test_account_without_totp_must_set_it_up_first(client):
    user = UserFactory()
    client.force_login(user)
    r = client.get(reverse("home"))
    assert r.status_code == 302
    assert r.url.startswith(reverse("mfa_activate_totp"))


def test_mfa_can_be_switched_off_for_the_demo_and_the_login_page_says_so(client, settings):
    settings.MFA_REQUIRED = False
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    assert "tweestapsverificatie" in client.get(reverse("account_login")).content.decode().lower()


def test_totp_cannot_be_removed_while_mfa_is_required(client, contact_swv_a):
    from allauth.mfa.models import Authenticator

    login_met_totp(client, contact_swv_a)
    client.post(reverse("mfa_deactivate_totp"), {"code": totp_code(contact_swv_a.totp_secret)})
    assert Authenticator.objects.filter(user=contact_swv_a, type="totp").exists()


@pytest.mark.parametrize("stappen, toegelaten", [(0, True), (-1, True), (1, True), (-2, False)])
def test_a_code_of_the_step_before_or_after_is_accepted_one_further_is_not(
    client, contact_swv_a, stappen, toegelaten
):
    """MFA_TOTP_TOLERANCE = 1: a code typed in its last seconds still works (the suite's own
    logins failed now and then when a 30 s step ended between making and checking a code)."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, 10, tzinfo=dt.UTC), tick=False):
        r = client.post(
            reverse("account_login"), {"login": contact_swv_a.email, "password": WACHTWOORD}
        )
        assert r.url == reverse("mfa_authenticate")
        code = totp_code(contact_swv_a.totp_secret, stappen=stappen)
        r = client.post(reverse("mfa_authenticate"), {"code": code})
        assert (r.status_code == 302) is toegelaten
        assert client.get(reverse("home")).status_code == (200 if toegelaten else 302)


def test_a_code_used_once_is_refused_the_second_time(client, contact_swv_a):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, 10, tzinfo=dt.UTC), tick=False):
        login_met_totp(client, contact_swv_a)
        client.logout()
        client.post(
            reverse("account_login"), {"login": contact_swv_a.email, "password": WACHTWOORD}
        )
        r = client.post(reverse("mfa_authenticate"), {"code": totp_code(contact_swv_a.totp_secret)})
        assert r.status_code == 200  # the form again, not logged in
        assert client.get(reverse("home")).status_code == 302


def test_session_ends_after_30_minutes_idle(client, contact_swv_a):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        login_met_totp(client, contact_swv_a)
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200  # activity renews the session
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        r = client.get(reverse("home"))
        assert r.status_code == 302 and r.url.startswith(reverse("account_login"))


def test_invitation_mails_a_link_that_sets_the_password(
    client, beheerder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = gebruiker_uitnodigen(
            email="Nieuw@Example.org",
            voornaam="Nina",
            achternaam="Smit",
            rol=Rol.SWV_CONTACTPERSOON,
            organisatie=swv("VO 28-06"),
            door=beheerder,
        )
    assert user.email == "nieuw@example.org"
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(w for w in body.split() if "/accounts/password/reset/key/" in w)
    pad = link.split("://", 1)[1].split("/", 1)[1]
    r = client.get("/" + pad, follow=True)
    assert r.status_code == 200
    r = client.post(
        r.redirect_chain[-1][0],
        {"password1": "Een-nieuw-wachtwoord-9", "password2": "Een-nieuw-wachtwoord-9"},
    )
    assert r.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Een-nieuw-wachtwoord-9")
    assert user.lidmaatschappen.get().swv.code == "VO 28-06"
