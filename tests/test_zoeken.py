"""Search on pupils as people type their names: tussenvoegsels, case, order, part of a number.
Runs on PostgreSQL in the suite (trigram index) and on SQLite in its SQLite part."""

import pytest

from plaatsingen.models import Leerling, Plaatsing
from plaatsingen.zoeken import zoek_q
from tests.factories import LeerlingFactory, PlaatsingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leerlingen():
    return {
        "julia": LeerlingFactory(
            roepnaam="Julia", tussenvoegsel="van 't", achternaam="Hof", leerlingnummer="4100123"
        ),
        "jules": LeerlingFactory(
            roepnaam="Jules", tussenvoegsel="", achternaam="Hofstra", leerlingnummer="5200999"
        ),
        "tim": LeerlingFactory(
            roepnaam="Tim", tussenvoegsel="van", achternaam="Dijk", leerlingnummer="6300123"
        ),
    }


def gevonden(tekst):
    return set(Leerling.objects.filter(zoek_q(tekst, prefix="")).values_list("roepnaam", flat=True))


@pytest.mark.parametrize(
    "tekst, verwacht",
    [
        ("van 't Hof", {"Julia"}),
        ("Julia van 't Hof", {"Julia"}),
        ("julia hof", {"Julia"}),
        ("JULIA HOF", {"Julia"}),
        ("hof julia", {"Julia"}),
        ("Julia van \u2019t Hof", {"Julia"}),  # typographic apostrophe from a phone
        ("hof", {"Julia", "Jules"}),
        ("van", {"Julia", "Tim"}),
        ("4100", {"Julia"}),
        ("0123", {"Julia", "Tim"}),
        ("00999", {"Jules"}),
        ("julia dijk", set()),
        ("pietje", set()),
    ],
)
def test_search_matches_names_as_people_type_them(leerlingen, tekst, verwacht):
    assert gevonden(tekst) == verwacht


def test_search_follows_a_renamed_pupil(leerlingen):
    Leerling.objects.filter(pk=leerlingen["tim"].pk).update(achternaam="Bakker")
    assert gevonden("tim bakker") == {"Tim"}
    assert gevonden("tim dijk") == set()


def test_search_on_placements_uses_the_same_rule(leerlingen):
    PlaatsingFactory(leerling=leerlingen["julia"])
    PlaatsingFactory(leerling=leerlingen["tim"])
    namen = Plaatsing.objects.filter(zoek_q("van 't hof")).values_list(
        "leerling__roepnaam", flat=True
    )
    assert list(namen) == ["Julia"]


def test_placement_list_search_shows_only_matching_visible_pupils(
    client, contact_swv_a, leerlingen
):
    from tests.conftest import SWV_A, SWV_B
    from tests.factories import swv

    PlaatsingFactory(leerling=leerlingen["julia"], verantwoordelijk_swv=swv(SWV_A))
    PlaatsingFactory(leerling=leerlingen["jules"], verantwoordelijk_swv=swv(SWV_B))
    client.force_login(contact_swv_a)
    html = client.get("/", {"zoek": "hof"}).content.decode()
    assert "Julia" in html
    assert "Hofstra" not in html  # SWV B's pupil: not in scope, however well it matches
