"""Issue 17 (17b): the overdrachtsprofiel of the warme overdracht."""

from __future__ import annotations

import io

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse
from pypdf import PdfReader

from coalitie.toegang import RouteRol
from routetool import route
from routetool.models import Overdrachtsprofiel
from routetool.overdrachtsprofiel import diagnose_melding, diagnose_woorden, profiel_opslaan
from routetool.retentie import leerling_schonen
from routetool.states import Fase

from .conftest import SCHAKENBOSCH, SWV_A
from .factories import instellingsschool, swv
from .test_route_transities import VANDAAG, gestart, in_fase

pytestmark = pytest.mark.django_db
R = RouteRol
INHOUD = {
    "doelen_leerling": "Ik wil mijn diploma halen en later monteur worden.",
    "wensleerling": "Een kleine klas, dicht bij huis.",
    "onderwijsbehoeften": "Vaste plek, korte instructie, vooraf weten wat er komt.",
    "niveau": "vmbo-kader",
    "jaargroep": "3",
    "examenuitslag": "",
    "examenresultaat": "Deelcertificaat Nederlands",
    "ondersteuning": "Mentor elke week 15 minuten; ambulant begeleider eerste 6 weken.",
    "communicatie": "Mentor instellingsschool, 010-1234567",
}


def _p(fase=Fase.VERBLIJF):
    kw = {"instellingsschool": instellingsschool(SCHAKENBOSCH), "verantwoordelijk_swv": swv(SWV_A)}
    return gestart(**kw) if fase == Fase.INSTROOM else in_fase(fase, **kw)


@pytest.mark.parametrize(
    ("tekst", "woorden"),
    [
        ("Heeft ADHD en gebruikt Ritalin", ["ADHD", "ritalin"]),
        ("autisme (ASS), gedragsstoornis", ["ASS", "autisme", "stoornis"]),
        ("Na de diagnose PTSS: medicatie", ["PTSS", "diagnose", "medicatie"]),
        # Not a diagnosis: ordinary words that contain the acronyms in lower case.
        ("Hij wil graag in de klas blijven; past goed bij de groep", []),
        ("Leest graag, rekent op niveau 2F", []),
    ],
)
def test_words_that_look_like_a_diagnosis_are_found(tekst, woorden):
    assert diagnose_woorden(tekst) == woorden


@pytest.mark.parametrize(
    ("rollen", "zien", "bewerken"),
    [
        ({R.SWV}, True, True),
        ({R.INSTELLINGSSCHOOL}, True, True),
        ({R.PROCESREGISSEUR}, True, True),
        ({R.VERVOLGSCHOOL}, True, False),
        ({R.STAMSCHOOL}, False, False),
        ({R.AMBULANT}, False, False),
        ({R.GI}, False, False),
        (set(), False, False),
    ],
)
def test_who_sees_and_keeps_the_profile(rollen, zien, bewerken):
    class P:
        fase = Fase.VERBLIJF

    assert route.mag_profiel_zien(frozenset(rollen)) is zien
    assert route.mag_profiel_bewerken(frozenset(rollen), P) is bewerken
    P.fase = Fase.NAZORG  # after the handover it is history
    assert route.mag_profiel_bewerken(frozenset(rollen), P) is False


def test_the_school_fills_it_in_and_gets_a_notice_on_a_diagnosis_not_a_block(
    client, medewerker_schakenbosch
):
    with time_machine.travel(VANDAAG):
        p = _p()
        client.force_login(medewerker_schakenbosch)
        url = reverse("routetool:overdrachtsprofiel", args=[p.pk])
        assert client.get(url).status_code == 200
        r = client.post(
            url, {**INHOUD, "onderwijsbehoeften": "Door zijn ADHD een vaste plek"}, follow=True
        )
        tekst = r.content.decode()
        profiel = Overdrachtsprofiel.objects.get(plaatsing=p)
        assert profiel.onderwijsbehoeften == "Door zijn ADHD een vaste plek"  # saved anyway
        assert "lijkt een diagnose of medicatie te noemen" in tekst
        assert "&#x27;wat werkt in de klas&#x27; (ADHD)" in tekst
        assert "Ik wil mijn diploma halen" in tekst  # shown on the placement page
        assert profiel.gewijzigd_door == medewerker_schakenbosch
        # Without the word, no notice.
        r = client.post(url, INHOUD, follow=True)
        assert "lijkt een diagnose" not in r.content.decode()


