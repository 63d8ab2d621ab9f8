"""The school-move hole in the Django admin: a coalition's beheerder can no longer reach the
admin at all (platform staff only), and its forms offer and accept only the managing user's own
coalition for anyone scoped (the second line, `coalitie.beheer.toegang`). The in-app beheer
pages have their own write-side tests in test_beheer_app.py."""

import pytest
from django.urls import reverse

from coalitie.models import Coalitie, Instellingsschool, Lidmaatschap, Rol, School, User

from .conftest import SCHAKENBOSCH, SWV_A
from .factories import SchoolFactory, instellingsschool, swv

pytestmark = pytest.mark.django_db

LIMBURG_SWV = "VO 31-01"


def _limburg():
    return Coalitie.objects.get(slug="limburg")


def _swv_limburg():
    return _limburg().swvs.first()


def _leeg_inline(prefix):
    return {
        f"{prefix}-TOTAL_FORMS": "0",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_beheerder_cannot_move_its_residential_school_to_another_coalition(client, beheerder):
    school = instellingsschool(SCHAKENBOSCH)
    eigen = school.coalitie_id
    client.force_login(beheerder)
    r = client.post(
        reverse("admin:coalitie_instellingsschool_change", args=[school.pk]),
        {"naam": school.naam, "aanbieder": school.aanbieder, "coalitie": _limburg().pk}
        | _leeg_inline("locaties"),
    )
    assert r.status_code == 302  # to the admin login: not for coalition beheerders
    school.refresh_from_db()
    assert school.coalitie_id == eigen


def test_beheerder_cannot_create_a_residential_school_in_another_coalition(client, beheerder):
    client.force_login(beheerder)
    r = client.post(
        reverse("admin:coalitie_instellingsschool_add"),
        {"naam": "Nieuwe school elders", "aanbieder": "", "coalitie": _limburg().pk}
        | _leeg_inline("locaties"),
    )
    assert r.status_code == 302
    assert not Instellingsschool.objects.filter(naam="Nieuwe school elders").exists()


def test_beheerder_cannot_create_or_move_a_stamschool_outside_its_coalition(client, beheerder):
    client.force_login(beheerder)
    r = client.post(
        reverse("admin:coalitie_school_add"),
        {"brin": "99ZZ01", "naam": "Elders", "swv": _swv_limburg().pk},
    )
    assert r.status_code == 302
    assert not School.objects.filter(brin="99ZZ01").exists()
    eigen = SchoolFactory(swv=swv(SWV_A))
    r = client.post(
        reverse("admin:coalitie_school_change", args=[eigen.pk]),
        {"brin": eigen.brin, "naam": eigen.naam, "swv": _swv_limburg().pk},
    )
    assert r.status_code == 302
    eigen.refresh_from_db()
    assert eigen.swv == swv(SWV_A)


def test_beheerder_cannot_invite_a_user_into_another_coalition_through_the_admin(client, beheerder):
    client.force_login(beheerder)
    r = client.post(
        reverse("admin:coalitie_user_add"),
        {
            "email": "nieuw@example.org",
            "first_name": "Nieuwe",
            "last_name": "Collega",
            "rol": Rol.SWV_CONTACTPERSOON,
            "swv": _swv_limburg().pk,
        },
    )
    assert r.status_code == 302
    assert not User.objects.filter(email="nieuw@example.org").exists()


def test_beheerder_cannot_give_a_role_in_another_coalition(client, beheerder, contact_swv_a):
    client.force_login(beheerder)
    r = client.post(
        reverse("admin:coalitie_user_change", args=[contact_swv_a.pk]),
        {
            "first_name": "A",
            "last_name": "B",
            "is_active": "on",
            "lidmaatschappen-TOTAL_FORMS": "1",
            "lidmaatschappen-INITIAL_FORMS": "0",
            "lidmaatschappen-MIN_NUM_FORMS": "0",
            "lidmaatschappen-MAX_NUM_FORMS": "1000",
            "lidmaatschappen-0-rol": Rol.BEHEERDER,
            "lidmaatschappen-0-coalitie": _limburg().pk,
        },
    )
    assert r.status_code in (200, 302)
    assert not Lidmaatschap.objects.filter(user=contact_swv_a, coalitie=_limburg()).exists()


def test_beheerder_of_another_coalition_cannot_open_or_change_our_school(
    client, beheerder_andere_coalitie
):
    school = instellingsschool(SCHAKENBOSCH)
    client.force_login(beheerder_andere_coalitie)
    url = reverse("admin:coalitie_instellingsschool_change", args=[school.pk])
    assert client.get(url).status_code == 302  # the admin's "does not exist" redirect
    client.post(
        url,
        {"naam": "Overgenomen", "coalitie": _limburg().pk} | _leeg_inline("locaties"),
    )
    school.refresh_from_db()
    assert school.naam == SCHAKENBOSCH


def test_the_admins_pick_lists_are_limited_for_anyone_scoped_to_coalitions(rf, beheerder):
    """The second line: were the admin opened to a scoped user again, its foreign keys to
    organisations still offer only the own coalition."""
    from django.contrib import admin

    request = rf.get("/")
    request.user = beheerder
    school_admin = admin.site._registry[Instellingsschool]
    veld = school_admin.formfield_for_foreignkey(
        Instellingsschool._meta.get_field("coalitie"), request
    )
    assert list(veld.queryset) == [Coalitie.objects.get(slug="zuid-west")]
    stam_admin = admin.site._registry[School]
    veld = stam_admin.formfield_for_foreignkey(School._meta.get_field("swv"), request)
    assert set(veld.queryset) == set(Coalitie.objects.get(slug="zuid-west").swvs.all())
