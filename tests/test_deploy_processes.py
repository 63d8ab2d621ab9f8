"""The app started with the compose file's own commands (gunicorn, Celery worker, migrate) against
the real PostgreSQL and Redis of the test run, as processes on loopback."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.django_db(transaction=True)


def compose_command(service: str) -> list[str]:
    cmd = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"][service]["command"]
    return list(cmd)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_env(tmp_path) -> dict[str, str]:
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        pytest.fail(
            "Deze test hoort tegen PostgreSQL te draaien (DATABASE_URL van de testopdracht)."
        )
    if not os.environ.get("REDIS_URL"):
        pytest.fail("REDIS_URL ontbreekt: de testopdracht start Redis.")
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        ROUTETOOL_VAR_DIR=str(tmp_path),
        DEBUG="0",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="127.0.0.1",
        CELERY_TASK_ALWAYS_EAGER="0",
        PATH=f"{BIN}:{env.get('PATH', '')}",
        STATICFILES_STORAGE="whitenoise.storage.CompressedManifestStaticFilesStorage",
    )
    return env


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 (loopback http only)
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def wait_for(url: str, proc, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"proces stopte met code {proc.returncode}")
        try:
            get(url)
            return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{url} antwoordde niet binnen {seconds} s")


@pytest.fixture
def processen(tmp_path):
    env = process_env(tmp_path)
    subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    migrate = compose_command("migrate")
    assert migrate[:2] == ["sh", "-c"]
    r = subprocess.run(migrate, cwd=ROOT, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr

    port = free_port()
    web_cmd = [a.replace("0.0.0.0:8000", f"127.0.0.1:{port}") for a in compose_command("web")]
    worker_cmd = compose_command("worker")
    logs = {name: open(tmp_path / f"{name}.log", "w") for name in ("web", "worker")}  # noqa: SIM115 (closed in finally)
    procs = {
        "web": subprocess.Popen(
            web_cmd, cwd=ROOT, env=env, stdout=logs["web"], stderr=subprocess.STDOUT
        ),
        "worker": subprocess.Popen(
            worker_cmd, cwd=ROOT, env=env, stdout=logs["worker"], stderr=subprocess.STDOUT
        ),
    }
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz", procs["web"])
        yield {"url": f"http://127.0.0.1:{port}", "env": env, "tmp": tmp_path, "procs": procs}
    finally:
        for p in procs.values():
            p.terminate()
        for p in procs.values():
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        for f in logs.values():
            f.close()


def test_gunicorn_serves_the_login_page_and_healthz(processen):
    status, body = get(processen["url"] + "/accounts/login/")
    assert status == 200 and "Inloggen" in body
    status, body = get(processen["url"] + "/healthz")
    assert status == 200 and '"broker": "ok"' in body
    status, _ = get(processen["url"] + "/static/css/app.css")
    assert status == 200  # WhiteNoise serves the collected, hashed static files


def test_the_icon_the_pages_link_is_served_and_favicon_ico_leads_to_it(processen):
    """A browser asks for /favicon.ico on its first visit: without it every role's first page
    logged a 404 in the console (seen walking the demo)."""
    _, login = get(processen["url"] + "/accounts/login/")
    icoon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', login)
    assert icoon, "de inlogpagina linkt geen icoon"
    with urllib.request.urlopen(processen["url"] + icoon.group(1), timeout=5) as r:  # noqa: S310
        assert r.status == 200 and r.headers["Content-Type"].startswith("image/svg+xml")
        svg = r.read()
    with urllib.request.urlopen(processen["url"] + "/favicon.ico", timeout=5) as r:  # noqa: S310
        assert r.status == 200 and r.url.endswith(icoon.group(1)) and r.read() == svg


def test_the_worker_started_as_in_compose_makes_a_monthly_list(processen, settings):
    """Through the real broker: the test enqueues, the compose-started worker does the work."""
    from coalitie.models import Samenwerkingsverband
    from config.celery import app
    from rapportage.models import Maandlijst
    from rapportage.tasks import maandlijst_maken_taak

    from .factories import PlaatsingFactory, swv

    PlaatsingFactory(verantwoordelijk_swv=swv("VO 28-06"))
    swv_id = Samenwerkingsverband.objects.get(code="VO 28-06").pk
    app.conf.task_always_eager = False
    try:
        maandlijst_maken_taak.delay(swv_id, "2025-09-01")
    finally:
        app.conf.task_always_eager = True
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        lijst = Maandlijst.objects.filter(swv_id=swv_id, maand="2025-09-01").first()
        if lijst and lijst.pdf and lijst.xlsx:
            break
        time.sleep(0.5)
    else:
        log = (processen["tmp"] / "worker.log").read_text()[-2000:]
        pytest.fail(f"de worker maakte geen maandlijst binnen 60 s; worker-log:\n{log}")
    assert lijst.aantal_leerlingen == 1
    # Written by the worker process into its own media folder (ROUTETOOL_VAR_DIR/media).
    assert (processen["tmp"] / "media" / lijst.pdf.name).exists()
    assert (processen["tmp"] / "media" / lijst.xlsx.name).exists()
