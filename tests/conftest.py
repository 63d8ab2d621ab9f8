"""Shared personas and data for the whole suite.

SWV A (VO 28-06) and SWV B (VO 28-07) are both in coalition Zuid-West, whose residential schools
include Schakenbosch and Rijnstroom. SG Harreveld is a school of coalition Oost that takes pupils
of Zuid-West: a placement there concerns two coalitions.
"""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from coalitie.models import Coalitie, Rol

from .factories import LidmaatschapFactory, PlaatsingFactory, UserFactory, instellingsschool, swv
from .services import redis_worker, smtp_server  # noqa: F401  (real Celery worker + SMTP)

SWV_A = "VO 28-06"
SWV_B = "VO 28-07"
SCHAKENBOSCH = "Schakenbosch Onderwijs & Werk"
RIJNSTROOM = "Rijnstroom College"
HARREVELD = "SG Harreveld"


@pytest.fixture(autouse=True, scope="session")
def _snelle_wachtwoorden():
    """One PBKDF2 iteration instead of a million for every password the suite hashes
    (`tests/hashers.py` says why that still checks what production checks)."""
    from django.conf import settings
    from django.test import override_settings

    hashers = [h for h in settings.PASSWORD_HASHERS if not h.endswith(".PBKDF2PasswordHasher")]
    snel = override_settings(PASSWORD_HASHERS=["tests.hashers.SnelPBKDF2PasswordHasher", *hashers])
    snel.enable()
    yield
    snel.disable()


@pytest.fixture(autouse=True)
def _celery_eager(settings):
    """Tasks run inline unless a test starts a real worker (those tests switch this off)."""
    from config.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield


@pytest.fixture(autouse=True)
def _referentiedata_na_flush(request):
    """Transactional tests flush every table, also the reference data the data migration
    loaded; reload it (idempotent) so each such test starts from a fresh install."""
    marker = request.node.get_closest_marker("django_db")
    transactioneel = marker is not None and marker.kwargs.get("transaction", False)
    if (
        transactioneel
        or "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
    ):
        from coalitie.services import referentiedata_laden

        request.getfixturevalue("transactional_db")
        referentiedata_laden()


def met_totp(user):
    """Give the user a TOTP authenticator (MFA is required by default) and return its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    user.totp_secret = secret
    return user


def persona(rol: str, **organisatie):
    lid = LidmaatschapFactory(rol=rol, **organisatie)
    return met_totp(lid.user)


@pytest.fixture
def contact_swv_a(db):
    return persona(Rol.SWV_CONTACTPERSOON, swv=swv(SWV_A))


@pytest.fixture
def contact_swv_b(db):
    return persona(Rol.SWV_CONTACTPERSOON, swv=swv(SWV_B))


@pytest.fixture
def medewerker_schakenbosch(db):
    return persona(
        Rol.MEDEWERKER_INSTELLINGSSCHOOL, instellingsschool=instellingsschool(SCHAKENBOSCH)
    )


@pytest.fixture
def medewerker_rijnstroom(db):
    return persona(
        Rol.MEDEWERKER_INSTELLINGSSCHOOL, instellingsschool=instellingsschool(RIJNSTROOM)
    )


def _coalitie(slug):
    return Coalitie.objects.get(slug=slug)


@pytest.fixture
def procesregisseur(db):
    return persona(Rol.PROCESREGISSEUR, coalitie=_coalitie("zuid-west"))


@pytest.fixture
def penvoerder(db):
    return persona(Rol.PENVOERDER, coalitie=_coalitie("zuid-west"))


@pytest.fixture
def beheerder(db):
    return persona(Rol.BEHEERDER, coalitie=_coalitie("zuid-west"))


@pytest.fixture
def procesregisseur_andere_coalitie(db):
    return persona(Rol.PROCESREGISSEUR, coalitie=_coalitie("limburg"))


@pytest.fixture
def penvoerder_andere_coalitie(db):
    return persona(Rol.PENVOERDER, coalitie=_coalitie("limburg"))


@pytest.fixture
def beheerder_andere_coalitie(db):
    return persona(Rol.BEHEERDER, coalitie=_coalitie("limburg"))


@pytest.fixture
def landelijk(db):
    """The national read-only role (VO-raad, OCW): a membership of no organisation."""
    return persona(Rol.LANDELIJK)


IHUB_AANBIEDER = "iHUB (Horizon Onderwijs)"  # as the reference data's schools name it


@pytest.fixture
def aanbieder_ihub(db):
    """iHUB's own administration (Rol.AANBIEDER): imports its schools of every coalition."""
    return persona(Rol.AANBIEDER, aanbieder=IHUB_AANBIEDER)


@pytest.fixture
def zonder_rol(db):
    return met_totp(UserFactory())


@pytest.fixture
def plaatsing_a(db):
    """A pupil of SWV A at Schakenbosch (coalition Zuid-West)."""
    return PlaatsingFactory(
        verantwoordelijk_swv=swv(SWV_A), instellingsschool=instellingsschool(SCHAKENBOSCH)
    )


@pytest.fixture
def plaatsing_b(db):
    """A pupil of SWV B at Rijnstroom (coalition Zuid-West)."""
    return PlaatsingFactory(
        verantwoordelijk_swv=swv(SWV_B), instellingsschool=instellingsschool(RIJNSTROOM)
    )


@pytest.fixture
def plaatsing_a_elders(db):
    """A pupil of SWV A placed at SG Harreveld, a school of coalition Oost."""
    return PlaatsingFactory(
        verantwoordelijk_swv=swv(SWV_A), instellingsschool=instellingsschool(HARREVELD)
    )


def deelnemer_van(plaatsing, soort: str = "stamschool", email: str | None = None):
    """A partner invited to this one placement (plaatsingen.deelnemers), with TOTP."""
    from coalitie.toegang import SYSTEEM
    from plaatsingen.deelnemers import deelnemer_uitnodigen

    d = deelnemer_uitnodigen(
        plaatsing_id=plaatsing.pk,
        naam="Partner Persoon",
        email=email or f"partner-{soort}-{plaatsing.pk}@example.org",
        organisatie="Partnerorganisatie",
        soort=soort,
        door=SYSTEEM,
    )
    if Authenticator.objects.filter(user=d.user, type="totp").exists():
        return d.user  # an existing account, invited to a second placement
    return met_totp(d.user)


@pytest.fixture
def deelnemer_elders(db):
    """A stamschool deelnemer of another placement (SWV A at Schakenbosch): sees that one only."""
    return deelnemer_van(
        PlaatsingFactory(
            verantwoordelijk_swv=swv(SWV_A), instellingsschool=instellingsschool(SCHAKENBOSCH)
        )
    )
