import datetime as dt

import pytest
import time_machine

from plaatsingen.models import Plaatsing
from routetool import signaalvelden
from routetool.models import Actie, ActieStatus
from routetool.selectors import SIGNALEN, met_signalen, signalen_tellen
from routetool.services import actie_afronden, plaatsing_bevestigen, transitie_uitvoeren
from routetool.states import Fase

from .factories import SchoolFactory
from .test_route_transities import VANDAAG, gestart, in_fase

pytestmark = pytest.mark.django_db


def signalen(p) -> set[str]:
    rij = met_signalen(Plaatsing.objects.filter(pk=p.pk)).get()
    # The casusregisseur signal has its own tests (tests/test_deelnemers.py); these follow the
    # route's actions.
    return {
        key
        for key, _ in SIGNALEN
        if getattr(rij, f"signaal_{key}") and key != "geen_casusregisseur"
    }


def test_a_new_placement_has_no_signals_on_its_first_day():
    with time_machine.travel(VANDAAG):
        p = gestart()
        assert signalen(p) == set()


def test_te_laat_appears_after_a_deadline_and_disappears_when_the_action_is_done(
    medewerker_schakenbosch,
):
    with time_machine.travel(VANDAAG):
        p = gestart(geen_stamschool=True)
        Actie.objects.filter(plaatsing=p).exclude(code="onderwijsgegevens").update(
            status=ActieStatus.GEDAAN
        )
        signaalvelden.bijwerken([p.pk])  # what the services do after changing actions
    with time_machine.travel(dt.date(2025, 12, 8)):  # 10 werkdagen passed on 8 December
        assert signalen(p) == set()
    with time_machine.travel(dt.date(2025, 12, 9)):
        assert signalen(p) == {"te_laat"}
        onderwijs = Actie.objects.get(plaatsing=p, code="onderwijsgegevens")
        actie_afronden(actie_id=onderwijs.pk, door=medewerker_schakenbosch)
        assert signalen(p) == set()


def test_niet_bevestigd_after_five_werkdagen_until_the_swv_acknowledges(contact_swv_a):
    with time_machine.travel(VANDAAG):
        p = gestart()
    with time_machine.travel(dt.date(2025, 12, 1)):
        assert "niet_bevestigd" not in signalen(p)
    with time_machine.travel(dt.date(2025, 12, 2)):
        assert "niet_bevestigd" in signalen(p)
        plaatsing_bevestigen(plaatsing_id=p.pk, door=contact_swv_a)
        assert "niet_bevestigd" not in signalen(p)


def test_geen_stamschool_after_the_instroom_deadline_until_one_is_recorded(contact_swv_a):
    with time_machine.travel(VANDAAG):
        p = gestart()
    with time_machine.travel(dt.date(2025, 12, 8)):
        assert "geen_stamschool" not in signalen(p)
    with time_machine.travel(dt.date(2025, 12, 9)):
        assert "geen_stamschool" in signalen(p)
        stamschool = Actie.objects.get(plaatsing=p, code="stamschool")
        actie_afronden(
            actie_id=stamschool.pk, door=contact_swv_a, gegevens={"stamschool": SchoolFactory()}
        )
        assert "geen_stamschool" not in signalen(p)


def test_recording_no_stamschool_also_ends_the_signal():
    with time_machine.travel(VANDAAG):
        p = gestart()
    with time_machine.travel(dt.date(2025, 12, 9)):
        Plaatsing.objects.filter(pk=p.pk).update(geen_stamschool=True)
        assert "geen_stamschool" not in signalen(p)


def test_thuiszitrisico_when_uitgeschreven_without_a_vervolgplek():
    with time_machine.travel(VANDAAG):
        p = in_fase(Fase.VERBLIJF, startdatum=dt.date(2025, 11, 3))
        assert "thuiszitrisico" not in signalen(p)
        Plaatsing.objects.filter(pk=p.pk).update(einddatum=dt.date(2025, 11, 21))
        assert "thuiszitrisico" in signalen(p)
        Plaatsing.objects.filter(pk=p.pk).update(vervolgplek_soort="mbo")
        assert "thuiszitrisico" not in signalen(p)


def test_thuiszitrisico_when_nazorg_says_not_attending_until_a_later_yes(contact_swv_a):
    with time_machine.travel(VANDAAG):
        p = in_fase(Fase.NAZORG)
        Actie.objects.filter(plaatsing=p).update(status=ActieStatus.OPEN)
    with time_machine.travel(VANDAAG + dt.timedelta(weeks=6)):
        zes_weken = Actie.objects.get(plaatsing=p, code="nazorg-6-weken")
        actie_afronden(
            actie_id=zes_weken.pk, door=contact_swv_a, gegevens={"nazorg_antwoord": "nee"}
        )
        assert "thuiszitrisico" in signalen(p)
    with time_machine.travel(VANDAAG + dt.timedelta(days=100)):
        drie_maanden = Actie.objects.get(plaatsing=p, code="nazorg-3-maanden")
        actie_afronden(
            actie_id=drie_maanden.pk, door=contact_swv_a, gegevens={"nazorg_antwoord": "ja"}
        )
        assert "thuiszitrisico" not in signalen(p)


def test_lang_verblijf_after_six_months_without_a_perspective(medewerker_schakenbosch):
    with time_machine.travel(VANDAAG):
        p = in_fase(Fase.VERBLIJF)
        Actie.objects.filter(plaatsing=p, fase=Fase.VERBLIJF).update(status=ActieStatus.GEDAAN)
        Actie.objects.filter(plaatsing=p, code="perspectief").update(status=ActieStatus.OPEN)
        signaalvelden.bijwerken([p.pk])
    with time_machine.travel(dt.date(2026, 5, 24)):
        assert "lang_verblijf" not in signalen(p)
    with time_machine.travel(dt.date(2026, 5, 25)):
        assert "lang_verblijf" in signalen(p)
        perspectief = Actie.objects.get(plaatsing=p, code="perspectief")
        actie_afronden(actie_id=perspectief.pk, door=medewerker_schakenbosch)
        assert "lang_verblijf" not in signalen(p)


def test_a_closed_route_has_no_signals(procesregisseur):
    with time_machine.travel(VANDAAG):
        p = gestart()
    with time_machine.travel(dt.date(2026, 3, 1)):
        assert {"te_laat", "niet_bevestigd", "geen_stamschool"} <= signalen(p)
        transitie_uitvoeren(
            plaatsing_id=p.pk,
            naar=Fase.AFGESLOTEN,
            door=procesregisseur,
            versie=p.versie,
            reden="overgeplaatst",
            afbreken=True,
        )
        assert signalen(p) == set()


def test_signal_counts_come_from_one_query(django_assert_num_queries):
    with time_machine.travel(VANDAAG):
        gestart()
        gestart()
    with time_machine.travel(dt.date(2026, 3, 1)), django_assert_num_queries(1):
        tellingen = signalen_tellen(met_signalen(Plaatsing.objects.all()))
    assert tellingen["niet_bevestigd"] == 2 and tellingen["lang_verblijf"] == 0
