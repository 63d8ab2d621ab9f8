"""Smoke test: every URL pattern (the access matrix's enumeration) opened by every persona,
with a pupil in and out of their scope. No answer may be a server error. Part of the SQLite run
(`-m sqlite`), so the embedded default is held to the same pages as PostgreSQL.
"""

from __future__ import annotations

import pytest
from django.test import Client

from .conftest import met_totp
from .factories import UserFactory
from .test_access_matrix import MATRIX, _maak_doel, alle_patronen, urls_voor

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]

PERSONAS = [
    "contact_swv_a",
    "contact_swv_b",
    "medewerker_schakenbosch",
    "medewerker_rijnstroom",
    "procesregisseur",
    "penvoerder",
    "beheerder",
    "procesregisseur_andere_coalitie",
    "penvoerder_andere_coalitie",
    "beheerder_andere_coalitie",
    "aanbieder_ihub",
    "superuser",
    "deelnemer_elders",
    "anoniem",
]


@pytest.fixture
def superuser(db):
    return met_totp(UserFactory(is_superuser=True, is_staff=True))


def serverfouten(user, doel) -> list[str]:
    fouten = []
    for patroon in alle_patronen():
        if patroon.sleutel not in MATRIX:
            continue  # test_every_url_pattern_is_in_the_matrix names it
        for url in urls_voor(patroon, doel):
            client = Client(raise_request_exception=False)
            if user is not None:
                client.force_login(user)
            response = client.get(url)
            if response.status_code >= 500:
                fouten.append(f"{patroon.sleutel} ({url}) -> {response.status_code}")
    return fouten


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_answers_a_server_error_for_any_persona(request, persona):
    user = None if persona == "anoniem" else request.getfixturevalue(persona)
    # Rijnstroom, SWV B, coalition Zuid-West: inside the scope of half the personas, outside
    # the other half's.
    doel = _maak_doel("Smoketest", "Leerling", "L55555SMOKE", "VO 28-07", "Rijnstroom College")
    fouten = serverfouten(user, doel)
    assert not fouten, f"{persona}: " + "; ".join(fouten)


def test_the_smoke_test_notices_a_server_error(monkeypatch, beheerder):
    """A page that raises must show up (the check is not blind to 500s)."""
    import plaatsingen.privacy_views as views

    def kapot(leerling):
        raise RuntimeError("kapot")

    monkeypatch.setattr(views, "_regels", kapot)
    doel = _maak_doel("Smoketest", "Leerling", "L55555SMOKE", "VO 28-07", "Rijnstroom College")
    assert any("coalitie:leerling_log" in f for f in serverfouten(beheerder, doel))
