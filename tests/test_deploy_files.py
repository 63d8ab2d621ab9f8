"""Docker does not run on these machines: prove what we can of the production files without it."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_services_with_health_checks(compose):
    services = compose["services"]
    assert {"db", "redis", "migrate", "web", "worker", "beat"} <= set(services)
    for name in ("db", "redis", "web", "worker", "beat"):
        assert "healthcheck" in services[name], name
    assert services["db"]["image"].startswith("postgres:1")
    assert int(services["db"]["image"].split(":")[1].split("-")[0]) >= 15
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert services["beat"]["deploy"]["replicas"] == 1


def test_migrations_run_once_before_the_app_starts(compose):
    services = compose["services"]
    assert "migrate" in " ".join(services["migrate"]["command"])
    for name in ("web", "worker", "beat"):
        assert "migrate" not in " ".join(services[name]["command"])
        assert (
            services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        )


def test_every_service_command_exists_in_the_project(compose):
    from django.core.management import get_commands

    commands = get_commands()
    for name, service in compose["services"].items():
        if "build" not in service and "<<" not in str(service) and name in ("db", "redis"):
            continue
        cmd = " ".join(service.get("command", []))
        for mgmt in re.findall(r"manage\.py (\w+)", cmd):
            assert mgmt in commands, f"{name}: manage.py {mgmt} bestaat niet"
        if cmd.startswith("gunicorn"):
            module = cmd.split()[1]
            __import__(module.replace(":application", ""))
        if cmd.startswith("celery"):
            assert "-A config" in cmd
            from config.celery import app  # noqa: F401


def test_dockerfile_is_multi_stage_and_runs_as_non_root():
    text = (ROOT / "Dockerfile").read_text()
    stages = re.split(r"^FROM ", text, flags=re.M)[1:]
    assert len(stages) >= 2
    final = stages[-1]
    assert "build-essential" not in final and "gcc" not in final
    user = re.findall(r"^USER (\S+)", final, flags=re.M)
    assert user and user[-1] not in ("root", "0")


def test_env_example_lists_every_variable_the_settings_read():
    settings_text = (ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', settings_text))
    read |= set(re.findall(r"^\s+([A-Z_]+)=\(", settings_text, flags=re.M))
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z_]+)=", example, flags=re.M))
    assert read, "no variables found: the regex no longer matches settings.py"
    missing = sorted(read - listed)
    assert not missing, f"niet in .env.example: {missing}"


def test_one_setting_moves_files_to_s3_compatible_storage():
    """No network: the storage is only configured, not contacted."""
    import os
    import subprocess
    import sys

    code = (
        "import django; django.setup();"
        "from django.core.files.storage import default_storage as s;"
        "s._setup();"
        "print(type(s._wrapped).__name__, s._wrapped.bucket_name, s._wrapped.default_acl)"
    )
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings",
        FILE_STORAGE="storages.backends.s3.S3Storage",
        S3_BUCKET="routetool-test",
        S3_ENDPOINT_URL="http://127.0.0.1:9",
    )
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["S3Storage", "routetool-test", "private"]
