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
