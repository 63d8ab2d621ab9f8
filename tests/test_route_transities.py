import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from coalitie.toegang import SYSTEEM
from routetool.models import Actie, ActieStatus, Transitie
from routetool.services import (
    GEWIJZIGD,
    REDEN_UITSCHRIJVING,
    RouteFout,
    route_starten,
    transitie_uitvoeren,
    uitschrijving_verwerken,
)
from routetool.states import Fase

from .factories import PlaatsingFactory, SchoolFactory

pytestmark = pytest.mark.django_db

VANDAAG = dt.date(2025, 11, 24)  # a Monday


def gestart(**kwargs):
    p = PlaatsingFactory(startdatum=kwargs.pop("startdatum", VANDAAG), **kwargs)
    route_starten(plaatsingen=[p], door=SYSTEEM)
    p.refresh_from_db()
    return p


def fase_afronden(p):
    Actie.objects.filter(plaatsing=p, fase=p.fase, status=ActieStatus.OPEN).update(
        status=ActieStatus.GEDAAN
    )


def naar(p, fase, door=SYSTEEM, reden="", afbreken=False):
    p.refresh_from_db()
    transitie_uitvoeren(
        plaatsing_id=p.pk, naar=fase, door=door, versie=p.versie, reden=reden, afbreken=afbreken
    )
    p.refresh_from_db()
    return p


def in_fase(fase, **kwargs):
    """A placement walked (with all actions done) to `fase`."""
    p = gestart(**kwargs)
    pad = {
        Fase.INSTROOM: [],
        Fase.VERBLIJF: [Fase.VERBLIJF],
        Fase.UITSTROOM: [Fase.VERBLIJF, Fase.UITSTROOM],
        Fase.NAZORG: [Fase.VERBLIJF, Fase.UITSTROOM, Fase.NAZORG],
    }[fase]
    for stap in pad:
        if stap == Fase.NAZORG:
            # Uitgeschreven and started at the vervolgplek today (closing needs the former).
            p.vervolgplek_soort, p.vervolgplek_startdatum = "mbo", VANDAAG
            p.einddatum = VANDAAG
            p.save(update_fields=["vervolgplek_soort", "vervolgplek_startdatum", "einddatum"])
        fase_afronden(p)
        naar(p, stap)
    return p


@time_machine.travel(VANDAAG)
def test_starting_a_route_puts_the_placement_in_instroom_with_its_actions():
    p = gestart()
    assert p.fase == Fase.INSTROOM and p.fase_sinds == VANDAAG
    codes = set(Actie.objects.filter(plaatsing=p).values_list("code", flat=True))
    assert {"bevestigd", "stamschool", "onderwijsgegevens", "startgesprek"} <= codes
    bevestigd = Actie.objects.get(plaatsing=p, code="bevestigd")
    assert bevestigd.deadline == dt.date(2025, 12, 1)  # 5 werkdagen
    t = Transitie.objects.get(plaatsing=p)
    assert (t.van, t.naar, t.door) == ("", Fase.INSTROOM, None)


@time_machine.travel(VANDAAG)
def test_starting_a_route_twice_does_not_duplicate_anything():
    p = gestart()
    route_starten(plaatsingen=[p], door=SYSTEEM)
    assert Transitie.objects.filter(plaatsing=p).count() == 1
    assert Actie.objects.filter(plaatsing=p, code="bevestigd").count() == 1


@time_machine.travel(VANDAAG)
def test_route_starten_handles_many_placements_in_few_queries(django_assert_max_num_queries):
    plaatsingen = PlaatsingFactory.create_batch(20, startdatum=VANDAAG)
    # Incl. 3 for the fields the signals read: the actions, the placements, one UPDATE.
    with django_assert_max_num_queries(14):
        route_starten(plaatsingen=plaatsingen, door=SYSTEEM, via_import=True)
    assert Transitie.objects.count() == 20


