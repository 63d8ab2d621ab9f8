"""One language on every page: Dutch, "u", one word for MFA (issue 19, defect 9)."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

pytestmark = pytest.mark.django_db

JE = re.compile(r"\b(je|jouw|jij|jezelf)\b", re.IGNORECASE)


def _tekst(html: str) -> str:
    html = re.sub(r"<(script|style).*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_password_rules_speak_dutch():
    with pytest.raises(ValidationError) as fout:
        validate_password("kort")
    tekst = " ".join(fout.value.messages)
    assert "te kort" in tekst and "10 tekens" in tekst
    assert "password" not in tekst.lower()


@pytest.mark.parametrize(
    "url", ["account_login", "account_reset_password", "account_logout", "mfa_index"]
)
def test_account_pages_say_u_and_tweestapsverificatie(client, contact_swv_a, url):
    if url in ("account_logout", "mfa_index"):
        client.force_login(contact_swv_a)
    tekst = _tekst(client.get(reverse(url)).content.decode())
    assert not JE.search(tekst), JE.search(tekst)
    assert "twee-factor" not in tekst.lower() and "two-factor" not in tekst.lower()


def test_allauth_messages_use_u():
    from django.utils.translation import gettext, override

    with override("nl"):
        assert gettext("You have signed out.") == "U bent afgemeld."
        assert "tweestapsverificatie" in gettext("Two-Factor Authentication").lower()


def test_403_for_a_page_the_role_may_not_open_does_not_say_it_may_view(client, contact_swv_a):
    client.force_login(contact_swv_a)
    r = client.get(reverse("plaatsingen:nieuw"))
    assert r.status_code == 403
    tekst = r.content.decode()
    assert "bekijken maar niet wijzigen" not in tekst
    assert "Alleen medewerkers van een instellingsschool" in tekst
