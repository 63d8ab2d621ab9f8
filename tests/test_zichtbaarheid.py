"""`zichtbaar_voor` per role: the one place that decides who sees which pupil."""

import pytest
from django.contrib.auth.models import AnonymousUser

from plaatsingen.models import Leerling, Plaatsing

pytestmark = pytest.mark.django_db


def zichtbaar(user):
    return set(Plaatsing.objects.zichtbaar_voor(user).values_list("pk", flat=True))


def leerlingen(user):
    return set(Leerling.objects.zichtbaar_voor(user).values_list("pk", flat=True))


@pytest.fixture
def drie(plaatsing_a, plaatsing_b, plaatsing_a_elders):
    return plaatsing_a, plaatsing_b, plaatsing_a_elders


def test_swv_contact_sees_only_own_swv_pupils_wherever_they_are(drie, contact_swv_a):
    a, b, elders = drie
    assert zichtbaar(contact_swv_a) == {a.pk, elders.pk}
    assert leerlingen(contact_swv_a) == {a.leerling_id, elders.leerling_id}


def test_contact_of_other_swv_does_not_see_swv_a_pupils(drie, contact_swv_b):
    a, b, elders = drie
    assert zichtbaar(contact_swv_b) == {b.pk}
    assert a.leerling_id not in leerlingen(contact_swv_b)


def test_instellingsschool_worker_sees_only_own_school(
    drie, medewerker_schakenbosch, medewerker_rijnstroom
):
    a, b, elders = drie
    assert zichtbaar(medewerker_schakenbosch) == {a.pk}
    assert zichtbaar(medewerker_rijnstroom) == {b.pk}


@pytest.mark.parametrize("rol", ["procesregisseur", "penvoerder", "beheerder"])
def test_coalition_roles_see_everything_touching_their_coalition(drie, rol, request):
    user = request.getfixturevalue(rol)
    a, b, elders = drie
    # Including a pupil of their SWV placed at another coalition's school.
    assert zichtbaar(user) == {a.pk, b.pk, elders.pk}


def test_coalition_of_the_school_sees_the_pupil_from_elsewhere(drie):
    from coalitie.models import Coalitie, Rol

    from .conftest import persona

    oost = persona(Rol.PROCESREGISSEUR, coalitie=Coalitie.objects.get(slug="oost"))
    a, b, elders = drie
    assert zichtbaar(oost) == {elders.pk}


@pytest.mark.parametrize(
    "persona_naam",
    [
        "procesregisseur_andere_coalitie",
        "penvoerder_andere_coalitie",
        "beheerder_andere_coalitie",
        "zonder_rol",
    ],
)
def test_outsiders_see_nothing(drie, persona_naam, request):
    user = request.getfixturevalue(persona_naam)
    assert zichtbaar(user) == set()
    assert leerlingen(user) == set()


def test_anonymous_sees_nothing(drie):
    assert zichtbaar(AnonymousUser()) == set()
    assert leerlingen(AnonymousUser()) == set()


def test_inactive_user_sees_nothing(drie, procesregisseur):
    procesregisseur.is_active = False
    procesregisseur.save()
    assert zichtbaar(procesregisseur) == set()


def test_a_user_with_two_roles_sees_the_union(drie, contact_swv_b):
    from coalitie.models import Instellingsschool, Lidmaatschap, Rol

    a, b, elders = drie
    Lidmaatschap.objects.create(
        user=contact_swv_b,
        rol=Rol.MEDEWERKER_INSTELLINGSSCHOOL,
        instellingsschool=Instellingsschool.objects.get(naam="SG Harreveld"),
    )
    contact_swv_b._routetool_scope = None
    assert zichtbaar(contact_swv_b) == {b.pk, elders.pk}