@time_machine.travel(VANDAAG)
def test_leaving_instroom_is_refused_while_required_actions_are_open():
    p = gestart()
    with pytest.raises(RouteFout) as fout:
        naar(p, Fase.VERBLIJF)
    assert "SWV geïnformeerd en plaatsing bevestigd" in str(fout.value)
    assert "Stamschool geïnformeerd" in str(fout.value)
    p.refresh_from_db()
    assert p.fase == Fase.INSTROOM and p.versie == 0


@time_machine.travel(VANDAAG)
def test_a_skipped_action_counts_for_leaving_the_phase():
    p = gestart()
    fase_afronden(p)
    Actie.objects.filter(plaatsing=p, code="bevestigd").update(
        status=ActieStatus.OVERGESLAGEN, reden_overslaan="telefonisch bevestigd"
    )
    assert naar(p, Fase.VERBLIJF).fase == Fase.VERBLIJF


@time_machine.travel(VANDAAG)
def test_the_agreement_is_only_required_where_the_school_demands_it(settings):
    from .factories import instellingsschool

    school = instellingsschool("Schakenbosch Onderwijs & Werk")
    school.overeenkomst_verplicht_vanaf = dt.date(2025, 6, 1)
    school.save()
    p = gestart(instellingsschool=school)
    assert Actie.objects.get(plaatsing=p, code="overeenkomst").verplicht
    school.overeenkomst_verplicht_vanaf = None
    school.save()
    q = gestart(instellingsschool=school)
    assert not Actie.objects.get(plaatsing=q, code="overeenkomst").verplicht


@time_machine.travel(VANDAAG)
def test_instroom_to_verblijf_records_the_transition_and_creates_verblijf_actions(
    medewerker_schakenbosch,
):
    p = gestart()
    fase_afronden(p)
    naar(p, Fase.VERBLIJF, door=medewerker_schakenbosch)
    assert (p.fase, p.versie, p.fase_sinds) == (Fase.VERBLIJF, 1, VANDAAG)
    t = Transitie.objects.filter(plaatsing=p).last()
    assert (t.van, t.naar, t.door) == (Fase.INSTROOM, Fase.VERBLIJF, medewerker_schakenbosch)
    perspectief = Actie.objects.get(plaatsing=p, code="perspectief")
    assert perspectief.fase == Fase.VERBLIJF and perspectief.deadline == dt.date(2026, 1, 8)


@time_machine.travel(VANDAAG)
def test_a_short_stay_goes_from_instroom_straight_to_uitstroom():
    p = gestart(verwachte_uitstroomdatum=dt.date(2025, 12, 19))
    fase_afronden(p)
    naar(p, Fase.UITSTROOM)
    assert p.fase == Fase.UITSTROOM
    assert Actie.objects.get(plaatsing=p, code="vervolgplek").deadline == dt.date(2025, 12, 19)


@time_machine.travel(VANDAAG)
def test_verblijf_to_uitstroom_needs_the_verblijf_actions():
    p = in_fase(Fase.VERBLIJF)
    with pytest.raises(RouteFout, match="Onderwijsperspectief"):
        naar(p, Fase.UITSTROOM)
    fase_afronden(p)
    assert naar(p, Fase.UITSTROOM).fase == Fase.UITSTROOM


@time_machine.travel(VANDAAG)
def test_postponing_uitstroom_needs_a_reason_and_goes_back_to_verblijf():
    p = in_fase(Fase.UITSTROOM)
    with pytest.raises(RouteFout, match="Geef een reden"):
        naar(p, Fase.VERBLIJF)
    naar(p, Fase.VERBLIJF, reden="behandeling duurt langer")
    assert p.fase == Fase.VERBLIJF
    assert Transitie.objects.filter(plaatsing=p).last().reden == "behandeling duurt langer"
    # Verblijf is entered again, its actions are not created twice.
    assert Actie.objects.filter(plaatsing=p, code="perspectief").count() == 1


