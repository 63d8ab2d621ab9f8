import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from coalitie.toegang import SYSTEEM
from routetool.models import Actie, ActieStatus, Transitie
from routetool.services import GEWIJZIGD
from routetool.states import Fase

from .factories import PlaatsingFactory, SchoolFactory, instellingsschool, swv
from .test_route_transities import VANDAAG, gestart

pytestmark = pytest.mark.django_db


def detail(p):
    return reverse("plaatsingen:detail", args=[p.pk])


def berichten(r) -> list[str]:
    return [str(m) for m in get_messages(r.wsgi_request)]


@time_machine.travel(VANDAAG)
def test_the_swv_sees_the_acknowledge_button_and_the_school_does_not(
    client, contact_swv_a, medewerker_schakenbosch
):
    p = gestart()
    client.force_login(contact_swv_a)
    html = client.get(detail(p)).content.decode()
    assert "Plaatsing bevestigen" in html and "Naar verblijf" not in html
    client.force_login(medewerker_schakenbosch)
    html = client.get(detail(p)).content.decode()
    assert "Plaatsing bevestigen" not in html and "Naar verblijf" in html
    assert "Route afbreken" not in html


@time_machine.travel(VANDAAG)
def test_a_read_only_penvoerder_sees_the_timeline_but_no_buttons(client, penvoerder):
    p = gestart()
    client.force_login(penvoerder)
    html = client.get(detail(p)).content.decode()
    assert "Tijdlijn" in html and "Route gestart" in html
    assert "<button" not in html.split("Tijdlijn")[1].replace('class="link">Uitloggen', "")


@time_machine.travel(VANDAAG)
def test_a_guard_that_fails_is_shown_as_a_dutch_message_not_an_error(
    client, medewerker_schakenbosch
):
    p = gestart()
    client.force_login(medewerker_schakenbosch)
    r = client.post(
        reverse("routetool:transitie", args=[p.pk]), {"naar": "verblijf", "versie": p.versie}
    )
    assert r.status_code == 302 and r.url == detail(p)
    assert any("verplichte acties" in b for b in berichten(r))


@time_machine.travel(VANDAAG)
def test_a_stale_page_gets_the_changed_meanwhile_message(client, medewerker_schakenbosch):
    p = gestart()
    Actie.objects.filter(plaatsing=p).update(status=ActieStatus.GEDAAN)
    client.force_login(medewerker_schakenbosch)
    url = reverse("routetool:transitie", args=[p.pk])
    client.post(url, {"naar": "verblijf", "versie": 0})
    r = client.post(url, {"naar": "uitstroom", "versie": 0})
    assert GEWIJZIGD in berichten(r)
    p.refresh_from_db()
    assert p.fase == Fase.VERBLIJF


@time_machine.travel(VANDAAG)
def test_wrong_role_gets_403_and_invisible_gets_404(
    client, contact_swv_a, contact_swv_b, penvoerder
):
    p = gestart()
    url = reverse("routetool:transitie", args=[p.pk])
    data = {
        "naar": "afgesloten",
        "versie": p.versie,
        "afbreken": "on",
        "reden_keuze": "dubbel geregistreerd",
        "bevestigd": "on",
    }
    client.force_login(contact_swv_a)
    assert client.post(url, data).status_code == 403
    client.force_login(penvoerder)
    assert client.post(url, data).status_code == 403
    client.force_login(contact_swv_b)
    assert client.post(url, data).status_code == 404
    assert client.post(reverse("routetool:transitie", args=[p.pk + 999]), data).status_code == 404
    bevestigd = Actie.objects.get(plaatsing=p, code="bevestigd")
    assert client.post(reverse("routetool:actie_afronden", args=[bevestigd.pk])).status_code == 404
    p.refresh_from_db()
    assert p.fase == Fase.INSTROOM


@time_machine.travel(VANDAAG)
def test_route_endpoints_refuse_get_and_anonymous(client, contact_swv_a):
    p = gestart()
    url = reverse("routetool:transitie", args=[p.pk])
    assert client.post(url).status_code == 302  # to login
    client.force_login(contact_swv_a)
    assert client.get(url).status_code == 405


@time_machine.travel(VANDAAG)
def test_only_the_procesregisseur_sees_skip_and_abort(client, procesregisseur):
    p = gestart()
    client.force_login(procesregisseur)
    html = client.get(detail(p)).content.decode()
    assert "Overslaan" in html and "Route afbreken" in html


