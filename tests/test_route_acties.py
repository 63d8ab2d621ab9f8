import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from routetool.models import Actie, ActieStatus, Routekaart, TermijnSoort
from routetool.services import (
    RouteFout,
    actie_afronden,
    actie_overslaan,
    plaatsing_bevestigen,
    routekaart_vullen_met_standaard,
    uitstroomdatum_vastleggen,
)
from routetool.states import Fase

from .factories import SchoolFactory
from .test_route_transities import VANDAAG, fase_afronden, gestart, in_fase, naar

pytestmark = pytest.mark.django_db


def actie(p, code):
    return Actie.objects.filter(plaatsing=p, code=code).order_by("-pk").first()


@time_machine.travel(VANDAAG)
def test_the_swv_acknowledges_a_new_placement_with_one_click(contact_swv_a):
    p = gestart()
    plaatsing_bevestigen(plaatsing_id=p.pk, door=contact_swv_a)
    a = actie(p, "bevestigd")
    assert a.status == ActieStatus.GEDAAN and a.gedaan_door == contact_swv_a
    with pytest.raises(RouteFout, match="al bevestigd"):
        plaatsing_bevestigen(plaatsing_id=p.pk, door=contact_swv_a)


@time_machine.travel(VANDAAG)
def test_another_swv_cannot_acknowledge(contact_swv_b):
    p = gestart()
    with pytest.raises(PermissionDenied):
        plaatsing_bevestigen(plaatsing_id=p.pk, door=contact_swv_b)


@time_machine.travel(VANDAAG)
def test_an_action_done_records_who_when_and_a_note(medewerker_schakenbosch):
    p = gestart()
    a = actie_afronden(
        actie_id=actie(p, "startgesprek").pk, door=medewerker_schakenbosch, notitie="prima gesprek"
    )
    a.refresh_from_db()
    assert (a.status, a.gedaan_door, a.notitie) == (
        ActieStatus.GEDAAN,
        medewerker_schakenbosch,
        "prima gesprek",
    )
    assert a.gedaan_op.date() == VANDAAG


@time_machine.travel(VANDAAG)
def test_an_action_of_another_role_is_refused(medewerker_schakenbosch):
    p = gestart()
    with pytest.raises(PermissionDenied):
        actie_afronden(actie_id=actie(p, "bevestigd").pk, door=medewerker_schakenbosch)


@time_machine.travel(VANDAAG)
def test_the_stamschool_action_links_the_school_and_keeps_the_contact(contact_swv_a):
    p = gestart()
    school = SchoolFactory()
    with pytest.raises(RouteFout, match="Kies de stamschool"):
        actie_afronden(actie_id=actie(p, "stamschool").pk, door=contact_swv_a, gegevens={})
    actie_afronden(
        actie_id=actie(p, "stamschool").pk,
        door=contact_swv_a,
        gegevens={"stamschool": school, "contact_naam": "J. Mentor", "contact_email": "m@x.nl"},
    )
    p.refresh_from_db()
    assert p.stamschool == school and not p.geen_stamschool
    assert actie(p, "stamschool").contact_naam == "J. Mentor"


@time_machine.travel(VANDAAG)
def test_the_stamschool_action_can_record_no_stamschool(contact_swv_a):
    p = gestart()
    actie_afronden(
        actie_id=actie(p, "stamschool").pk, door=contact_swv_a, gegevens={"geen_stamschool": True}
    )
    p.refresh_from_db()
    assert p.geen_stamschool and p.stamschool is None


@time_machine.travel(VANDAAG)
def test_the_vervolgplek_action_records_the_vervolgplek_with_its_start_date(contact_swv_a):
    p = in_fase(Fase.UITSTROOM)
    Actie.objects.filter(plaatsing=p, code="vervolgplek").update(status=ActieStatus.OPEN)
    a = actie(p, "vervolgplek")
    with pytest.raises(RouteFout, match="startdatum"):
        actie_afronden(actie_id=a.pk, door=contact_swv_a, gegevens={"vervolgplek_soort": "mbo"})
    with pytest.raises(RouteFout, match="vervolgschool"):
        actie_afronden(
            actie_id=a.pk,
            door=contact_swv_a,
            gegevens={"vervolgplek_soort": "school", "vervolgplek_startdatum": VANDAAG},
        )
    school = SchoolFactory()
    actie_afronden(
        actie_id=a.pk,
        door=contact_swv_a,
        gegevens={
            "vervolgplek_soort": "school",
            "vervolgschool": school,
            "vervolgplek_startdatum": dt.date(2026, 1, 5),
        },
    )
    p.refresh_from_db()
    assert (p.vervolgplek_soort, p.vervolgschool, p.vervolgplek_startdatum) == (
        "school",
        school,
        dt.date(2026, 1, 5),
    )


@time_machine.travel(VANDAAG)
def test_ambulant_support_keeps_hours_planned_and_used(contact_swv_a):
    p = in_fase(Fase.UITSTROOM)
    Actie.objects.filter(plaatsing=p, code="ambulant").update(status=ActieStatus.OPEN)
    actie_afronden(
        actie_id=actie(p, "ambulant").pk,
        door=contact_swv_a,
        gegevens={"uren_gepland": 20, "uren_gebruikt": 6},
    )
    a = actie(p, "ambulant")
    assert (a.uren_gepland, a.uren_gebruikt) == (20, 6)


