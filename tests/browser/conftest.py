"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser) against the
app served by pytest-django's live server on loopback."""

import os
from pathlib import Path

import pytest

from coalitie.toegang import SYSTEEM

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# The README's screenshots are refreshed on purpose (SCREENSHOTS_BIJWERKEN=1 make test); an
# ordinary run writes them to the run's own var dir, so a test run leaves the work tree clean.
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("SCREENSHOTS_BIJWERKEN") == "1"
    else Path(os.environ.get("ROUTETOOL_VAR_DIR", ROOT / "var")) / "screenshots"
)
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# for set-up are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium ontbreekt op {CHROMIUM}: de testopdracht installeert het pakket 'chromium'."
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--headless",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "nl-NL",
        "timezone_id": "Europe/Amsterdam",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def axe_check():
    """Run axe-core in the page; fail on violations of impact serious or critical."""
    if not AXE.exists():
        pytest.fail("axe-core ontbreekt (node_modules): de testopdracht draait 'npm ci'.")
    source = AXE.read_text()

    def check(page, naam: str):
        # evaluate() goes through the DevTools protocol, so the strict CSP does not block it.
        page.evaluate(source)
        result = page.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations'],"
            " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
        )
        ernstig = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not ernstig, f"axe op {naam}: " + "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in ernstig
        )

    return check


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, naam: str, volledig: bool = True):
        page.screenshot(path=str(SCREENSHOTS / f"{naam}.png"), full_page=volledig)

    return take


@pytest.fixture
def aanmelden(page, live_server):
    """Log a persona in without the login form (that flow has its own test): a session made by
    Django's test client, handed to the browser as its cookie."""
    from django.conf import settings
    from django.test import Client

    def login(user):
        client = Client()
        client.force_login(user)
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )

    return login


@pytest.fixture
def bezoek(page, live_server, axe_check):
    """Open a path and check it with axe: every page a flow visits is checked."""

    def ga(pad: str, naam: str):
        page.goto(f"{live_server.url}{pad}")
        axe_check(page, naam)

    return ga


# Fixed names, so the committed screenshots do not change on every run.
VOORBEELDLEERLINGEN = [
    ("Sanne", "Visser", 3),
    ("Daan", "de Jong", 70),
    ("Fatima", "El Idrissi", 120),
    ("Lucas", "Bakker", 200),
    ("Noor", "Jansen", 8),
    ("Milan", "Smit", 260),
]


@pytest.fixture
def voorbeeld(transactional_db):
    """A small coalition in use: personas of every role and open placements in several phases,
    some with signals. Built with the services, in well under a second."""
    import datetime as dt

    from django.utils import timezone

    from coalitie.models import Coalitie, Rol
    from routetool.models import Actie, ActieStatus
    from routetool.services import route_starten, transitie_uitvoeren
    from tests.conftest import RIJNSTROOM, SCHAKENBOSCH, SWV_A, SWV_B, persona
    from tests.factories import LeerlingFactory, PlaatsingFactory, instellingsschool, swv

    zuid_west = Coalitie.objects.get(slug="zuid-west")
    mensen = {
        "swv": persona(Rol.SWV_CONTACTPERSOON, swv=swv(SWV_A)),
        "school": persona(
            Rol.MEDEWERKER_INSTELLINGSSCHOOL, instellingsschool=instellingsschool(SCHAKENBOSCH)
        ),
        "regie": persona(Rol.PROCESREGISSEUR, coalitie=zuid_west),
        "penvoerder": persona(Rol.PENVOERDER, coalitie=zuid_west),
        "beheer": persona(Rol.BEHEERDER, coalitie=zuid_west),
    }
    from coalitie.models import User

    for rol, (voornaam, achternaam) in {
        "swv": ("Sanne", "de Wit"),
        "school": ("Ilse", "Verbeek"),
        "regie": ("Jeroen", "Mulder"),
        "penvoerder": ("Anouk", "Peters"),
        "beheer": ("Pieter", "Hendriks"),
    }.items():
        User.objects.filter(pk=mensen[rol].pk).update(first_name=voornaam, last_name=achternaam)
    vandaag = timezone.localdate()
    plaatsingen = []
    for i, (roepnaam, achternaam, dagen) in enumerate(VOORBEELDLEERLINGEN):
        plaatsingen.append(
            PlaatsingFactory(
                leerling=LeerlingFactory(
                    roepnaam=roepnaam, achternaam=achternaam, leerlingnummer=str(410000 + i)
                ),
                instellingsschool=instellingsschool(RIJNSTROOM if i % 3 == 2 else SCHAKENBOSCH),
                verantwoordelijk_swv=swv(SWV_B if i == 5 else SWV_A),
                startdatum=vandaag - dt.timedelta(days=dagen),
            )
        )
    route_starten(plaatsingen=plaatsingen, door=SYSTEEM)
    # Pupils who have been there a while are in verblijf (and one in uitstroom), their instroom
    # work done by the people responsible.
    for p, fasen in [
        (plaatsingen[1], ["verblijf"]),
        (plaatsingen[2], ["verblijf"]),
        (plaatsingen[3], ["verblijf", "uitstroom"]),
    ]:
        for fase in fasen:
            p.refresh_from_db()
            Actie.objects.filter(plaatsing=p, fase=p.fase, verplicht=True).update(
                status=ActieStatus.GEDAAN, gedaan_op=timezone.now(), gedaan_door=mensen["regie"]
            )
            transitie_uitvoeren(plaatsing_id=p.pk, naar=fase, door=mensen["regie"], versie=p.versie)
    # Their stamschool is known, and they have been in their phase for a while.
    from plaatsingen.models import Plaatsing
    from tests.factories import SchoolFactory

    stamschool = SchoolFactory(brin="12AB01", naam="Stamschool De Delta", swv=swv(SWV_A))
    for p in plaatsingen[1:4]:
        Plaatsing.objects.filter(pk=p.pk).update(
            stamschool=stamschool, fase_sinds=p.startdatum + dt.timedelta(days=25)
        )
    return {**mensen, "plaatsingen": plaatsingen}
