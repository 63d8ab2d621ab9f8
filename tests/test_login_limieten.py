"""Failed-login limits: the account locks after a few failures; the per-IP limit is far higher,
because a whole school logs in through one NAT address. Both lockouts are logged."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.urls import reverse

from coalitie.audit import e_mail_hash
from coalitie.models import Toegangslog

from .factories import UserFactory
from .test_login import WACHTWOORD

pytestmark = pytest.mark.django_db
LOGIN = "account_login"


@pytest.fixture(autouse=True)
def _lege_cache():
    cache.clear()
    yield
    cache.clear()


def _mislukt(client, user):
    return client.post(reverse(LOGIN), {"login": user.email, "password": "fout-wachtwoord"})


def test_colleagues_behind_one_nat_address_are_not_locked_out_by_each_others_typos(client):
    """Thirty staff of one school each mistype once from the same address; the next colleague
    still logs in (the old limit of 10 per minute per IP refused her)."""
    collegas = UserFactory.create_batch(30)
    for collega in collegas:
        r = _mislukt(client, collega)
        assert "Te veel inlogpogingen" not in r.content.decode()
    volgende = UserFactory()
    r = client.post(reverse(LOGIN), {"login": volgende.email, "password": WACHTWOORD})
    assert r.status_code == 302, "collega geblokkeerd door de IP-limiet"
    assert not Toegangslog.objects.filter(actie="geblokkeerd").exists()


def test_one_account_locks_after_five_failures_and_the_others_still_log_in(client, caplog):
    doelwit, collega = UserFactory(), UserFactory()
    for _ in range(5):
        _mislukt(client, doelwit)
    with caplog.at_level(logging.WARNING, logger="routetool.beveiliging"):
        r = client.post(reverse(LOGIN), {"login": doelwit.email, "password": WACHTWOORD})
    assert "Te veel inlogpogingen" in r.content.decode()
    regel = next(r.getMessage() for r in caplog.records if r.name == "routetool.beveiliging")
    assert "(account)" in regel and e_mail_hash(doelwit.email) in regel
    assert doelwit.email not in regel
    entry = Toegangslog.objects.get(actie="geblokkeerd")
    assert entry.object_type == "account" and entry.user == doelwit
    r = client.post(reverse(LOGIN), {"login": collega.email, "password": WACHTWOORD})
    assert r.status_code == 302


def test_the_ip_limit_still_stops_password_spraying_and_is_logged_as_such(client, settings, caplog):
    settings.LOGIN_LIMIET_IP = "3/5m"
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "5/5m/key,3/5m/ip",
    }
    for user in UserFactory.create_batch(3):
        _mislukt(client, user)
    nieuw = UserFactory()
    with caplog.at_level(logging.WARNING, logger="routetool.beveiliging"):
        r = client.post(reverse(LOGIN), {"login": nieuw.email, "password": WACHTWOORD})
    assert "Te veel inlogpogingen" in r.content.decode()
    regel = next(r.getMessage() for r in caplog.records if r.name == "routetool.beveiliging")
    assert "(ip)" in regel and "127.0.0.1" not in regel
    entry = Toegangslog.objects.get(actie="geblokkeerd")
    assert entry.object_type == "ip" and entry.ip == "127.0.0.1"
    assert "IP-adres geblokkeerd" in entry.omschrijving
