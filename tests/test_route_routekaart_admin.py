import pytest
from django.urls import reverse

from coalitie.models import Coalitie
from routetool.models import Routekaart
from routetool.route import STANDAARD_ROUTEKAART as STANDAARD

pytestmark = pytest.mark.django_db


def test_platform_staff_create_a_coalitions_routekaart_filled_with_the_defaults(client):
    from coalitie.models import User

    from .conftest import met_totp

    client.force_login(met_totp(User.objects.create_superuser("root@example.org", "x-geheim-1")))
    zuid_west = Coalitie.objects.get(slug="zuid-west")
    r = client.post(
        reverse("admin:routetool_routekaart_add"),
        {
            "coalitie": zuid_west.pk,
            "acties-TOTAL_FORMS": "0",
            "acties-INITIAL_FORMS": "0",
            "acties-MIN_NUM_FORMS": "0",
            "acties-MAX_NUM_FORMS": "1000",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    kaart = Routekaart.objects.get(coalitie=zuid_west)
    assert kaart.acties.count() == len(STANDAARD)


def test_a_beheerder_edits_the_routekaart_in_the_app_not_in_the_admin(client, beheerder):
    ander = Routekaart.objects.create(coalitie=Coalitie.objects.get(slug="limburg"))
    client.force_login(beheerder)
    assert client.get(reverse("admin:routetool_routekaart_changelist")).status_code == 302
    assert (
        client.get(reverse("admin:routetool_routekaart_change", args=[ander.pk])).status_code == 302
    )
    zuid_west = Coalitie.objects.get(slug="zuid-west")
    assert client.get(reverse("routetool:routekaart", args=[zuid_west.pk])).status_code == 200
