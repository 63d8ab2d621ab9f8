"""In-app beheer: a beheerder manages users and organisations of its own coalition only.

The write side of the access matrix for every beheer page: the own beheerder passes, a
beheerder of another coalition gets 404 for our objects and cannot create anything in ours,
other roles get 403, anonymous users are sent to log in.
"""

import pytest
from django.core import mail
from django.urls import reverse

from coalitie.models import Coalitie, Lidmaatschap, Locatie, Rol, School, User

from .conftest import SCHAKENBOSCH, SWV_A, SWV_B
from .factories import LidmaatschapFactory, SchoolFactory, UserFactory, instellingsschool, swv

pytestmark = pytest.mark.django_db


def _limburg():
    return Coalitie.objects.get(slug="limburg")


@pytest.fixture
def collega(db):
    """A contact person of SWV B (Zuid-West) who has not logged in yet."""
    return LidmaatschapFactory(rol=Rol.SWV_CONTACTPERSOON, swv=swv(SWV_B)).user


def test_beheerder_invites_a_contact_of_an_own_swv_and_the_mail_goes_out(
    client, beheerder, django_capture_on_commit_callbacks
):
    client.force_login(beheerder)
    form = client.get(reverse("beheer:gebruiker_nieuw")).context["form"]
    assert set(form.fields["swv"].queryset) == set(
        Coalitie.objects.get(slug="zuid-west").swvs.all()
    )
    assert list(form.fields["coalitie"].queryset) == [Coalitie.objects.get(slug="zuid-west")]
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(
            reverse("beheer:gebruiker_nieuw"),
            {
                "email": "Nieuw@Example.org",
                "voornaam": "Nina",
                "achternaam": "Nieuw",
                "rol": Rol.SWV_CONTACTPERSOON,
                "swv": swv(SWV_A).pk,
            },
        )
    assert r.status_code == 302
    user = User.objects.get(email="nieuw@example.org")
    assert Lidmaatschap.objects.get(user=user).swv == swv(SWV_A)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nieuw@example.org"]


def test_inviting_into_another_coalitions_swv_is_a_form_error_and_keeps_the_form(client, beheerder):
    client.force_login(beheerder)
    r = client.post(
        reverse("beheer:gebruiker_nieuw"),
        {
            "email": "x@example.org",
            "voornaam": "X",
            "achternaam": "Y",
            "rol": Rol.SWV_CONTACTPERSOON,
            "swv": _limburg().swvs.first().pk,
        },
    )
    assert r.status_code == 200
    assert r.context["form"].errors["swv"]
    assert r.context["form"]["email"].value() == "x@example.org"
    assert not User.objects.filter(email="x@example.org").exists()


def test_beheerder_adds_and_withdraws_a_role_resends_and_deactivates(
    client, beheerder, collega, django_capture_on_commit_callbacks
):
    client.force_login(beheerder)
    url = reverse("beheer:gebruiker", args=[collega.pk])
    r = client.post(
        url,
        {
            "wat": "rol",
            "rol": Rol.PROCESREGISSEUR,
            "coalitie": Coalitie.objects.get(slug="zuid-west").pk,
        },
    )
    assert r.status_code == 302
    assert collega.lidmaatschappen.filter(rol=Rol.PROCESREGISSEUR).exists()
    lid = collega.lidmaatschappen.get(rol=Rol.PROCESREGISSEUR)
    client.post(reverse("beheer:rol_intrekken", args=[collega.pk, lid.pk]))
    assert not collega.lidmaatschappen.filter(rol=Rol.PROCESREGISSEUR).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("beheer:uitnodiging_opnieuw", args=[collega.pk]))
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [collega.email]
    client.post(reverse("beheer:deactiveren", args=[collega.pk]))
    collega.refresh_from_db()
    assert not collega.is_active and not collega.lidmaatschappen.exists()


def test_deactivating_keeps_the_roles_of_another_coalition(client, beheerder, collega):
    LidmaatschapFactory(user=collega, rol=Rol.PENVOERDER, coalitie=_limburg())
    client.force_login(beheerder)
    client.post(reverse("beheer:deactiveren", args=[collega.pk]))
    collega.refresh_from_db()
    assert collega.is_active
    assert list(collega.lidmaatschappen.values_list("rol", flat=True)) == [Rol.PENVOERDER]
    # ... and our page never shows (or offers to withdraw) the other coalition's role.
    html = client.get(reverse("beheer:gebruikers")).content.decode()
    assert "Onderwijscoalitie Limburg" not in html


