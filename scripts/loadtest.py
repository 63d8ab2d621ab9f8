"""Load test: 50 logged-in users of mixed roles browse for 60 s against gunicorn (4 workers,
started as docker-compose starts it) on loopback, with PostgreSQL and the generated data set.

    DATABASE_URL=postgres://…/scratch .venv/bin/python manage.py migrate
    DATABASE_URL=… .venv/bin/python manage.py genereer_data --plaatsingen 100000 --leerlingen 90000
    DATABASE_URL=… .venv/bin/python scripts/loadtest.py [--gebruikers 50] [--seconden 60]

Each virtual user keeps one session (one persona), and loops: a page, then 0.5–2 s of "reading".
Only 127.0.0.1 is ever contacted; the run stops by itself after --seconden. Prints requests per
second, p50/p95/p99 latency and errors.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def personas(coalitie_slug: str):
    """One session per persona role; returns [(label, session cookie, [urls])]."""
    import django

    django.setup()
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from coalitie.models import Coalitie, Instellingsschool, Lidmaatschap, Rol, User
    from plaatsingen.models import Plaatsing

    coalitie = Coalitie.objects.get(slug=coalitie_slug)
    swvs = list(coalitie.swvs.order_by("code")[:3])
    school = Instellingsschool.objects.filter(coalitie=coalitie).first()
    rollen = [
        ("procesregisseur", Rol.PROCESREGISSEUR, {"coalitie": coalitie}),
        ("penvoerder", Rol.PENVOERDER, {"coalitie": coalitie}),
        (
            "medewerker instellingsschool",
            Rol.MEDEWERKER_INSTELLINGSSCHOOL,
            {"instellingsschool": school},
        ),
        *[(f"SWV-contact {s.code}", Rol.SWV_CONTACTPERSOON, {"swv": s}) for s in swvs],
    ]
    uit = []
    for label, rol, org in rollen:
        email = f"load-{label.replace(' ', '-').lower()}@loadtest.invalid"
        user, _ = User.objects.get_or_create(email=email, defaults={"first_name": "Load"})
        Lidmaatschap.objects.get_or_create(user=user, rol=rol, **org)
        if not user.authenticator_set.exists():
            TOTP.activate(user, generate_totp_secret())
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        ids = list(
            Plaatsing.objects.zichtbaar_voor(user)
            .order_by("-pk")
            .values_list("pk", flat=True)[:300]
        )
        urls = ["/", "/?pagina=2", "/?fase=verblijf", "/rapportage/dashboard/", "/maandlijsten/"]
        # Page kinds weigh equally; a detail visit picks one of the persona's placements.
        urls += [("/plaatsingen/{}/", ids[:300])] * 2 if ids else []
        if rol == Rol.PROCESREGISSEUR:
            urls += ["/route/overzicht/", "/route/overzicht/?signaal=te_laat"]
        uit.append((label, session.session_key, urls))
    return uit


def gebruiker(base, cookie_naam, sessie, urls, stop, resultaten, lock, rnd):
    opener = urllib.request.build_opener()
    opener.addheaders = [("Cookie", f"{cookie_naam}={sessie}")]
    while time.monotonic() < stop:
        url = rnd.choice(urls)
        if isinstance(url, tuple):
            url = url[0].format(rnd.choice(url[1]))
        t = time.perf_counter()
        try:
            with opener.open(base + url, timeout=30) as r:  # noqa: S310 (loopback only)
                r.read()
                status = r.status
        except urllib.error.HTTPError as e:
            status = e.code
        except OSError:
            status = 0
        duur = time.perf_counter() - t
        with lock:
            resultaten.append((duur, status, url))
        time.sleep(rnd.uniform(0.5, 2.0))


def percentiel(waarden, p):
    return (
        statistics.quantiles(waarden, n=100, method="inclusive")[p - 1]
        if len(waarden) > 1
        else waarden[0]
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gebruikers", type=int, default=50)
    parser.add_argument("--seconden", type=int, default=60)
    parser.add_argument("--coalitie", default="zuid-west")
    args = parser.parse_args()
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        sys.exit("Zet DATABASE_URL op een PostgreSQL-kladdatabase met gegenereerde data.")
    lijst = personas(args.coalitie)
    from django.conf import settings

    port = free_port()
    env = dict(
        os.environ,
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
        STATICFILES_STORAGE="django.contrib.staticfiles.storage.StaticFilesStorage",
    )
    web = subprocess.Popen(  # noqa: S603 (our own gunicorn, fixed arguments)
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        resultaten, lock = [], threading.Lock()
        # Warm-up: every worker imports and connects once before the clock starts.
        for _label, sessie, urls in lijst:
            gebruiker(
                base,
                settings.SESSION_COOKIE_NAME,
                sessie,
                urls[:2],
                time.monotonic() + 1,
                [],
                lock,
                random.Random(0),
            )
        start = time.monotonic()
        stop = start + args.seconden
        threads = []
        for i in range(args.gebruikers):
            label, sessie, urls = lijst[i % len(lijst)]
            t = threading.Thread(
                target=gebruiker,
                args=(
                    base,
                    settings.SESSION_COOKIE_NAME,
                    sessie,
                    urls,
                    stop,
                    resultaten,
                    lock,
                    random.Random(i),
                ),
                daemon=True,
            )
            t.start()
            threads.append(t)
        for t in threads:
            t.join(timeout=args.seconden + 40)
        duur = time.monotonic() - start
    finally:
        web.terminate()
        web.wait(timeout=20)

    tijden = sorted(d * 1000 for d, _, _ in resultaten)
    fouten = [(s, u) for _, s, u in resultaten if s != 200]
    print(f"gebruikers: {args.gebruikers} (rollen: {', '.join(lab for lab, _, _ in lijst)})")
    print(
        f"duur: {duur:.0f} s, verzoeken: {len(resultaten)}, per seconde: {len(resultaten) / duur:.1f}"
    )
    print(
        f"latentie ms: p50 {percentiel(tijden, 50):.0f}  p95 {percentiel(tijden, 95):.0f}  "
        f"p99 {percentiel(tijden, 99):.0f}  max {tijden[-1]:.0f}"
    )
    print(f"fouten: {len(fouten)}" + (f" (eerste: {fouten[:5]})" if fouten else ""))
    per_soort: dict[str, list[float]] = {}
    for d, _, u in resultaten:
        soort = "plaatsing" if u.startswith("/plaatsingen/") else u.split("?")[0]
        per_soort.setdefault(soort, []).append(d * 1000)
    for soort, waarden in sorted(per_soort.items()):
        waarden.sort()
        print(
            f"  {soort:<24} n={len(waarden):<5} p50 {percentiel(waarden, 50):6.0f}  p95 {percentiel(waarden, 95):6.0f}"
        )
    sys.exit(1 if fouten else 0)


if __name__ == "__main__":
    main()