def test_a_newcomer_walks_one_placement_from_instroom_to_afgesloten_in_the_browser(
    client, procesregisseur
):
    """Every step through the pages' own forms, as the procesregisseur."""
    with time_machine.travel(VANDAAG):
        p = gestart()
        client.force_login(procesregisseur)

        def open_acties():
            return Actie.objects.filter(plaatsing=p, status=ActieStatus.OPEN, verplicht=True)

        def alles_afronden():
            for a in open_acties():
                data = {}
                pre = f"actie{a.pk}-"
                if a.code == "stamschool":
                    data = {pre + "stamschool": SchoolFactory().brin}
                elif a.code in ("vervolgplek", "vervolgplek-in-beeld"):
                    data = {
                        pre + "vervolgplek_soort": "mbo",
                        pre + "vervolgplek_omschrijving": "ROC",
                        pre + "vervolgplek_startdatum": "2026-01-05",
                    }
                elif a.code == "ambulant":
                    data = {pre + "uren_gepland": "20"}
                elif a.code == "overeenkomst":
                    data = {
                        pre + "ondertekend_op": VANDAAG.isoformat(),
                        pre + "ondertekend_door": "directeuren van beide scholen",
                    }
                elif a.code.startswith("nazorg"):
                    data = {pre + "nazorg_antwoord": "ja"}
                elif a.code == "stamschool-bevestigt":
                    data = {
                        pre + "contact_naam": "J. de Vries",
                        pre + "contact_telefoon": "010 1234567",
                        pre + "blijft_ingeschreven": "ja",
                    }
                elif a.code == "overdracht-geaccepteerd":
                    data = {pre + "geaccepteerd": "on"}
                elif a.code == "inschrijving-bevestigd":
                    data = {pre + "ingeschreven_per": "05-01-2026"}
                html = client.get(detail(p)).content.decode()
                assert reverse("routetool:actie_afronden", args=[a.pk]) in html
                r = client.post(reverse("routetool:actie_afronden", args=[a.pk]), data)
                assert r.status_code == 302, berichten(r)
            assert not open_acties().exists()

        def stap(naar, knop, **extra):
            p.refresh_from_db()
            assert knop in client.get(detail(p)).content.decode()
            r = client.post(
                reverse("routetool:transitie", args=[p.pk]),
                {"naar": naar, "versie": p.versie, **extra},
            )
            p.refresh_from_db()
            assert p.fase == naar, berichten(r)

        client.post(reverse("routetool:uitstroomdatum", args=[p.pk]), {"datum": "2025-12-19"})
        alles_afronden()
        stap("verblijf", "Naar verblijf")
        alles_afronden()
        stap("uitstroom", "Naar uitstroom")
        alles_afronden()
        stap("nazorg", "Naar nazorg")
    # The follow-up questions are answered 6 weeks and 3 months after the start at the
    # vervolgplek (5 January), and closing needs the uitschrijving, recorded on the page.
    with time_machine.travel(dt.date(2026, 4, 6)):
        client.force_login(procesregisseur)
        r = client.post(
            reverse("routetool:uitschrijving", args=[p.pk]),
            {"einddatum": "2025-12-19", "reden": "mbo"},
        )
        assert r.status_code == 302, berichten(r)
        alles_afronden()
        stap("afgesloten", "Route afsluiten")
    assert list(Transitie.objects.filter(plaatsing=p).values_list("naar", flat=True)) == [
        "instroom",
        "verblijf",
        "uitstroom",
        "nazorg",
        "afgesloten",
    ]
    html = client.get(detail(p)).content.decode()
    assert "Route afsluiten" not in html and "Markeer als gedaan" not in html


# --- overview ------------------------------------------------------------------------------


@pytest.mark.parametrize("aantal", [5, 30])
def test_the_overview_costs_the_same_number_of_queries_for_5_or_30_placements(
    client, procesregisseur, django_assert_num_queries, aantal
):
    with time_machine.travel(VANDAAG):
        from routetool.services import route_starten

        route_starten(plaatsingen=PlaatsingFactory.create_batch(aantal), door=SYSTEEM)
    # Sessions expire after 30 idle minutes: log in at the moment we look.
    with time_machine.travel(dt.date(2026, 3, 2)):
        client.force_login(procesregisseur)
        client.get(reverse("routetool:overzicht"))  # warm up the session
        # Fixed costs, whatever the number of placements: one query resolves the coalition's
        # SWV and school ids for the visibility filter, once per request (coalitie.selectors),
        # one reads the placements the user is a deelnemer of (Scope.deelnemer_rollen, issue 17),
        # one counts the unread meldingen in the header and one INSERT logs the pupils shown.
        with django_assert_num_queries(16):
            r = client.get(reverse("routetool:overzicht"))
    assert r.status_code == 200
    assert len(r.context["pagina"].object_list) == aantal
    assert {k: n for k, _, n in r.context["tellingen"]}["niet_bevestigd"] == aantal


@time_machine.travel(VANDAAG)
def test_the_overview_filters_on_swv_school_fase_and_signal(client, procesregisseur):
    a = gestart(verantwoordelijk_swv=swv("VO 28-06"))
    b = gestart(
        verantwoordelijk_swv=swv("VO 28-07"),
        instellingsschool=instellingsschool("Rijnstroom College"),
    )
    client.force_login(procesregisseur)
    url = reverse("routetool:overzicht")

    def lijst(**f):
        return set(client.get(url, f).context["pagina"].object_list)

    assert lijst() == {a, b}
    assert lijst(swv=swv("VO 28-07").pk) == {b}
    assert lijst(school=a.instellingsschool_id) == {a}
    assert lijst(fase="verblijf") == set()
    assert lijst(signaal="niet_bevestigd") == set()
    with time_machine.travel(dt.date(2026, 1, 5)):
        client.force_login(procesregisseur)
        assert lijst(signaal="niet_bevestigd") == {a, b}