def test_changes_go_into_the_pupils_history_without_their_text(medewerker_schakenbosch):
    with time_machine.travel(VANDAAG):
        p = _p()
        profiel_opslaan(plaatsing_id=p.pk, door=medewerker_schakenbosch, gegevens=INHOUD)
        profiel_opslaan(
            plaatsing_id=p.pk,
            door=medewerker_schakenbosch,
            gegevens={**INHOUD, "niveau": "vmbo-basis"},
        )
    entries = [
        e for e in LogEntry.objects.get_for_object(p) if "overdrachtsprofiel" in str(e.changes)
    ]
    assert len(entries) == 2
    assert all(e.actor == medewerker_schakenbosch for e in entries)
    assert all("diploma" not in str(e.changes) and "vmbo" not in str(e.changes) for e in entries)
    # The second save changed one field: one entry names only that field.
    assert any(
        list(e.changes_dict) == ["overdrachtsprofiel: niveau / onderwijssoort"] for e in entries
    )


@pytest.mark.parametrize("persona", ["contact_swv_b", "penvoerder", "beheerder"])
def test_others_may_not_keep_the_profile(client, persona, request):
    with time_machine.travel(VANDAAG):
        p = _p()
        client.force_login(request.getfixturevalue(persona))
        url = reverse("routetool:overdrachtsprofiel", args=[p.pk])
        verwacht = 404 if persona == "contact_swv_b" else 403
        assert client.get(url).status_code == verwacht
        assert client.post(url, INHOUD).status_code == verwacht
        assert not Overdrachtsprofiel.objects.exists()


def test_confirmed_at_the_handover_with_who_was_there(client, contact_swv_a):
    with time_machine.travel(VANDAAG):
        p = _p(Fase.VERBLIJF)
        profiel_opslaan(plaatsing_id=p.pk, door=contact_swv_a, gegevens=INHOUD)
        client.force_login(contact_swv_a)
        url = reverse("routetool:overdrachtsprofiel_bevestigen", args=[p.pk])
        # Not yet: the handover is in uitstroom.
        assert (
            client.post(url, {"datum": "24-11-2025", "aanwezig_leerling": "on"}).status_code == 403
        )
        p = _naar_uitstroom(p)
        detail = client.get(reverse("plaatsingen:detail", args=[p.pk])).content.decode()
        assert "Warme overdracht bevestigen" in detail
        # Nobody ticked: refused in Dutch.
        r = client.post(url, {"datum": "24-11-2025"}, follow=True)
        assert "Vink aan wie bij de warme overdracht aanwezig waren." in r.content.decode()
        r = client.post(
            url,
            {
                "datum": "24-11-2025",
                "aanwezig_leerling": "on",
                "aanwezig_ouders": "on",
                "aanwezig_vervolgschool": "on",
            },
            follow=True,
        )
        profiel = Overdrachtsprofiel.objects.get(plaatsing=p)
        assert profiel.bevestigd_op == VANDAAG and profiel.bevestigd_door == contact_swv_a
        assert profiel.aanwezigen() == ["leerling", "ouders / verzorgers", "vervolgschool"]
        assert (
            "Bevestigd bij de warme overdracht op 24-11-2025" in r.content.decode()
            and "Aanwezig: leerling, ouders / verzorgers, vervolgschool." in r.content.decode()
        )


def _naar_uitstroom(p):
    from .test_route_transities import fase_afronden, naar

    fase_afronden(p)
    return naar(p, Fase.UITSTROOM)


def test_the_routeoverzicht_pdf_carries_the_profile(client, contact_swv_a, penvoerder):
    with time_machine.travel(VANDAAG):
        p = _p()
        profiel_opslaan(plaatsing_id=p.pk, door=contact_swv_a, gegevens=INHOUD)
        client.force_login(contact_swv_a)
        r = client.get(reverse("rapport:routeoverzicht", args=[p.pk]))
        tekst = " ".join(pagina.extract_text() for pagina in PdfReader(io.BytesIO(r.content)).pages)
        assert "Overdrachtsprofiel" in tekst
        assert "monteur worden" in tekst and "Deelcertificaat Nederlands" in tekst
        # A role that reads the placement but has no part in the handover: no profile.
        client.force_login(penvoerder)
        r = client.get(reverse("rapport:routeoverzicht", args=[p.pk]))
        assert r.status_code == 200
        tekst = " ".join(pagina.extract_text() for pagina in PdfReader(io.BytesIO(r.content)).pages)
        assert "Routeoverzicht" in tekst and "monteur worden" not in tekst


