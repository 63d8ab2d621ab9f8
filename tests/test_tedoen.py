"""Te doen: what each role must do now, one-click and bulk actions, empty states, scope."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from coalitie.models import Toegangslog
from coalitie.toegang import SYSTEEM
from routetool import route as rk
from routetool.models import Actie, ActieStatus
from routetool.services import route_starten
from tests.conftest import RIJNSTROOM, SWV_A, SWV_B
from tests.factories import PlaatsingFactory, instellingsschool, swv

pytestmark = pytest.mark.django_db


@pytest.fixture
def nieuw():
    """Three new placements: two of SWV A (Schakenbosch), one of SWV B (Rijnstroom)."""
    start = timezone.localdate() - dt.timedelta(days=10)  # acknowledgement overdue
    ps = [
        PlaatsingFactory(startdatum=start, verantwoordelijk_swv=swv(SWV_A)),
        PlaatsingFactory(startdatum=start, verantwoordelijk_swv=swv(SWV_A)),
        PlaatsingFactory(
            startdatum=start,
            verantwoordelijk_swv=swv(SWV_B),
            instellingsschool=instellingsschool(RIJNSTROOM),
        ),
    ]
    route_starten(plaatsingen=ps, door=SYSTEEM)
    return ps


def bevestig_acties(ps):
    return list(
        Actie.objects.filter(plaatsing__in=ps, code=rk.BEVESTIGD)
        .order_by("plaatsing_id")
        .values_list("pk", flat=True)
    )


def test_swv_contact_lands_on_te_doen_after_login(client, contact_swv_a):
    from django.conf import settings

    assert reverse(settings.LOGIN_REDIRECT_URL) == reverse("tedoen")


def test_swv_contact_sees_only_own_acknowledgements_overdue_first(client, contact_swv_a, nieuw):
    client.force_login(contact_swv_a)
    html = client.get(reverse("tedoen")).content.decode()
    assert nieuw[0].leerling.volledige_naam in html
    assert nieuw[1].leerling.volledige_naam in html
    assert nieuw[2].leerling.volledige_naam not in html  # SWV B's pupil
    assert "Geselecteerde plaatsingen bevestigen" in html
    # The page showed two pupils by name: both access logs say so.
    assert set(
        Toegangslog.objects.filter(user=contact_swv_a).values_list("leerling_id", flat=True)
    ) >= {nieuw[0].leerling_id, nieuw[1].leerling_id}


def test_swv_contact_acknowledges_two_at_once(client, contact_swv_a, nieuw):
    ids = bevestig_acties(nieuw[:2])
    client.force_login(contact_swv_a)
    r = client.post(reverse("routetool:tedoen_afronden"), {"ids": ids})
    assert r.status_code == 302 and r.url == reverse("tedoen")
    assert set(Actie.objects.filter(pk__in=ids).values_list("status", flat=True)) == {
        ActieStatus.GEDAAN
    }
    html = client.get(reverse("tedoen")).content.decode()
    assert "2 acties afgerond" in html
    assert "Geen nieuwe plaatsingen die op uw bevestiging wachten" in html


def test_bulk_skips_what_is_not_yours_and_keeps_the_rest(client, contact_swv_a, nieuw):
    eigen, ander = bevestig_acties([nieuw[0]])[0], bevestig_acties([nieuw[2]])[0]
    client.force_login(contact_swv_a)
    client.post(reverse("routetool:tedoen_afronden"), {"ids": [eigen, ander]})
    assert Actie.objects.get(pk=eigen).status == ActieStatus.GEDAAN
    assert Actie.objects.get(pk=ander).status == ActieStatus.OPEN


def test_one_click_button_does_only_its_own_row(client, contact_swv_a, nieuw):
    ids = bevestig_acties(nieuw[:2])
    client.force_login(contact_swv_a)
    client.post(reverse("routetool:tedoen_afronden"), {"een": ids[0], "ids": ids})
    assert [Actie.objects.get(pk=i).status for i in ids] == [ActieStatus.GEDAAN, ActieStatus.OPEN]


def test_actions_that_need_data_are_not_done_by_one_click(client, contact_swv_a, nieuw):
    stamschool = Actie.objects.get(plaatsing=nieuw[0], code=rk.STAMSCHOOL)
    client.force_login(contact_swv_a)
    client.post(reverse("routetool:tedoen_afronden"), {"ids": [stamschool.pk]})
    stamschool.refresh_from_db()
    assert stamschool.status == ActieStatus.OPEN


def test_procesregisseur_sees_overdue_grouped_by_who_must_act(client, procesregisseur, nieuw):
    client.force_login(procesregisseur)
    r = client.get(reverse("tedoen"))
    html = r.content.decode()
    assert "Te laat bij een SWV" in html and "Te laat bij een instellingsschool" in html
    assert "VO 28-07" in html  # the SWV to chase
    swv_sectie = next(s for _, ss in r.context["blokken"] for s in ss if s.sleutel == "regie-swv")
    assert swv_sectie.te_laat == 3  # three acknowledgements overdue
    assert [n for _, n, _ in swv_sectie.per_organisatie] == [2, 1]  # who to chase: SWV A, B


def test_procesregisseur_skips_several_with_one_reason(client, procesregisseur, nieuw):
    ids = bevestig_acties(nieuw)
    client.force_login(procesregisseur)
    client.post(reverse("routetool:tedoen_overslaan"), {"ids": ids, "bulk-reden": ""})
    assert not Actie.objects.filter(pk__in=ids, status=ActieStatus.OVERGESLAGEN).exists()
    client.post(reverse("routetool:tedoen_overslaan"), {"ids": ids, "bulk-reden": "verhuisd"})
    assert Actie.objects.filter(pk__in=ids, status=ActieStatus.OVERGESLAGEN).count() == 3


def test_swv_contact_may_not_skip(client, contact_swv_a, nieuw):
    ids = bevestig_acties(nieuw[:1])
    client.force_login(contact_swv_a)
    client.post(reverse("routetool:tedoen_overslaan"), {"ids": ids, "bulk-reden": "x"})
    assert Actie.objects.get(pk=ids[0]).status == ActieStatus.OPEN


def test_school_records_an_uitschrijving(client, medewerker_schakenbosch, nieuw):
    p = nieuw[0]
    p.verwachte_uitstroomdatum = timezone.localdate()
    p.save()
    client.force_login(medewerker_schakenbosch)
    html = client.get(reverse("tedoen")).content.decode()
    assert "Uitschrijvingen vastleggen" in html and p.leerling.volledige_naam in html
    datum = timezone.localdate().strftime("%d-%m-%Y")
    client.post(
        reverse("routetool:tedoen_uitschrijving", args=[p.pk]),
        {f"uit{p.pk}-datum": datum, f"uit{p.pk}-reden": "mbo"},
    )
    p.refresh_from_db()
    assert p.einddatum == timezone.localdate() and p.fase == "uitstroom"


def test_other_school_cannot_record_an_uitschrijving(client, medewerker_rijnstroom, nieuw):
    p = nieuw[0]
    client.force_login(medewerker_rijnstroom)
    r = client.post(
        reverse("routetool:tedoen_uitschrijving", args=[p.pk]),
        {f"uit{p.pk}-datum": "01-01-2026", f"uit{p.pk}-reden": "mbo"},
    )
    assert r.status_code == 404


def test_empty_states_say_what_nothing_to_do_means(client, contact_swv_b, penvoerder, beheerder):
    client.force_login(contact_swv_b)
    assert "elke nieuwe plaatsing" in client.get(reverse("tedoen")).content.decode()
    client.force_login(penvoerder)
    assert "Geen nieuwe maandlijsten" in client.get(reverse("tedoen")).content.decode()
    client.force_login(beheerder)
    assert (
        "Geen imports die op uw bevestiging wachten"
        in client.get(reverse("tedoen")).content.decode()
    )


def test_te_doen_costs_the_same_queries_for_more_placements(
    client, procesregisseur, django_assert_max_num_queries
):
    def maak(n):
        start = timezone.localdate() - dt.timedelta(days=30)
        route_starten(
            plaatsingen=[PlaatsingFactory(startdatum=start) for _ in range(n)], door=SYSTEEM
        )

    maak(2)
    client.force_login(procesregisseur)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as weinig:
        client.get(reverse("tedoen"))
    maak(15)
    with django_assert_max_num_queries(len(weinig)):
        client.get(reverse("tedoen"))
