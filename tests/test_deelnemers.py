"""Issue 17: the casusregisseur of a placement and the deelnemers invited to one placement."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coalitie.models import Toegangslog
from coalitie.toegang import SYSTEEM, RouteRol, route_rollen
from plaatsingen import deelnemers
from plaatsingen.models import Plaatsing
from routetool.models import Actie
from routetool.route import SIGNALEN_OP_KEY
from routetool.services import route_starten

from .conftest import SWV_A, deelnemer_van, met_totp
from .factories import LeerlingFactory, PlaatsingFactory, instellingsschool, swv

pytestmark = pytest.mark.django_db


def _plaatsing(roepnaam="Merel", achternaam="Vinkenoog", nummer="4455667"):
    leerling = LeerlingFactory(
        roepnaam=roepnaam,
        achternaam=achternaam,
        leerlingnummer=nummer,
        geboortedatum=dt.date(2011, 3, 4),
    )
    p = PlaatsingFactory(
        leerling=leerling,
        verantwoordelijk_swv=swv(SWV_A),
        instellingsschool=instellingsschool("Schakenbosch Onderwijs & Werk"),
    )
    route_starten(plaatsingen=[p], door=SYSTEEM)
    return Plaatsing.objects.get(pk=p.pk)


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_deelnemer_holds_their_partner_role_on_that_placement_only(plaatsing_b):
    p = _plaatsing()
    user = deelnemer_van(p, soort="vervolgschool")
    assert route_rollen(user, Plaatsing.objects.get(pk=p.pk)) == {RouteRol.VERVOLGSCHOOL}
    assert route_rollen(user, plaatsing_b) == set()


def test_a_deelnemer_sees_their_placement_and_gets_404_for_everything_else(plaatsing_b):
    p = _plaatsing()
    c = _client(deelnemer_van(p))
    assert c.get(reverse("plaatsingen:detail", args=[p.pk])).status_code == 200
    assert c.get(reverse("deelnemer_start")).status_code == 200
    # Their start page instead of the lists.
    assert c.get(reverse("home")).url == reverse("deelnemer_start")
    assert c.get(reverse("tedoen")).url == reverse("deelnemer_start")
    for url in [
        reverse("plaatsingen:detail", args=[plaatsing_b.pk]),
        reverse("plaatsingen:export"),
        reverse("routetool:overzicht"),
        reverse("coalitie:leerling_log", args=[p.leerling_id]),
        reverse("coalitie:privacy_zoeken"),
        reverse("rapport:routeoverzicht", args=[p.pk]),
        reverse("rapport:dashboard"),
        reverse("rapportage:index"),
        reverse("beheer:index"),
        reverse("importeren:index"),
    ]:
        assert c.get(url).status_code == 404, url


def test_a_deelnemer_gets_403_for_an_action_on_their_placement_that_is_not_theirs():
    p = _plaatsing()
    c = _client(deelnemer_van(p))
    actie = Actie.objects.filter(plaatsing=p, wie="swv").first()
    response = c.post(
        reverse("routetool:actie_afronden", args=[actie.pk]), {f"actie{actie.pk}-notitie": "x"}
    )
    assert response.status_code == 403
    actie.refresh_from_db()
    assert actie.status == "open"
    with pytest.raises(PermissionDenied):
        from routetool.services import actie_afronden

        actie_afronden(actie_id=actie.pk, door=deelnemer_van(p, email="ander@example.org"))


def test_after_revocation_404_while_the_login_still_works_for_another_placement(procesregisseur):
    p, q = _plaatsing(), _plaatsing("Kees", "Lijsterbes", "7788991")
    user = deelnemer_van(p, email="partner@example.org")
    deelnemer_van(q, email="partner@example.org")  # the same account, a second placement
    d = deelnemers.deelnemers_van(p).get(user=user)
    deelnemers.deelnemer_intrekken(deelnemer_id=d.pk, door=procesregisseur)
    c = _client(user)
    assert c.get(reverse("plaatsingen:detail", args=[p.pk])).status_code == 404
    assert c.get(reverse("plaatsingen:detail", args=[q.pk])).status_code == 200


def test_access_ends_30_days_after_the_route_closes():
    p = _plaatsing()
    user = deelnemer_van(p)
    vandaag = timezone.localdate()
    Plaatsing.objects.filter(pk=p.pk).update(
        fase="afgesloten", fase_sinds=vandaag - dt.timedelta(days=29)
    )
    assert _client(user).get(reverse("plaatsingen:detail", args=[p.pk])).status_code == 200
    Plaatsing.objects.filter(pk=p.pk).update(fase_sinds=vandaag - dt.timedelta(days=31))
    assert _client(user).get(reverse("plaatsingen:detail", args=[p.pk])).status_code == 404


def test_only_the_casusregisseur_or_procesregisseur_invites(contact_swv_a, contact_swv_b):
    p = _plaatsing()
    deelnemers.casusregisseur_toewijzen(
        plaatsing_id=p.pk, casusregisseur=contact_swv_a, door=contact_swv_a
    )
    with pytest.raises(PermissionDenied):
        deelnemers.deelnemer_uitnodigen(
            plaatsing_id=p.pk,
            naam="X Y",
            email="x@example.org",
            organisatie="School",
            soort="stamschool",
            door=contact_swv_b,
        )
    with pytest.raises(ValidationError):
        deelnemers.deelnemer_uitnodigen(
            plaatsing_id=p.pk,
            naam="X Y",
            email="x@example.org",
            organisatie="School",
            soort="penvoerder",
            door=contact_swv_a,
        )


def test_the_invitation_mail_carries_no_pupil_data_and_the_log_shows_invite_view_revoke(
    contact_swv_a, django_capture_on_commit_callbacks
):
    p = _plaatsing()
    with django_capture_on_commit_callbacks(execute=True):
        c = _client(contact_swv_a)
        c.post(
            reverse("routetool:uitnodigen", args=[p.pk]),
            {
                "naam": "Sanne Stam",
                "email": "sanne@stamschool.example",
                "organisatie": "Het Stamcollege",
                "soort": "stamschool",
            },
        )
    bericht = mail.outbox[-1]
    assert bericht.to == ["sanne@stamschool.example"]
    tekst = (bericht.subject + bericht.body).casefold()
    assert "u bent uitgenodigd voor een plaatsing in routetool" in tekst
    for geheim in ("merel", "vinkenoog", "4455667", "04-03-2011", "schakenbosch", "stamcollege"):
        assert geheim not in tekst, geheim
    d = deelnemers.deelnemers_van(p).get()
    # MFA is required for partners like for everyone: without TOTP only its set-up.
    zonder = _client(d.user).get(reverse("plaatsingen:detail", args=[p.pk]))
    assert zonder.status_code == 302 and "totp" in zonder.url
    met_totp(d.user)
    assert _client(d.user).get(reverse("plaatsingen:detail", args=[p.pk])).status_code == 200
    c.post(reverse("routetool:intrekken", args=[d.pk]))
    acties = list(
        Toegangslog.objects.filter(leerling_id=p.leerling_id).values_list("actie", "user_id")
    )
    assert ("uitgenodigd", contact_swv_a.pk) in acties
    assert ("bekeken", d.user_id) in acties
    assert ("ingetrokken", contact_swv_a.pk) in acties
    log = c.get(reverse("coalitie:leerling_log", args=[p.leerling_id]))
    assert log.status_code in (200, 404)  # the SWV contact may not read the log: the beheerder


def test_casusregisseur_is_named_with_a_history_entry_and_ends_the_signal(
    contact_swv_a, contact_swv_b
):
    from auditlog.models import LogEntry

    p = _plaatsing()
    Plaatsing.objects.filter(pk=p.pk).update(startdatum=dt.date(2025, 1, 6))
    signaal = SIGNALEN_OP_KEY["geen_casusregisseur"].voorwaarde(timezone.localdate())
    assert Plaatsing.objects.filter(signaal, pk=p.pk).exists()
    with pytest.raises(ValidationError):
        deelnemers.casusregisseur_toewijzen(
            plaatsing_id=p.pk, casusregisseur=contact_swv_b, door=contact_swv_a
        )
    _client(contact_swv_a).post(
        reverse("routetool:casusregisseur", args=[p.pk]), {"casusregisseur": contact_swv_a.pk}
    )
    assert Plaatsing.objects.get(pk=p.pk).casusregisseur_id == contact_swv_a.pk
    assert not Plaatsing.objects.filter(signaal, pk=p.pk).exists()
    entry = LogEntry.objects.get_for_object(Plaatsing.objects.get(pk=p.pk)).first()
    assert entry.changes_dict["casusregisseur"] == ["None", str(contact_swv_a.pk)]
    pagina = _client(contact_swv_a).get(reverse("plaatsingen:detail", args=[p.pk]))
    assert "Casusregisseur" in pagina.content.decode()


def test_the_stamschool_action_tells_the_stamschool_and_can_make_it_a_deelnemer(
    contact_swv_a, django_capture_on_commit_callbacks
):
    from coalitie.models import School
    from routetool.route import STAMSCHOOL

    for als_deelnemer in (False, True):
        p = _plaatsing(nummer=f"99{int(als_deelnemer)}1234")
        school = (
            School.objects.create(brin="12AB34", naam="Stamschool X", swv=swv(SWV_A))
            if not (als_deelnemer)
            else School.objects.get(brin="12AB34")
        )
        actie = Actie.objects.get(plaatsing=p, code=STAMSCHOOL)
        data = {
            f"actie{actie.pk}-stamschool": school.brin,
            f"actie{actie.pk}-contact_naam": "Piet Stam",
            f"actie{actie.pk}-contact_email": f"piet{int(als_deelnemer)}@stam.example",
        }
        if als_deelnemer:
            data[f"actie{actie.pk}-als_deelnemer"] = "on"
        with django_capture_on_commit_callbacks(execute=True):
            _client(contact_swv_a).post(reverse("routetool:actie_afronden", args=[actie.pk]), data)
        actie.refresh_from_db()
        assert actie.status == "gedaan"
        assert mail.outbox[-1].to == [f"piet{int(als_deelnemer)}@stam.example"]
        assert "vinkenoog" not in mail.outbox[-1].body.casefold()
        assert deelnemers.deelnemers_van(p).exists() is als_deelnemer


def test_a_deelnemer_does_the_actions_of_their_role_and_sees_them_on_their_start_page():
    """An action with wie == their soort (17b puts these in the default routekaart; here one
    made by hand): on their start page, and done by them."""
    p = _plaatsing()
    user = deelnemer_van(p, soort="stamschool")
    model = Actie.objects.filter(plaatsing=p, fase=p.fase).first()
    eigen = Actie.objects.create(
        plaatsing=p,
        fase=p.fase,
        code="notitie-stamschool",
        omschrijving="Stamschool bevestigt de inschrijving",
        wie="stamschool",
        termijn_soort=model.termijn_soort,
        deadline=timezone.localdate(),
    )
    c = _client(user)
    start = c.get(reverse("deelnemer_start")).content.decode()
    assert "Stamschool bevestigt de inschrijving" in start
    assert model.omschrijving not in start  # not theirs: not on their Te doen

    def regel(html):
        return next(r for r in html.split("<li>") if "Stamschool bevestigt de inschrijving" in r)

    assert "te laat" not in regel(start)  # due today: not late yet
    Actie.objects.filter(pk=eigen.pk).update(deadline=timezone.localdate() - dt.timedelta(days=3))
    start = c.get(reverse("deelnemer_start")).content.decode()
    assert "3 dagen te laat</span>" in regel(start)
    response = c.post(
        reverse("routetool:actie_afronden", args=[eigen.pk]),
        {f"actie{eigen.pk}-notitie": "bevestigd"},
    )
    assert response.status_code == 302
    eigen.refresh_from_db()
    assert eigen.status == "gedaan" and eigen.gedaan_door_id == user.pk


def test_swv_actions_of_a_placement_with_a_casusregisseur_are_theirs_on_te_doen(
    contact_swv_a,
):
    from .factories import LidmaatschapFactory

    collega = LidmaatschapFactory(rol="swv_contactpersoon", swv=swv(SWV_A)).user
    p = _plaatsing()
    from routetool.tedoen import swv_secties

    def aantal(user):
        return sum(len(sectie.rijen) for sectie in swv_secties(user))

    voor = aantal(collega)
    assert voor and aantal(contact_swv_a) == voor
    deelnemers.casusregisseur_toewijzen(
        plaatsing_id=p.pk, casusregisseur=contact_swv_a, door=contact_swv_a
    )
    assert aantal(contact_swv_a) == voor
    assert aantal(collega) == 0


def test_retention_removes_the_deelnemers_of_a_pupils_placements():
    from plaatsingen.retentie import leerling_schonen

    p = _plaatsing()
    user = deelnemer_van(p)
    leerling_schonen(p.leerling_id, timezone.now())
    assert not deelnemers.deelnemers_van(p).exists()
    assert type(user).objects.filter(pk=user.pk).exists()  # the account stays


def test_overdue_meldingen_go_to_the_casusregisseur_and_to_the_deelnemer_of_their_action(
    contact_swv_a,
):
    from coalitie.models import Melding
    from routetool import route as rk
    from routetool.meldingen_route import te_laat_melden

    from .factories import LidmaatschapFactory

    collega = LidmaatschapFactory(rol="swv_contactpersoon", swv=swv(SWV_A)).user
    p = _plaatsing()
    deelnemers.casusregisseur_toewijzen(
        plaatsing_id=p.pk, casusregisseur=contact_swv_a, door=contact_swv_a
    )
    partner = deelnemer_van(p, soort="stamschool")
    bevestig = Actie.objects.get(plaatsing=p, code=rk.BEVESTIGD)
    eigen = Actie.objects.create(
        plaatsing=p,
        fase=p.fase,
        code="notitie-stamschool",
        omschrijving="Stamschool bevestigt",
        wie="stamschool",
        termijn_soort=bevestig.termijn_soort,
        deadline=bevestig.deadline,
    )
    te_laat_melden(bevestig.deadline + dt.timedelta(days=1))
    assert Melding.objects.filter(user=contact_swv_a, sleutel=f"te-laat:{bevestig.pk}").exists()
    assert not Melding.objects.filter(user=collega).exists()
    assert Melding.objects.filter(user=partner, sleutel=f"te-laat:{eigen.pk}").exists()
    assert not Melding.objects.filter(user=partner, sleutel=f"te-laat:{bevestig.pk}").exists()


def test_the_weekly_digest_goes_to_the_casusregisseur_about_their_own_casussen(contact_swv_a):
    from routetool.tasks import wekelijks_signalenoverzicht

    p = _plaatsing()
    deelnemers.casusregisseur_toewijzen(
        plaatsing_id=p.pk, casusregisseur=contact_swv_a, door=contact_swv_a
    )
    mail.outbox.clear()
    wekelijks_signalenoverzicht()
    berichten = [m for m in mail.outbox if m.to == [contact_swv_a.email]]
    assert len(berichten) == 1
    assert "casus=mijn" in berichten[0].body
    assert "vinkenoog" not in berichten[0].body.casefold()


def test_a_vervolgschool_deelnemer_reads_the_overdrachtsprofiel_a_stamschool_one_does_not():
    """On the placement page (17b's section, decided by route.mag_profiel_zien on the roles
    route_rollen gives the deelnemer); the edit page stays the route roles'."""
    p = _plaatsing()
    detail = reverse("plaatsingen:detail", args=[p.pk])
    vervolgschool = _client(deelnemer_van(p, soort="vervolgschool"))
    assert "kop-overdracht" in vervolgschool.get(detail).content.decode()
    assert "kop-overdracht" not in _client(deelnemer_van(p)).get(detail).content.decode()
    bewerken = reverse("routetool:overdrachtsprofiel", args=[p.pk])
    assert vervolgschool.get(bewerken).status_code == 403
