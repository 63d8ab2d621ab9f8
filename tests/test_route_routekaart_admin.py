import pytest
from django.urls import reverse

from coalitie.models import Coalitie
from routetool.models import Routekaart
from routetool.routekaart_standaard import STANDAARD

pytestmark = pytest.mark.django_db


def test_a_beheerder_creates_the_coalitions_routekaart_filled_with_the_defaults(client, beheerder):
    client.force_login(beheerder)
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


def test_a_beheerder_only_sees_the_routekaart_of_their_own_coalition(client, beheerder):
    eigen = Routekaart.objects.create(coalitie=Coalitie.objects.get(slug="zuid-west"))
    ander = Routekaart.objects.create(coalitie=Coalitie.objects.get(slug="limburg"))
    client.force_login(beheerder)
    lijst = client.get(reverse("admin:routetool_routekaart_changelist"))
    assert list(lijst.context["cl"].queryset) == [eigen]
    assert (
        client.get(reverse("admin:routetool_routekaart_change", args=[ander.pk])).status_code == 302
    )
    r = client.get(reverse("admin:routetool_routekaart_add"))
    assert list(r.context["adminform"].form.fields["coalitie"].queryset) == [eigen.coalitie]