def test_the_penvoerder_sees_no_profile_on_the_placement_page(client, contact_swv_a, penvoerder):
    with time_machine.travel(VANDAAG):
        p = _p()
        profiel_opslaan(plaatsing_id=p.pk, door=contact_swv_a, gegevens=INHOUD)
        client.force_login(penvoerder)
        r = client.get(reverse("plaatsingen:detail", args=[p.pk]))
    assert r.status_code == 200
    assert "monteur worden" not in r.content.decode()
    assert 'id="overdrachtsprofiel"' not in r.content.decode()


def test_retention_clears_the_profile(contact_swv_a):
    with time_machine.travel(VANDAAG):
        p = _p()
        profiel_opslaan(plaatsing_id=p.pk, door=contact_swv_a, gegevens=INHOUD)
    leerling_schonen(p.leerling_id, None)
    assert not Overdrachtsprofiel.objects.filter(plaatsing=p).exists()


def test_the_notice_names_every_field_with_a_diagnosis():
    profiel = Overdrachtsprofiel(doelen_leerling="geen", ondersteuning="bij autisme", niveau="")
    melding = diagnose_melding(profiel)
    assert "'ondersteuning afgesproken met de vervolgschool' (autisme)" in melding
    assert "doelen" not in melding


def test_the_vervolgschool_role_reads_the_profile_but_does_not_keep_it(contact_swv_a):
    from routetool.overdrachtsprofiel import profiel_context

    with time_machine.travel(VANDAAG):
        p = _p()
        _naar_uitstroom(p)
        p.refresh_from_db()
        profiel_opslaan(plaatsing_id=p.pk, door=contact_swv_a, gegevens=INHOUD)
        ctx = profiel_context(None, p, frozenset({R.VERVOLGSCHOOL}))["overdracht"]
        assert ctx is not None and ctx["profiel"].doelen_leerling == INHOUD["doelen_leerling"]
        assert not ctx["mag_bewerken"] and ctx["bevestigen_form"] is None
        assert profiel_context(None, p, frozenset({R.STAMSCHOOL}))["overdracht"] is None
        ctx = profiel_context(None, p, frozenset({R.SWV}))["overdracht"]
        assert ctx["mag_bewerken"] and ctx["bevestigen_form"] is not None


def test_a_change_after_the_confirmation_is_shown_until_confirmed_again(client, contact_swv_a):
    """The confirmation speaks of the version the handover saw: a later edit says so on the
    page and in the routeoverzicht, and confirming again clears it. Filled in before the
    confirmation (even after the meeting's date) is not a later change."""
    import datetime as dt

    from routetool.overdrachtsprofiel import profiel_bevestigen

    aanwezig = {"aanwezig_leerling": True, "aanwezig_vervolgschool": True}
    waarschuwing = "Het profiel is na die bevestiging gewijzigd"
    with time_machine.travel(VANDAAG):
        p = _naar_uitstroom(_p(Fase.VERBLIJF))
        profiel_opslaan(plaatsing_id=p.pk, door=contact_swv_a, gegevens=INHOUD)
        # The meeting was two days ago; the profile was finished today, then confirmed.
        type(p).objects.filter(pk=p.pk).update(startdatum=VANDAAG - dt.timedelta(days=30))
        profiel_bevestigen(
            plaatsing_id=p.pk,
            door=contact_swv_a,
            datum=VANDAAG - dt.timedelta(days=2),
            aanwezig=aanwezig,
        )
        client.force_login(contact_swv_a)
        detail = reverse("plaatsingen:detail", args=[p.pk])
        assert waarschuwing not in client.get(detail).content.decode()
    with time_machine.travel(VANDAAG + dt.timedelta(days=1)):
        profiel_opslaan(
            plaatsing_id=p.pk,
            door=contact_swv_a,
            gegevens={**INHOUD, "examenuitslag": "geslaagd"},
        )
        client.force_login(contact_swv_a)
        pagina = client.get(detail).content.decode()
        assert waarschuwing in pagina
        assert f'value="{VANDAAG + dt.timedelta(days=1):%d-%m-%Y}"' in pagina  # today proposed
        r = client.get(reverse("rapport:routeoverzicht", args=[p.pk]))
        tekst = " ".join(
            " ".join(pagina.extract_text().split())
            for pagina in PdfReader(io.BytesIO(r.content)).pages
        )
        assert f"daarna gewijzigd op {VANDAAG + dt.timedelta(days=1):%d-%m-%Y}" in tekst
        profiel_bevestigen(
            plaatsing_id=p.pk,
            door=contact_swv_a,
            datum=VANDAAG + dt.timedelta(days=1),
            aanwezig=aanwezig,
        )
        assert waarschuwing not in client.get(detail).content.decode()
