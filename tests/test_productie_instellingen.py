"""Production mode (ROUTETOOL_ENV=production) refuses to start without its required settings:
an error with a Dutch message naming each missing one, not a warning."""

from __future__ import annotations

import secrets

import pytest

from .test_security import PRODUCTIE_ENV, _check_deploy

pytestmark = pytest.mark.django_db

GOED = {**PRODUCTIE_ENV, "SECRET_KEY": secrets.token_urlsafe(64)}


def test_a_complete_production_environment_starts_and_check_deploy_is_clean():
    r = _check_deploy(GOED)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


@pytest.mark.parametrize(
    ("weg", "genoemd"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "embedded-only-insecure-key-change-me"}, "SECRET_KEY"),
        ({"SECRET_KEY": "kort"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS"),
        ({"DATABASE_URL": ""}, "DATABASE_URL"),
        ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "DATABASE_URL"),
        ({"EMAIL_HOST": ""}, "EMAIL_HOST"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"}, "EMAIL_HOST"),
        ({"DEBUG": "1"}, "DEBUG"),
    ],
)
def test_production_mode_without_a_required_setting_exits_naming_it(weg, genoemd):
    env = {k: v for k, v in {**GOED, **weg}.items() if v != ""}
    r = _check_deploy(env)
    uitvoer = r.stdout + r.stderr
    assert r.returncode != 0
    assert "Routetool start niet in productiemodus" in uitvoer
    assert genoemd in uitvoer.split("productiemodus", 1)[1]


def test_everything_missing_is_named_in_one_message():
    r = _check_deploy({"ROUTETOOL_ENV": "production", "DEBUG": "0"})
    uitvoer = r.stderr
    assert r.returncode != 0
    for naam in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "EMAIL_HOST"):
        assert naam in uitvoer, naam


def test_secret_key_file_is_accepted(tmp_path):
    sleutelbestand = tmp_path / "secret_key"
    sleutelbestand.write_text(secrets.token_urlsafe(64))
    env = {k: v for k, v in GOED.items() if k != "SECRET_KEY"}
    r = _check_deploy({**env, "SECRET_KEY_FILE": str(sleutelbestand)})
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_embedded_default_needs_none_of_it():
    r = _check_deploy({"DEBUG": "1"})
    assert "productiemodus" not in r.stdout + r.stderr
