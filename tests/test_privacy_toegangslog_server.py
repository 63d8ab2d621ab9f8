"""Finding 2: searches are GETs, so query strings must stay out of gunicorn's access log.

The web process is started with the compose file's own command (tests/test_deploy_processes)."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

from .markers import ACHTERNAMEN, LEERLINGNUMMERS, treffers
from .test_deploy_processes import compose_command, processen  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[1]
CONFIG = "config/gunicorn.py"


def _get(url: str, **headers) -> int:
    verzoek = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback http only)
    try:
        with urllib.request.urlopen(verzoek, timeout=5) as r:  # noqa: S310
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_every_way_to_start_gunicorn_uses_our_config():
    procfile = (ROOT / "Procfile").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"-c {CONFIG}" in re.search(r"^web:.*$", procfile, re.M).group(0)
    assert '"-c", "config/gunicorn.py"' in re.search(r"^CMD .*$", dockerfile, re.M).group(0)
    web = compose_command("web")
    assert web[web.index("-c") + 1] == CONFIG
    assert "--access-logfile" not in " ".join(web)  # set in the config, with its format


def test_the_access_log_has_paths_without_query_strings_or_referers(processen):  # noqa: F811
    url = processen["url"]
    zoek = f"/?q={ACHTERNAMEN[0]}&leerlingnummer={LEERLINGNUMMERS[0]}"
    _get(url + zoek, Referer=url + f"/?q={ACHTERNAMEN[1]}")
    _get(url + f"/accounts/login/?next=/plaatsingen/%3Fq%3D{ACHTERNAMEN[2]}")
    _get(url + "/healthz")
    for p in processen["procs"].values():
        p.terminate()
        p.wait(timeout=20)
    log = (processen["tmp"] / "web.log").read_text()
    toegang = [r for r in log.splitlines() if '"GET /' in r]
    assert any('"GET / HTTP/1.1" 302' in r for r in toegang), log[-2000:]
    assert any('"GET /accounts/login/ HTTP/1.1" 200' in r for r in toegang), log[-2000:]
    assert treffers(log) == [], log[-2000:]
