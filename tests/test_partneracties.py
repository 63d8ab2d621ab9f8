"""Issue 17 (17b): the partners' own actions in the route. Who may do them is asked of
`routetool/route.py` on role sets; the SWV doing them for a partner not in the app is tested
end to end (partner users end to end come with 17a's deelnemers)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import escape

from coalitie.models import Coalitie
from coalitie.toegang import SYSTEEM, RouteRol
from routetool import route, services
from routetool.models import Actie, ActieStatus, Routekaart, RoutekaartActie
from routetool.retentie import leerling_schonen
from routetool.states import Fase

from .conftest import SCHAKENBOSCH, SWV_A
from .factories import instellingsschool, swv
from .test_route_transities import VANDAAG, gestart, in_fase

pytestmark = pytest.mark.django_db
R = RouteRol


class _A:
    def __init__(self, wie):
        self.wie = wie


@pytest.mark.parametrize(
    ("rollen", "wie", "mag", "namens"),
    [
        ({R.STAMSCHOOL}, R.STAMSCHOOL, True, False),
        ({R.SWV}, R.STAMSCHOOL, True, True),
        ({R.SWV}, R.VERVOLGSCHOOL, True, True),
        ({R.SWV}, R.AMBULANT, True, True),
        ({R.VERVOLGSCHOOL}, R.VERVOLGSCHOOL, True, False),
        ({R.AMBULANT}, R.AMBULANT, True, False),
        # A partner does only its own actions.
        ({R.STAMSCHOOL}, R.SWV, False, False),
        ({R.STAMSCHOOL}, R.INSTELLINGSSCHOOL, False, False),
        ({R.STAMSCHOOL}, R.VERVOLGSCHOOL, False, False),
        ({R.VERVOLGSCHOOL}, R.STAMSCHOOL, False, False),
        ({R.AMBULANT}, R.SWV, False, False),
        # The residential school does not act for the partners; the SWV does.
        ({R.INSTELLINGSSCHOOL}, R.STAMSCHOOL, False, False),
        ({R.INSTELLINGSSCHOOL}, R.VERVOLGSCHOOL, False, False),
        # Holding the partner role itself: done as the partner, not for it.
        ({R.SWV, R.STAMSCHOOL}, R.STAMSCHOOL, True, False),
        ({R.PROCESREGISSEUR}, R.STAMSCHOOL, True, False),
        (set(), R.STAMSCHOOL, False, False),
    ],
)
def test_who_may_do_a_partners_action(rollen, wie, mag, namens):
    actie = _A(wie)
    assert route.mag_actie_doen(frozenset(rollen), actie) is mag
    assert route.doet_namens(frozenset(rollen), actie) is namens


def test_the_default_routekaart_gives_the_partners_their_actions():
    wie = {s.code: s.wie for s in route.STANDAARD_ROUTEKAART}
    assert wie[route.STAMSCHOOL_BEVESTIGT] == R.STAMSCHOOL
    assert wie[route.VOORTGANG_STAMSCHOOL] == R.STAMSCHOOL
    assert wie[route.OVEREENKOMST] == R.STAMSCHOOL
    assert wie[route.OVERDRACHT_GEACCEPTEERD] == R.VERVOLGSCHOOL
    assert wie[route.INSCHRIJVING_BEVESTIGD] == R.VERVOLGSCHOOL
    assert wie[route.AMBULANT] == R.AMBULANT
    # The SWV still records which school is the stamschool (17a's kind).
    assert wie[route.STAMSCHOOL] == R.SWV


def _swv_plaatsing(fase=Fase.INSTROOM):
    kwargs = {
        "instellingsschool": instellingsschool(SCHAKENBOSCH),
        "verantwoordelijk_swv": swv(SWV_A),
    }
    return gestart(**kwargs) if fase == Fase.INSTROOM else in_fase(fase, **kwargs)


def _post(client, actie, velden: dict, follow=True):
    return client.post(
        reverse("routetool:actie_afronden", args=[actie.pk]),
        {f"actie{actie.pk}-{k}": v for k, v in velden.items()},
        follow=follow,
    )


def test_the_swv_confirms_for_the_stamschool_contact_and_enrolment(client, contact_swv_a):
    with time_machine.travel(VANDAAG):
        p = _swv_plaatsing()
        a = Actie.objects.get(plaatsing=p, code=route.STAMSCHOOL_BEVESTIGT)
        client.force_login(contact_swv_a)
        pagina = client.get(reverse("plaatsingen:detail", args=[p.pk])).content.decode()
        assert "Afronden namens de stamschool" in pagina
        assert f'name="actie{a.pk}-blijft_ingeschreven"' in pagina
        # Without whether the pupil stays enrolled: refused in Dutch, nothing done.
        r = _post(client, a, {"contact_naam": "J. de Vries", "contact_email": "jdv@school.nl"})
        a.refresh_from_db()
        assert a.status == ActieStatus.OPEN
        assert "ingeschreven blijft" in r.content.decode()
        r = _post(
            client,
            a,
            {
                "contact_naam": "J. de Vries",
                "contact_email": "jdv@school.nl",
                "blijft_ingeschreven": "ja",
            },
        )
        a.refresh_from_db()
        assert a.status == ActieStatus.GEDAAN and a.gedaan_door == contact_swv_a
        assert a.gegevens["blijft_ingeschreven"] == "ja"
        assert a.gegevens["namens"] == R.STAMSCHOOL  # done for the partner, and it shows
        tekst = r.content.decode()
        assert f"door {escape(str(contact_swv_a))} namens de stamschool" in tekst
        assert "Contactpersoon stamschool: J. de Vries jdv@school.nl" in tekst
        assert "De leerling blijft bij de stamschool ingeschreven." in tekst


def test_without_a_stamschool_there_is_nothing_to_confirm(contact_swv_a):
    with time_machine.travel(VANDAAG):
        p = _swv_plaatsing()
        p.geen_stamschool = True
        p.save(update_fields=["geen_stamschool"])
        a = Actie.objects.get(plaatsing=p, code=route.STAMSCHOOL_BEVESTIGT)
        services.actie_afronden(actie_id=a.pk, door=contact_swv_a, gegevens={})
        a.refresh_from_db()
        assert a.status == ActieStatus.GEDAAN
        assert a.gegevens == {"geen_stamschool": True, "namens": R.STAMSCHOOL}


def test_the_residential_school_can_no_longer_sign_for_the_stamschool(
    client, medewerker_schakenbosch
):
    with time_machine.travel(VANDAAG):
        p = _swv_plaatsing()
        a = Actie.objects.get(plaatsing=p, code=route.OVEREENKOMST)
        client.force_login(medewerker_schakenbosch)
        pagina = client.get(reverse("plaatsingen:detail", args=[p.pk])).content.decode()
        assert f'name="actie{a.pk}-ondertekend_door"' not in pagina
        r = _post(
            client,
            a,
            {"ondertekend_op": "2025-11-20", "ondertekend_door": "mevr. Jansen"},
            follow=False,
        )
        assert r.status_code == 403
        a.refresh_from_db()
        assert a.status == ActieStatus.OPEN
        with pytest.raises(PermissionDenied):
            services.actie_afronden(
                actie_id=a.pk,
                door=medewerker_schakenbosch,
                gegevens={"ondertekend_op": VANDAAG, "ondertekend_door": "x"},
            )


def test_the_stamschool_attendance_of_a_progress_meeting_is_recorded(client, contact_swv_a):
    with time_machine.travel(VANDAAG):
        p = _swv_plaatsing(Fase.VERBLIJF)
        a = Actie.objects.get(plaatsing=p, code=route.VOORTGANG_STAMSCHOOL)
        assert not a.verplicht and a.is_herhalend
        client.force_login(contact_swv_a)
        r = _post(client, a, {"datum": "24-11-2025", "aanwezig": "nee"})
        a.refresh_from_db()
        assert a.status == ActieStatus.GEDAAN
        assert "Gesprek op 24-11-2025: stamschool niet aanwezig" in r.content.decode()
        # Recurring: the next meeting is due three months on.
        volgende = Actie.objects.get(
            plaatsing=p, code=route.VOORTGANG_STAMSCHOOL, status=ActieStatus.OPEN
        )
        assert volgende.deadline == dt.date(2026, 2, 24)
        # A date in the future is refused.
        r = _post(client, volgende, {"datum": "2025-12-01", "aanwezig": "ja"})
        volgende.refresh_from_db()
        assert volgende.status == ActieStatus.OPEN


def test_the_vervolgschool_accepts_and_confirms_the_enrolment_swv_for_it(client, contact_swv_a):
    with time_machine.travel(VANDAAG):
        p = _swv_plaatsing(Fase.UITSTROOM)
        p.vervolgplek_soort, p.vervolgplek_startdatum = "mbo", VANDAAG
        p.save(update_fields=["vervolgplek_soort", "vervolgplek_startdatum"])
        # in_fase walks with every action done; reopen the two of the vervolgschool.
        Actie.objects.filter(
            plaatsing=p, code__in=[route.OVERDRACHT_GEACCEPTEERD, route.INSCHRIJVING_BEVESTIGD]
        ).update(status=ActieStatus.OPEN)
        accept = Actie.objects.get(plaatsing=p, code=route.OVERDRACHT_GEACCEPTEERD)
        inschr = Actie.objects.get(plaatsing=p, code=route.INSCHRIJVING_BEVESTIGD)
        client.force_login(contact_swv_a)
        pagina = client.get(reverse("plaatsingen:detail", args=[p.pk])).content.decode()
        assert "Afronden namens de vervolgschool" in pagina
        _post(client, accept, {})
        accept.refresh_from_db()
        assert accept.status == ActieStatus.OPEN  # the box must be ticked
        _post(client, accept, {"geaccepteerd": "on"})
        accept.refresh_from_db()
        assert accept.status == ActieStatus.GEDAAN
        r = _post(client, inschr, {"ingeschreven_per": "01-12-2025"})
        inschr.refresh_from_db()
        p.refresh_from_db()
        assert inschr.status == ActieStatus.GEDAAN
        # The school's date is the start at the vervolgplek (nazorg counts from it).
        assert p.vervolgplek_startdatum == dt.date(2025, 12, 1)
        assert "Ingeschreven per 01-12-2025" in r.content.decode()


def test_the_ambulant_hours_are_the_ambulant_begeleiders_the_swv_may_record_them(
    contact_swv_a, medewerker_schakenbosch
):
    with time_machine.travel(VANDAAG):
        p = _swv_plaatsing(Fase.UITSTROOM)
        a = Actie.objects.get(plaatsing=p, code=route.AMBULANT)
        a.status = ActieStatus.OPEN
        a.save(update_fields=["status"])
        assert a.wie == R.AMBULANT
        with pytest.raises(PermissionDenied):
            services.actie_afronden(
                actie_id=a.pk, door=medewerker_schakenbosch, gegevens={"uren_gepland": 20}
            )
        services.actie_afronden(
            actie_id=a.pk, door=contact_swv_a, gegevens={"uren_gepland": 20, "uren_gebruikt": 4}
        )
        a.refresh_from_db()
        assert (a.status, a.uren_gepland, a.uren_gebruikt) == (ActieStatus.GEDAAN, 20, 4)


def test_retention_empties_the_stamschool_contact():
    with time_machine.travel(VANDAAG):
        p = _swv_plaatsing()
        a = Actie.objects.get(plaatsing=p, code=route.STAMSCHOOL_BEVESTIGT)
        services.actie_afronden(
            actie_id=a.pk,
            door=SYSTEEM,
            gegevens={
                "contact_naam": "J. de Vries",
                "contact_telefoon": "0612345678",
                "blijft_ingeschreven": "nee",
            },
        )
        leerling_schonen(p.leerling_id, None)
        a.refresh_from_db()
        assert a.gegevens["contact_naam"] == "" and a.gegevens["contact_telefoon"] == ""
        assert a.gegevens["blijft_ingeschreven"] == "nee"  # a fact about the route stays


def test_te_doen_shows_the_swv_its_partners_actions_for_them(client, contact_swv_a):
    with time_machine.travel(VANDAAG + dt.timedelta(days=21)):
        p = _swv_plaatsing()
    with time_machine.travel(VANDAAG + dt.timedelta(days=21)):
        client.force_login(contact_swv_a)
        tekst = client.get(reverse("tedoen")).content.decode()
    assert 'id="swv-partners"' in tekst
    assert "Stamschool bevestigt contactpersoon" in tekst
    assert "(namens de stamschool)" in tekst
    assert p.leerling.achternaam in tekst


def test_te_doen_of_the_procesregisseur_chases_partners_through_the_swv(client, procesregisseur):
    with time_machine.travel(VANDAAG):
        _swv_plaatsing()
    with time_machine.travel(VANDAAG + dt.timedelta(days=40)):
        client.force_login(procesregisseur)
        tekst = client.get(reverse("tedoen")).content.decode()
    assert 'id="regie-partners"' in tekst
    assert "stamschool, via" in tekst


def test_the_migration_gives_existing_routekaarten_the_partner_actions():
    migratie = importlib.import_module("routetool.migrations.0007_partneracties")
    coalitie = Coalitie.objects.first()
    kaart = Routekaart.objects.create(coalitie=coalitie)
    services.routekaart_vullen_met_standaard(routekaart=kaart)
    # As it was before issue 17: remove the new rows, put the old hands back; one coalition
    # had given the ambulant hours to the school itself.
    kaart.acties.filter(code__in=[n[2] for n in migratie.NIEUW]).delete()
    kaart.acties.filter(code=route.OVEREENKOMST).update(wie=R.INSTELLINGSSCHOOL)
    kaart.acties.filter(code=route.INSCHRIJVING_BEVESTIGD).update(wie=R.SWV)
    kaart.acties.filter(code=route.AMBULANT).update(wie=R.INSTELLINGSSCHOOL)
    migratie.vooruit(django_apps, None)
    migratie.vooruit(django_apps, None)  # twice: nothing doubled
    wie = dict(kaart.acties.values_list("code", "wie"))
    assert wie[route.STAMSCHOOL_BEVESTIGT] == R.STAMSCHOOL
    assert wie[route.OVERDRACHT_GEACCEPTEERD] == R.VERVOLGSCHOOL
    assert wie[route.OVEREENKOMST] == R.STAMSCHOOL
    assert wie[route.INSCHRIJVING_BEVESTIGD] == R.VERVOLGSCHOOL
    assert wie[route.AMBULANT] == R.INSTELLINGSSCHOOL  # the coalition's own choice stays
    assert kaart.acties.count() == len(route.STANDAARD_ROUTEKAART)
    assert RoutekaartActie.objects.filter(code=route.STAMSCHOOL_BEVESTIGT).count() == 1


def test_a_partners_overdue_action_is_reported_to_the_swv(contact_swv_a, medewerker_schakenbosch):
    from coalitie.models import Melding
    from routetool.meldingen_route import te_laat_melden

    with time_machine.travel(VANDAAG):
        p = _swv_plaatsing()
    a = Actie.objects.get(plaatsing=p, code=route.STAMSCHOOL_BEVESTIGT)
    assert te_laat_melden(a.deadline + dt.timedelta(days=1)) >= 1
    m = Melding.objects.get(user=contact_swv_a, sleutel=f"te-laat:{a.pk}")
    assert "Stamschool bevestigt" in m.tekst and p.leerling.achternaam not in m.tekst
    assert not Melding.objects.filter(user=medewerker_schakenbosch, sleutel=f"te-laat:{a.pk}")