def test_beheerder_of_another_coalition_can_neither_see_nor_change_our_users(
    client, beheerder_andere_coalitie, collega
):
    client.force_login(beheerder_andere_coalitie)
    assert collega.email not in client.get(reverse("beheer:gebruikers")).content.decode()
    lid = collega.lidmaatschappen.get()
    for naam, kwargs in [
        ("beheer:gebruiker", {"pk": collega.pk}),
        ("beheer:rol_intrekken", {"pk": collega.pk, "lid_pk": lid.pk}),
        ("beheer:deactiveren", {"pk": collega.pk}),
        ("beheer:uitnodiging_opnieuw", {"pk": collega.pk}),
    ]:
        assert (
            client.post(
                reverse(naam, kwargs=kwargs), {"wat": "naam", "voornaam": "Gekaapt"}
            ).status_code
            == 404
        )
    collega.refresh_from_db()
    assert (
        collega.is_active and collega.first_name != "Gekaapt" and collega.lidmaatschappen.exists()
    )
    # Giving our SWV's role to one of their own users fails too.
    eigen = LidmaatschapFactory(rol=Rol.PENVOERDER, coalitie=_limburg()).user
    r = client.post(
        reverse("beheer:gebruiker", args=[eigen.pk]),
        {"wat": "rol", "rol": Rol.SWV_CONTACTPERSOON, "swv": swv(SWV_A).pk},
    )
    assert r.status_code == 200 and not eigen.lidmaatschappen.filter(swv=swv(SWV_A)).exists()


def test_beheerder_of_another_coalition_cannot_change_or_create_our_organisations(
    client, beheerder_andere_coalitie
):
    school = instellingsschool(SCHAKENBOSCH)
    stam = SchoolFactory(swv=swv(SWV_A))
    locatie = school.locaties.first()
    client.force_login(beheerder_andere_coalitie)
    for url in [
        reverse("beheer:instellingsschool", args=[school.pk]),
        reverse("beheer:stamschool", args=[stam.pk]),
        reverse("beheer:locatie_nieuw", args=[school.pk]),
        reverse("beheer:locatie", args=[school.pk, locatie.pk]),
    ]:
        assert client.get(url).status_code == 404, url
        assert (
            client.post(
                url, {"naam": "Gekaapt", "aanbieder": "X", "swv": swv(SWV_A).pk}
            ).status_code
            == 404
        ), url
    r = client.post(
        reverse("beheer:stamschool_nieuw"),
        {"brin": "98ZZ01", "naam": "Elders", "swv": swv(SWV_A).pk},
    )
    assert r.status_code == 200 and not School.objects.filter(brin="98ZZ01").exists()
    stam.refresh_from_db()
    assert stam.naam != "Gekaapt" and not Locatie.objects.filter(naam="Gekaapt").exists()


def test_beheerder_edits_own_organisations_but_cannot_move_a_stamschool_out(client, beheerder):
    school = instellingsschool(SCHAKENBOSCH)
    stam = SchoolFactory(swv=swv(SWV_A))
    client.force_login(beheerder)
    r = client.post(
        reverse("beheer:stamschool", args=[stam.pk]),
        {"naam": "Nieuwe naam", "swv": _limburg().swvs.first().pk},
    )
    assert r.status_code == 200  # form error: not one of our SWVs
    stam.refresh_from_db()
    assert stam.swv == swv(SWV_A)
    r = client.post(
        reverse("beheer:stamschool", args=[stam.pk]), {"naam": "Nieuwe naam", "swv": swv(SWV_B).pk}
    )
    assert r.status_code == 302
    stam.refresh_from_db()
    assert (stam.naam, stam.swv) == ("Nieuwe naam", swv(SWV_B))
    r = client.post(
        reverse("beheer:locatie_nieuw", args=[school.pk]),
        {"naam": "De Nieuwe Haven", "plaats": "Rotterdam"},
    )
    assert r.status_code == 302 and school.locaties.filter(naam="De Nieuwe Haven").exists()
    r = client.post(
        reverse("beheer:instellingsschool", args=[school.pk]),
        {
            "aanbieder": "iHUB",
            "overeenkomst_verplicht_vanaf": "2025-06-01",
            "coalitie": _limburg().pk,
        },
    )
    assert r.status_code == 302
    school.refresh_from_db()
    assert school.coalitie.slug == "zuid-west"


@pytest.mark.parametrize(
    "persona", ["contact_swv_a", "procesregisseur", "penvoerder", "medewerker_schakenbosch"]
)
def test_other_roles_get_403_on_beheer_pages(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for naam in (
        "beheer:index",
        "beheer:gebruikers",
        "beheer:gebruiker_nieuw",
        "beheer:organisaties",
        "beheer:stamschool_nieuw",
    ):
        assert client.get(reverse(naam)).status_code == 403
    assert client.post(reverse("beheer:gebruiker_nieuw"), {"email": "a@b.nl"}).status_code == 403


def test_anonymous_is_sent_to_login(client):
    r = client.get(reverse("beheer:gebruikers"))
    assert r.status_code == 302 and "login" in r.url


def test_one_coalition_role_is_not_listed_twice_and_users_of_others_are_absent(client, beheerder):
    ander = UserFactory()
    LidmaatschapFactory(user=ander, rol=Rol.BEHEERDER, coalitie=_limburg())
    client.force_login(beheerder)
    html = client.get(reverse("beheer:gebruikers")).content.decode()
    assert ander.email not in html and beheerder.email in html
