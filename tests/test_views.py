import pytest
from django.urls import reverse

from .factories import PlaatsingFactory, swv

pytestmark = pytest.mark.django_db


def test_home_lists_only_own_placements(client, contact_swv_a, plaatsing_a, plaatsing_b):
    client.force_login(contact_swv_a)
    html = client.get(reverse("home")).content.decode()
    # By link, not by surname: generated surnames can repeat (or match a colleague's name).
    assert reverse("plaatsingen:detail", args=[plaatsing_a.pk]) in html
    assert reverse("plaatsingen:detail", args=[plaatsing_b.pk]) not in html


def test_home_filters_on_fase_swv_and_school(client, procesregisseur, plaatsing_a, plaatsing_b):
    client.force_login(procesregisseur)
    r = client.get(reverse("home"), {"swv": swv("VO 28-07").pk})
    assert list(r.context["pagina"].object_list) == [plaatsing_b]
    r = client.get(reverse("home"), {"school": plaatsing_a.instellingsschool_id})
    assert list(r.context["pagina"].object_list) == [plaatsing_a]
    r = client.get(reverse("home"), {"fase": "verblijf"})
    assert list(r.context["pagina"].object_list) == []


def test_home_pages_and_does_not_query_per_row(
    client, procesregisseur, django_assert_max_num_queries
):
    PlaatsingFactory.create_batch(40)
    client.force_login(procesregisseur)
    with django_assert_max_num_queries(15):
        r = client.get(reverse("home"))
    assert len(r.context["pagina"].object_list) == 25
    assert client.get(reverse("home"), {"pagina": 2}).context["pagina"].number == 2


def test_user_without_role_is_told_what_to_do(client, zonder_rol):
    client.force_login(zonder_rol)
    assert "beheerder van uw coalitie" in client.get(reverse("home")).content.decode()


def test_detail_shows_the_placement_to_its_swv(client, contact_swv_a, plaatsing_a):
    client.force_login(contact_swv_a)
    r = client.get(reverse("plaatsingen:detail", args=[plaatsing_a.pk]))
    assert r.status_code == 200
    assert plaatsing_a.leerling.achternaam in r.content.decode()


def test_contact_of_other_swv_gets_404_like_a_missing_placement(client, contact_swv_b, plaatsing_a):
    client.force_login(contact_swv_b)
    niet_van_mij = client.get(reverse("plaatsingen:detail", args=[plaatsing_a.pk]))
    bestaat_niet = client.get(reverse("plaatsingen:detail", args=[plaatsing_a.pk + 999]))
    assert niet_van_mij.status_code == bestaat_niet.status_code == 404
    assert plaatsing_a.leerling.achternaam not in niet_van_mij.content.decode()


def test_anonymous_is_sent_to_login(client, plaatsing_a):
    r = client.get(reverse("plaatsingen:detail", args=[plaatsing_a.pk]))
    assert r.status_code == 302 and r.url.startswith(reverse("account_login"))


def test_admin_is_for_superusers_only_not_for_coalition_beheerders(
    client, beheerder, contact_swv_a
):
    from coalitie.models import User

    from .conftest import met_totp

    for persona in (contact_swv_a, beheerder):
        client.force_login(persona)
        assert client.get(reverse("admin:index")).status_code == 302
        assert client.get(reverse("admin:coalitie_instellingsschool_changelist")).status_code == 302
    client.force_login(met_totp(User.objects.create_superuser("root@example.org", "x-geheim-123")))
    html = client.get(reverse("admin:coalitie_instellingsschool_changelist")).content.decode()
    assert "Schakenbosch" in html and "SG Harreveld" in html