@pytest.mark.parametrize("persona", ["contact_swv_a", "medewerker_schakenbosch", "penvoerder"])
def test_the_overview_is_only_for_the_procesregisseur(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("routetool:overzicht")).status_code == 403


def test_the_nav_shows_the_overview_to_the_procesregisseur_only(
    client, procesregisseur, contact_swv_a
):
    client.force_login(procesregisseur)
    assert reverse("routetool:overzicht") in client.get(reverse("home")).content.decode()
    client.force_login(contact_swv_a)
    assert reverse("routetool:overzicht") not in client.get(reverse("home")).content.decode()


@time_machine.travel(VANDAAG)
def test_signals_show_on_the_home_list_and_the_detail_page(client, contact_swv_a):
    p = gestart()
    with time_machine.travel(dt.date(2026, 1, 5)):
        client.force_login(contact_swv_a)
        assert "niet bevestigd" in client.get(reverse("home")).content.decode()
        assert "niet bevestigd" in client.get(detail(p)).content.decode()


# --- registering by hand -------------------------------------------------------------------


@time_machine.travel(VANDAAG)
def test_a_school_worker_registers_a_placement_and_its_route_starts(
    client, medewerker_schakenbosch, contact_swv_a, django_capture_on_commit_callbacks
):
    from django.core import mail

    school = instellingsschool("Schakenbosch Onderwijs & Werk")
    stamschool = SchoolFactory(swv=swv("VO 28-06"))
    client.force_login(medewerker_schakenbosch)
    assert client.get(reverse("plaatsingen:nieuw")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("plaatsingen:nieuw"),
            {
                "instellingsschool": school.pk,
                "leerlingnummer": "998877",
                "roepnaam": "Noor",
                "achternaam": "Zwanenburgh",
                "startdatum": "2025-11-24",
                "verblijf": "gesloten",
                "stamschool": stamschool.brin.lower(),
            },
        )
    assert r.status_code == 302
    from plaatsingen.models import Plaatsing

    p = Plaatsing.objects.get(leerling__leerlingnummer="998877")
    assert r.url == detail(p)
    assert p.verantwoordelijk_swv == swv("VO 28-06") and p.fase == Fase.INSTROOM
    assert Transitie.objects.get(plaatsing=p).door == medewerker_schakenbosch
    assert len(mail.outbox) == 1 and "Zwanenburgh" not in mail.outbox[0].body


@time_machine.travel(VANDAAG)
def test_registering_a_pupil_with_an_open_placement_is_refused_with_a_message(
    client, medewerker_schakenbosch
):
    bestaand = PlaatsingFactory()
    client.force_login(medewerker_schakenbosch)
    r = client.post(
        reverse("plaatsingen:nieuw"),
        {
            "instellingsschool": instellingsschool("Schakenbosch Onderwijs & Werk").pk,
            "leerlingnummer": bestaand.leerling.leerlingnummer,
            "roepnaam": "X",
            "achternaam": "Y",
            "startdatum": "2025-11-24",
            "verblijf": "open",
            "verantwoordelijk_swv": swv("VO 28-06").pk,
        },
    )
    assert r.status_code == 200 and "nog een open plaatsing" in r.content.decode()


@pytest.mark.parametrize("persona", ["contact_swv_a", "procesregisseur", "penvoerder"])
def test_only_school_workers_register_placements(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("plaatsingen:nieuw")).status_code == 403


def test_a_school_worker_cannot_register_at_another_school(client, medewerker_schakenbosch):
    client.force_login(medewerker_schakenbosch)
    r = client.post(
        reverse("plaatsingen:nieuw"),
        {
            "instellingsschool": instellingsschool("Rijnstroom College").pk,
            "leerlingnummer": "1",
            "roepnaam": "X",
            "achternaam": "Y",
            "startdatum": "2025-11-24",
            "verblijf": "open",
            "verantwoordelijk_swv": swv("VO 28-06").pk,
        },
    )
    assert r.status_code == 200 and "geldige keuze" in r.content.decode()


def test_detail_page_shows_an_action_whose_user_no_longer_exists(client, procesregisseur):
    """gedaan_door is SET_NULL: a deleted account must not break the timeline (it did: a
    template filter argument looked up .email on None)."""
    from django.utils import timezone

    from routetool.models import Actie, ActieStatus
    from routetool.services import route_starten
    from tests.factories import PlaatsingFactory

    plaatsing = PlaatsingFactory()
    route_starten(plaatsingen=[plaatsing], door=SYSTEEM)
    Actie.objects.filter(plaatsing=plaatsing).update(
        status=ActieStatus.OVERGESLAGEN,
        reden_overslaan="test",
        gedaan_door=None,
        gedaan_op=timezone.now(),
    )
    client.force_login(procesregisseur)
    r = client.get(f"/plaatsingen/{plaatsing.pk}/")
    assert r.status_code == 200
    assert "door onbekend" in r.content.decode()