@time_machine.travel(VANDAAG)
def test_nazorg_needs_a_vervolgplek_and_its_start_date():
    p = in_fase(Fase.UITSTROOM)
    fase_afronden(p)
    with pytest.raises(RouteFout) as fout:
        naar(p, Fase.NAZORG)
    assert "de vervolgplek en de startdatum op de vervolgplek" in str(fout.value)
    p.vervolgplek_soort = "school"
    p.vervolgschool = SchoolFactory()
    p.save()
    with pytest.raises(RouteFout, match="startdatum op de vervolgplek"):
        naar(p, Fase.NAZORG)
    p.vervolgplek_startdatum = dt.date(2026, 1, 5)
    p.save()
    naar(p, Fase.NAZORG)
    assert p.fase == Fase.NAZORG
    assert Actie.objects.get(plaatsing=p, code="nazorg-6-weken").deadline == dt.date(2026, 2, 16)


@time_machine.travel(VANDAAG)
def test_nazorg_closes_when_its_actions_are_done():
    p = in_fase(Fase.NAZORG)
    with pytest.raises(RouteFout, match="Nazorg na 6 weken"):
        naar(p, Fase.AFGESLOTEN)
    fase_afronden(p)
    assert naar(p, Fase.AFGESLOTEN).fase == Fase.AFGESLOTEN


@pytest.mark.parametrize("fase", [Fase.INSTROOM, Fase.VERBLIJF, Fase.UITSTROOM, Fase.NAZORG])
@time_machine.travel(VANDAAG)
def test_any_open_route_can_be_aborted_with_a_reason_whatever_is_open(fase, procesregisseur):
    p = in_fase(fase)
    Actie.objects.filter(plaatsing=p).update(status=ActieStatus.OPEN)
    with pytest.raises(RouteFout, match="Geef een reden"):
        naar(p, Fase.AFGESLOTEN, door=procesregisseur, afbreken=True)
    naar(p, Fase.AFGESLOTEN, door=procesregisseur, reden="verhuisd naar buitenland", afbreken=True)
    assert p.fase == Fase.AFGESLOTEN
    assert Transitie.objects.filter(plaatsing=p).last().reden == "verhuisd naar buitenland"


@time_machine.travel(VANDAAG)
def test_a_closed_route_cannot_move_anymore(procesregisseur):
    p = in_fase(Fase.INSTROOM)
    naar(p, Fase.AFGESLOTEN, door=procesregisseur, reden="overgeplaatst", afbreken=True)
    with pytest.raises(RouteFout, match="kan niet naar"):
        naar(p, Fase.VERBLIJF, door=procesregisseur)


@time_machine.travel(VANDAAG)
def test_a_transition_that_does_not_exist_is_refused():
    p = gestart()
    fase_afronden(p)
    with pytest.raises(RouteFout, match="Een plaatsing in instroom kan niet naar nazorg"):
        naar(p, Fase.NAZORG)


@time_machine.travel(VANDAAG)
def test_a_stale_form_is_refused_with_changed_meanwhile():
    p = gestart()
    fase_afronden(p)
    with pytest.raises(RouteFout) as fout:
        transitie_uitvoeren(
            plaatsing_id=p.pk, naar=Fase.VERBLIJF, door=SYSTEEM, versie=p.versie + 1
        )
    assert str(fout.value) == GEWIJZIGD


# --- who may fire what ---------------------------------------------------------------------