def test_nazorg_needs_an_answer(contact_swv_a):
    with time_machine.travel(VANDAAG):
        p = in_fase(Fase.NAZORG)
        Actie.objects.filter(plaatsing=p).update(status=ActieStatus.OPEN)
    with time_machine.travel(VANDAAG + dt.timedelta(weeks=6)):
        with pytest.raises(RouteFout, match="ja, deels of nee"):
            actie_afronden(actie_id=actie(p, "nazorg-6-weken").pk, door=contact_swv_a, gegevens={})
        actie_afronden(
            actie_id=actie(p, "nazorg-6-weken").pk,
            door=contact_swv_a,
            gegevens={"nazorg_antwoord": "deels"},
        )
    assert actie(p, "nazorg-6-weken").nazorg_antwoord == "deels"


def test_the_nazorg_answers_wait_for_6_weeks_and_3_months_at_the_vervolgplek(contact_swv_a):
    with time_machine.travel(VANDAAG):
        p = in_fase(Fase.NAZORG)  # started at the vervolgplek today
        Actie.objects.filter(plaatsing=p).update(status=ActieStatus.OPEN)
        with pytest.raises(RouteFout, match="vanaf 05-01-2026"):
            actie_afronden(
                actie_id=actie(p, "nazorg-6-weken").pk,
                door=contact_swv_a,
                gegevens={"nazorg_antwoord": "ja"},
            )
    with (
        time_machine.travel(VANDAAG + dt.timedelta(weeks=7)),
        pytest.raises(RouteFout, match="3 maanden"),
    ):
        actie_afronden(
            actie_id=actie(p, "nazorg-3-maanden").pk,
            door=contact_swv_a,
            gegevens={"nazorg_antwoord": "ja"},
        )


@time_machine.travel(VANDAAG)
def test_only_the_procesregisseur_skips_an_action_and_only_with_a_reason(
    procesregisseur, contact_swv_a
):
    p = gestart()
    a = actie(p, "bevestigd")
    with pytest.raises(PermissionDenied):
        actie_overslaan(actie_id=a.pk, door=contact_swv_a, reden="x")
    with pytest.raises(RouteFout, match="reden"):
        actie_overslaan(actie_id=a.pk, door=procesregisseur, reden="  ")
    actie_overslaan(actie_id=a.pk, door=procesregisseur, reden="telefonisch bevestigd")
    a.refresh_from_db()
    assert a.status == ActieStatus.OVERGESLAGEN and a.reden_overslaan == "telefonisch bevestigd"


@time_machine.travel(VANDAAG)
def test_an_action_cannot_be_done_twice(contact_swv_a):
    p = gestart()
    a = actie(p, "bevestigd")
    actie_afronden(actie_id=a.pk, door=contact_swv_a)
    with pytest.raises(RouteFout, match="al afgerond"):
        actie_afronden(actie_id=a.pk, door=contact_swv_a)


def test_a_recurring_progress_meeting_comes_back_three_months_after_it_was_done(
    medewerker_schakenbosch,
):
    with time_machine.travel(VANDAAG):
        p = in_fase(Fase.VERBLIJF)
        eerste = actie(p, "voortgangsgesprek")
        assert eerste.deadline == dt.date(2026, 2, 24) and not eerste.verplicht
    with time_machine.travel(dt.date(2026, 2, 10)):
        actie_afronden(actie_id=eerste.pk, door=medewerker_schakenbosch)
    tweede = actie(p, "voortgangsgesprek")
    assert tweede.pk != eerste.pk and tweede.is_open
    assert tweede.deadline == dt.date(2026, 5, 10)


@time_machine.travel(VANDAAG)
def test_the_expected_uitstroom_date_moves_the_deadlines_that_hang_on_it(
    medewerker_schakenbosch,
):
    p = in_fase(Fase.VERBLIJF)
    assert actie(p, "vervolgplek-in-beeld").deadline is None
    uitstroomdatum_vastleggen(
        plaatsing_id=p.pk, door=medewerker_schakenbosch, datum=dt.date(2026, 6, 30)
    )
    assert actie(p, "vervolgplek-in-beeld").deadline == dt.date(2026, 5, 19)


@time_machine.travel(VANDAAG)
def test_a_coalitions_own_routekaart_applies_to_new_phases_only():
    from coalitie.models import Coalitie

    p = gestart()
    kaart = Routekaart.objects.create(coalitie=Coalitie.objects.get(slug="zuid-west"))
    routekaart_vullen_met_standaard(routekaart=kaart)
    kaart.acties.filter(code="perspectief").update(aantal=10, verplicht=False)
    kaart.acties.create(
        fase=Fase.VERBLIJF,
        code="extra",
        omschrijving="Extra coalitie-actie",
        wie="swv",
        termijn_soort=TermijnSoort.WERKDAGEN_NA_FASESTART,
        aantal=3,
    )
    kaart.acties.filter(code="bevestigd").update(aantal=2)
    # The instroom actions already created keep their deadline.
    assert actie(p, "bevestigd").deadline == dt.date(2025, 12, 1)
    fase_afronden(p)
    naar(p, Fase.VERBLIJF)
    perspectief = actie(p, "perspectief")
    assert perspectief.deadline == dt.date(2025, 12, 8) and not perspectief.verplicht
    assert actie(p, "extra").deadline == dt.date(2025, 11, 27)
