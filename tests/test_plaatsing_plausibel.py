"""Manual registration refuses the impossible and warns on the implausible (issue 19, defect 4)."""

import pytest
import time_machine
from django.urls import reverse

from plaatsingen.models import Plaatsing

from .factories import instellingsschool, swv

pytestmark = pytest.mark.django_db

VANDAAG = "2025-11-24 10:00 +01:00"


def _post(client, **anders):
    data = {
        "instellingsschool": instellingsschool("Schakenbosch Onderwijs & Werk").pk,
        "leerlingnummer": "445566",
        "roepnaam": "Noor",
        "achternaam": "Zwanenburgh",
        "geboortedatum": "2010-03-04",
        "startdatum": "2025-11-24",
        "verblijf": "gesloten",
        "verantwoordelijk_swv": swv("VO 28-06").pk,
    } | anders
    return client.post(reverse("plaatsingen:nieuw"), data)


@time_machine.travel(VANDAAG)
@pytest.mark.parametrize(
    "veld,waarde,melding",
    [
        ("geboortedatum", "2030-01-01", "De geboortedatum ligt in de toekomst."),
        ("leerlingnummer", "abc", "Een leerlingnummer bestaat alleen uit cijfers"),
        ("startdatum", "2027-01-01", "meer dan een jaar vooruit"),
        ("geboortedatum", "2024-01-01", "bij inschrijving 1 jaar"),
    ],
)
def test_impossible_values_are_refused_and_the_typed_form_is_kept(
    client, medewerker_schakenbosch, veld, waarde, melding
):
    client.force_login(medewerker_schakenbosch)
    r = _post(client, **{veld: waarde})
    assert r.status_code == 200
    assert melding in r.content.decode()
    assert r.context["form"][veld].value() == waarde
    assert r.context["form"]["achternaam"].value() == "Zwanenburgh"
    assert not Plaatsing.objects.exists()


@time_machine.travel(VANDAAG)
@pytest.mark.parametrize(
    "anders,melding",
    [
        ({"startdatum": "2026-05-24"}, "ligt meer dan 14 dagen vooruit"),
        ({"geboortedatum": "1999-01-01"}, "bij inschrijving 26 jaar"),
    ],
)
def test_implausible_values_are_warned_and_registered_only_after_confirming(
    client, medewerker_schakenbosch, anders, melding
):
    client.force_login(medewerker_schakenbosch)
    r = _post(client, **anders)
    assert r.status_code == 200 and melding in r.content.decode()
    assert 'name="toch_registreren"' in r.content.decode()
    assert not Plaatsing.objects.exists()
    r = _post(client, toch_registreren="on", **anders)
    assert r.status_code == 302
    assert Plaatsing.objects.count() == 1


def test_the_service_refuses_an_impossible_placement_too(medewerker_schakenbosch):
    import datetime as dt

    from plaatsingen.services import PlaatsingFout, plaatsing_registreren

    with pytest.raises(PlaatsingFout):
        plaatsing_registreren(
            door=medewerker_schakenbosch,
            instellingsschool=instellingsschool("Schakenbosch Onderwijs & Werk"),
            leerlingnummer="abc",
            roepnaam="X",
            achternaam="Y",
            startdatum=dt.date.today(),
            verblijf="open",
            verantwoordelijk_swv=swv("VO 28-06"),
        )


def test_a_worker_of_one_school_finds_it_chosen(client, medewerker_schakenbosch):
    client.force_login(medewerker_schakenbosch)
    form = client.get(reverse("plaatsingen:nieuw")).context["form"]
    assert (
        form["instellingsschool"].value() == instellingsschool("Schakenbosch Onderwijs & Werk").pk
    )