MAG = {
    # (van, naar, afbreken): the personas that may fire it
    (Fase.INSTROOM, Fase.VERBLIJF, False): {"medewerker_schakenbosch", "procesregisseur"},
    (Fase.INSTROOM, Fase.UITSTROOM, False): {"medewerker_schakenbosch", "procesregisseur"},
    (Fase.VERBLIJF, Fase.UITSTROOM, False): {"medewerker_schakenbosch", "procesregisseur"},
    (Fase.UITSTROOM, Fase.VERBLIJF, False): {"medewerker_schakenbosch", "procesregisseur"},
    (Fase.UITSTROOM, Fase.NAZORG, False): {"contact_swv_a", "procesregisseur"},
    (Fase.NAZORG, Fase.AFGESLOTEN, False): {"contact_swv_a", "procesregisseur"},
    (Fase.VERBLIJF, Fase.AFGESLOTEN, True): {"procesregisseur"},
}
PERSONAS = [
    "contact_swv_a",
    "medewerker_schakenbosch",
    "procesregisseur",
    "contact_swv_b",
    "medewerker_rijnstroom",
    "penvoerder",
    "beheerder",
    "procesregisseur_andere_coalitie",
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("overgang", list(MAG))
@time_machine.travel(VANDAAG)
def test_only_the_right_roles_may_fire_a_transition(request, overgang, persona):
    van, doel, afbreken = overgang
    user = request.getfixturevalue(persona)
    p = in_fase(van)
    fase_afronden(p)
    p.vervolgplek_soort, p.vervolgplek_startdatum = "mbo", VANDAAG
    p.save()
    if persona in MAG[overgang]:
        naar(p, doel, door=user, reden="reden", afbreken=afbreken)
        assert p.fase == doel
    else:
        with pytest.raises(PermissionDenied):
            naar(p, doel, door=user, reden="reden", afbreken=afbreken)
        p.refresh_from_db()
        assert p.fase == van


# --- uitschrijving from the import ---------------------------------------------------------


@pytest.mark.parametrize("fase", [Fase.INSTROOM, Fase.VERBLIJF])
@time_machine.travel(VANDAAG)
def test_an_uitschrijving_moves_an_open_route_to_uitstroom_as_the_system(fase):
    p = in_fase(fase, startdatum=dt.date(2025, 11, 3))
    versie = p.versie
    p.einddatum = dt.date(2025, 11, 20)
    p.save()
    uitschrijving_verwerken(plaatsingen=[p], door=SYSTEEM)
    p.refresh_from_db()
    assert (p.fase, p.versie) == (Fase.UITSTROOM, versie + 1)
    t = Transitie.objects.filter(plaatsing=p).last()
    assert (t.van, t.naar, t.door, t.reden) == (fase, Fase.UITSTROOM, None, REDEN_UITSCHRIJVING)
    assert Actie.objects.get(plaatsing=p, code="vervolgplek").deadline == dt.date(2025, 11, 20)


@pytest.mark.parametrize("fase", [Fase.UITSTROOM, Fase.NAZORG])
@time_machine.travel(VANDAAG)
def test_an_uitschrijving_leaves_later_phases_alone(fase):
    p = in_fase(fase)
    aantal = Transitie.objects.filter(plaatsing=p).count()
    uitschrijving_verwerken(plaatsingen=[p], door=SYSTEEM)
    p.refresh_from_db()
    assert p.fase == fase and Transitie.objects.filter(plaatsing=p).count() == aantal


@time_machine.travel(VANDAAG)
def test_an_imported_placement_that_already_ended_starts_and_moves_to_uitstroom():
    p = PlaatsingFactory(startdatum=dt.date(2025, 9, 1), einddatum=dt.date(2025, 11, 1))
    route_starten(plaatsingen=[p], door=SYSTEEM, via_import=True)
    uitschrijving_verwerken(plaatsingen=[p], door=SYSTEEM)
    p.refresh_from_db()
    assert p.fase == Fase.UITSTROOM
    assert list(Transitie.objects.filter(plaatsing=p).values_list("naar", flat=True)) == [
        Fase.INSTROOM,
        Fase.UITSTROOM,
    ]


@time_machine.travel(VANDAAG)
def test_a_route_does_not_close_without_an_uitschrijving_date():
    p = in_fase(Fase.NAZORG)
    fase_afronden(p)
    p.einddatum = None
    p.save(update_fields=["einddatum"])
    with pytest.raises(RouteFout, match="datum van uitschrijving"):
        naar(p, Fase.AFGESLOTEN)
