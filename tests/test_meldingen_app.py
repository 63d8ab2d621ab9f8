"""Meldingen in the app: who gets which, once, without pupil names; the header count and the
list page with mark-read."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coalitie.meldingen import melden
from coalitie.models import Melding
from coalitie.toegang import SYSTEEM
from routetool import route as rk
from routetool.meldingen_route import te_laat_melden
from routetool.models import Actie
from routetool.services import actie_afronden, route_starten
from tests.conftest import SWV_A
from tests.factories import PlaatsingFactory, swv

pytestmark = pytest.mark.django_db


def test_new_placements_make_one_melding_for_the_swv_contact(
    contact_swv_a, contact_swv_b, django_capture_on_commit_callbacks
):
    ps = [PlaatsingFactory(verantwoordelijk_swv=swv(SWV_A)) for _ in range(2)]
    with django_capture_on_commit_callbacks(execute=True):
        route_starten(plaatsingen=ps, door=SYSTEEM)
    m = Melding.objects.get(user=contact_swv_a, soort="nieuwe_plaatsing")
    assert m.tekst.startswith("2 nieuwe plaatsingen voor VO 28-06")
    for p in ps:
        assert p.leerling.achternaam not in m.tekst
    assert not Melding.objects.filter(user=contact_swv_b).exists()


def test_overdue_action_is_reported_once_to_whoever_must_do_it(
    contact_swv_a, medewerker_schakenbosch
):
    p = PlaatsingFactory(startdatum=timezone.localdate() - dt.timedelta(days=9))
    route_starten(plaatsingen=[p], door=SYSTEEM)
    bevestig = Actie.objects.get(plaatsing=p, code=rk.BEVESTIGD)
    vandaag = bevestig.deadline + dt.timedelta(days=1)
    assert te_laat_melden(vandaag) >= 1
    assert te_laat_melden(vandaag) == 0  # idempotent: the sleutel per action
    m = Melding.objects.get(user=contact_swv_a, sleutel=f"te-laat:{bevestig.pk}")
    assert "Te laat" in m.tekst and p.leerling.achternaam not in m.tekst
    assert not Melding.objects.filter(
        user=medewerker_schakenbosch, sleutel=f"te-laat:{bevestig.pk}"
    ).exists()


def test_change_by_someone_else_is_reported_to_who_worked_on_it(
    client, contact_swv_a, procesregisseur, django_capture_on_commit_callbacks
):
    p = PlaatsingFactory(startdatum=timezone.localdate() - dt.timedelta(days=20))
    route_starten(plaatsingen=[p], door=SYSTEEM)
    stamschool = Actie.objects.get(plaatsing=p, code=rk.STAMSCHOOL)
    actie_afronden(actie_id=stamschool.pk, door=contact_swv_a, gegevens={"geen_stamschool": True})
    bevestig = Actie.objects.get(plaatsing=p, code=rk.BEVESTIGD)
    client.force_login(procesregisseur)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("routetool:tedoen_afronden"), {"een": bevestig.pk})
    m = Melding.objects.get(user=contact_swv_a, soort="wijziging")
    assert "Schakenbosch" in m.tekst and p.leerling.achternaam not in m.tekst
    assert not Melding.objects.filter(user=procesregisseur, soort="wijziging").exists()


def test_header_shows_unread_count_and_list_marks_read(client, contact_swv_a, contact_swv_b):
    melden([contact_swv_a], "test", "Eerste", url="/te-doen/")
    melden([contact_swv_a], "test", "Tweede")
    melden([contact_swv_b], "test", "Van een ander")
    client.force_login(contact_swv_a)
    html = client.get(reverse("tedoen")).content.decode()
    assert 'Meldingen <span class="teller"' in html and ">2<" in html
    lijst = client.get(reverse("coalitie:meldingen")).content.decode()
    assert "Eerste" in lijst and "Tweede" in lijst and "Van een ander" not in lijst
    eerste = Melding.objects.get(tekst="Eerste")
    r = client.post(reverse("coalitie:melding_open", args=[eerste.pk]))
    assert r.status_code == 302 and r.url == "/te-doen/"
    eerste.refresh_from_db()
    assert eerste.gelezen_op is not None
    client.post(reverse("coalitie:meldingen_gelezen"))
    assert not Melding.objects.filter(user=contact_swv_a, gelezen_op__isnull=True).exists()


def test_someone_elses_melding_is_404(client, contact_swv_a, contact_swv_b):
    melden([contact_swv_b], "test", "Van een ander", url="/")
    m = Melding.objects.get(user=contact_swv_b)
    client.force_login(contact_swv_a)
    assert client.post(reverse("coalitie:melding_open", args=[m.pk])).status_code == 404
    m.refresh_from_db()
    assert m.gelezen_op is None


def test_melding_url_never_leaves_the_site(client, contact_swv_a):
    melden([contact_swv_a], "test", "Raar", url="https://example.org/")
    m = Melding.objects.get(user=contact_swv_a)
    client.force_login(contact_swv_a)
    assert client.post(reverse("coalitie:melding_open", args=[m.pk])).url == reverse(
        "coalitie:meldingen"
    )


def test_a_mailed_monthly_list_is_a_melding_once_for_contacts_and_penvoerder(
    contact_swv_a, contact_swv_b, penvoerder, mailoutbox
):
    from rapportage.services import maandlijst_mailen, maandlijst_maken

    lijst, _ = maandlijst_maken(swv=swv(SWV_A), maand=dt.date(2025, 10, 1), door=SYSTEEM)
    assert maandlijst_mailen(maandlijst_id=lijst.pk)
    assert not maandlijst_mailen(maandlijst_id=lijst.pk)
    ontvangers = set(
        Melding.objects.filter(soort="maandlijst_klaar").values_list("user_id", flat=True)
    )
    assert ontvangers == {contact_swv_a.pk, penvoerder.pk}
    assert Melding.objects.get(user=contact_swv_a).url == reverse(
        "rapportage:detail", args=[lijst.pk]
    )
