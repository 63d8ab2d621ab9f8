"""Issue 17, "done when": the chain around one pupil in a real browser. The SWV names a
casusregisseur, who invites the stamschool contact; the stamschool sets its password from the
invitation mail, logs in with TOTP, confirms its contact and signs the overeenkomst; at uitstroom
the vervolgschool, invited too, sees the overdrachtsprofiel and accepts the handover. The signal
and the counts of open partner actions follow each step; a deelnemer gets 404 elsewhere."""

import datetime as dt
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from coalitie.toegang import SYSTEEM
from tests.conftest import RIJNSTROOM, SCHAKENBOSCH, SWV_A, met_totp, persona
from tests.test_login import totp_code

pytestmark = pytest.mark.django_db(transaction=True)

WACHTWOORD_PARTNER = "Partner-wachtwoord-2026"


@pytest.fixture
def keten(transactional_db):
    from django.utils import timezone

    from coalitie.models import Coalitie, Rol, User
    from plaatsingen.models import Plaatsing
    from routetool.services import route_starten
    from tests.factories import (
        LeerlingFactory,
        PlaatsingFactory,
        SchoolFactory,
        instellingsschool,
        swv,
    )

    contact = persona(Rol.SWV_CONTACTPERSOON, swv=swv(SWV_A))
    regisseur = persona(Rol.SWV_CONTACTPERSOON, swv=swv(SWV_A))
    User.objects.filter(pk=contact.pk).update(first_name="Sanne", last_name="de Wit")
    User.objects.filter(pk=regisseur.pk).update(first_name="Karim", last_name="Bouali")
    vandaag = timezone.localdate()
    # Four weeks in: past the 5 werkdagen of the casusregisseur signal, and the stamschool's
    # actions are due (Schakenbosch demands the overeenkomst since 1 June 2025).
    p = PlaatsingFactory(
        leerling=LeerlingFactory(roepnaam="Merel", achternaam="Vinkenoog", leerlingnummer="4455"),
        instellingsschool=instellingsschool(SCHAKENBOSCH),
        verantwoordelijk_swv=swv(SWV_A),
        startdatum=vandaag - dt.timedelta(days=28),
    )
    ander = PlaatsingFactory(
        leerling=LeerlingFactory(roepnaam="Daan", achternaam="Anders", leerlingnummer="4456"),
        instellingsschool=instellingsschool(RIJNSTROOM),
        verantwoordelijk_swv=swv(SWV_A),
    )
    route_starten(plaatsingen=[p, ander], door=SYSTEEM)
    stamschool = SchoolFactory(brin="12AB01", naam="Stamschool De Delta", swv=swv(SWV_A))
    Plaatsing.objects.filter(pk=p.pk).update(stamschool=stamschool)
    regie = persona(Rol.PROCESREGISSEUR, coalitie=Coalitie.objects.get(slug="zuid-west"))
    return {"contact": contact, "regisseur": regisseur, "regie": regie, "p": p, "ander": ander}


def _inloggen(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(WACHTWOORD_PARTNER)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_label("Code").fill(totp_code(user.totp_secret))
    page.get_by_role("button", name="Aanmelden").click()


def _uitnodigen(page, naam, email, organisatie, soort):
    page.locator("summary", has_text="Deelnemer uitnodigen").click()
    page.get_by_label("Naam", exact=True).fill(naam)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Organisatie", exact=True).fill(organisatie)
    page.get_by_label("Soort deelnemer").select_option(soort)
    page.get_by_role("button", name="Uitnodigen").click()
    expect(page.get_by_text("De uitnodiging is verstuurd.")).to_be_visible()


def _partner_via_mail(page, live_server, email, axe_check):
    """The invitee follows the link in their mail and sets a password; the authenticator app
    they then set up is given by the test (its own browser test is test_account_browser)."""
    from coalitie.models import User

    bericht = next(m for m in reversed(mail.outbox) if m.to == [email])
    for verboden in ("Merel", "Vinkenoog", "4455", "Schakenbosch"):
        assert verboden not in bericht.subject + bericht.body
    link = next(w for w in bericht.body.split() if "/accounts/password/reset/key/" in w)
    page.context.clear_cookies()
    page.goto(live_server.url + "/" + link.split("://", 1)[1].split("/", 1)[1])
    axe_check(page, "wachtwoord-instellen-deelnemer")
    page.locator("input[name=password1]").fill(WACHTWOORD_PARTNER)
    page.locator("input[name=password2]").fill(WACHTWOORD_PARTNER)
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    page.wait_for_url("**/password/reset/key/done/")
    user = User.objects.get(email=email)
    assert user.check_password(WACHTWOORD_PARTNER)
    return met_totp(user)


def _partner_sectie(page):
    return page.locator("#swv-partners")


def _open_acties_deelnemer(page):
    return page.locator("main h2:has-text('Te doen') + ul li")


def _afronden(page, omschrijving):
    actie = page.locator("li.tijdlijn-fase.huidig li.actie-open").filter(has_text=omschrijving)
    actie.locator("summary", has_text="Afronden").click()
    return actie


def _geen_toegang(page, live_server, pad):
    antwoord = page.goto(f"{live_server.url}{pad}")
    assert antwoord.status == 404, pad


def test_swv_casusregisseur_stamschool_and_vervolgschool_work_the_chain(
    page, live_server, keten, aanmelden, bezoek, axe_check, screenshot
):
    from django.utils import timezone

    from plaatsingen.models import Plaatsing
    from routetool.models import Actie, ActieStatus
    from routetool.overdrachtsprofiel import profiel_opslaan
    from routetool.services import transitie_uitvoeren

    p, contact, regisseur = keten["p"], keten["contact"], keten["regisseur"]
    detail = f"/plaatsingen/{p.pk}/"

    # 1. The SWV contact sees the signal and names the casusregisseur; the signal goes.
    aanmelden(contact)
    bezoek(detail, "keten-swv-zonder-casusregisseur")
    signaal = page.locator("h1 + p .signaal-geen_casusregisseur")
    expect(signaal).to_have_text("geen casusregisseur")
    expect(page.get_by_text("nog niet toegewezen")).to_be_visible()
    page.get_by_label("Casusregisseur (SWV)").select_option(label="Karim Bouali")
    page.locator("form[action$='/casusregisseur/']").get_by_role("button").click()
    expect(page.get_by_text("De casusregisseur is vastgelegd.")).to_be_visible()
    expect(signaal).to_have_count(0)
    expect(page.locator("dd", has_text="Karim Bouali")).to_be_visible()

    # 2. The casusregisseur has the stamschool's due actions on Te doen and invites her.
    aanmelden(regisseur)
    bezoek("/te-doen/", "keten-tedoen-casusregisseur")
    # (The other pupil has no casusregisseur, so its partner actions are every contact's.)
    merel = _partner_sectie(page).locator("tbody tr", has_text="Merel Vinkenoog")
    expect(merel).to_have_count(2)
    expect(merel.filter(has_text="Stamschool bevestigt contactpersoon")).to_have_count(1)
    expect(merel.filter(has_text="Samenwerkingsovereenkomst")).to_have_count(1)
    partners_voor = int(_partner_sectie(page).locator(".aantal").first.inner_text())
    bezoek(detail, "keten-casusregisseur")
    _uitnodigen(page, "Els de Boer", "els@delta.example", "Stamschool De Delta", "stamschool")
    expect(page.locator("td[data-label=Naam]", has_text="Els de Boer")).to_be_visible()
    screenshot(page, "keten-swv-deelnemers")
    # On a phone the deelnemers table stacks instead of pushing the page sideways.
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})

    # 3. The stamschool: password from the mail, TOTP login, her start page, her two actions.
    stamschool = _partner_via_mail(page, live_server, "els@delta.example", axe_check)
    _inloggen(page, live_server, stamschool)
    page.wait_for_url(f"{live_server.url}/mijn-plaatsingen/")
    axe_check(page, "keten-stamschool-start")
    expect(page.get_by_role("link", name=re.compile("Merel Vinkenoog"))).to_be_visible()
    expect(_open_acties_deelnemer(page)).to_have_count(2)
    page.get_by_role("link", name=re.compile("Stamschool bevestigt")).click()
    axe_check(page, "keten-stamschool-plaatsing")
    expect(page.get_by_role("heading", name="Casusregisseur en deelnemers")).to_have_count(0)

    actie = _afronden(page, "Stamschool bevestigt contactpersoon")
    actie.get_by_label("Naam contactpersoon").fill("Els de Boer")
    actie.get_by_label("E-mail contactpersoon").fill("els@delta.example")
    actie.get_by_label("ja, de leerling blijft bij de stamschool ingeschreven").check()
    actie.get_by_role("button", name="Markeer als gedaan").click()
    expect(page.get_by_text("Gedaan: Stamschool bevestigt contactpersoon")).to_be_visible()

    actie = _afronden(page, "Samenwerkingsovereenkomst")
    vandaag = timezone.localdate()
    actie.get_by_label("Datum ondertekening").fill(vandaag.strftime("%d-%m-%Y"))
    actie.get_by_label("Ondertekend door").fill(
        "E. de Boer (stamschool), I. Verbeek (Schakenbosch)"
    )
    actie.get_by_role("button", name="Markeer als gedaan").click()
    expect(page.get_by_text("Gedaan: Samenwerkingsovereenkomst")).to_be_visible()
    getekend = Actie.objects.get(plaatsing=p, code="overeenkomst")
    assert getekend.status == ActieStatus.GEDAAN and getekend.gedaan_door_id == stamschool.pk

    page.goto(f"{live_server.url}/mijn-plaatsingen/")
    expect(_open_acties_deelnemer(page)).to_have_count(0)
    expect(page.get_by_text("U heeft nu geen acties openstaan.")).to_be_visible()
    # No lists, no other pupils: 404, not a redirect or an empty page.
    for pad in (
        "/route/overzicht/",
        "/plaatsingen/export.xlsx",
        f"/plaatsingen/{keten['ander'].pk}/",
    ):
        _geen_toegang(page, live_server, pad)

    # The casusregisseur's count of partner actions dropped to nothing.
    aanmelden(regisseur)
    bezoek("/te-doen/", "keten-tedoen-na-stamschool")
    expect(_partner_sectie(page).locator(".aantal").first).to_have_text(str(partners_voor - 2))
    expect(_partner_sectie(page).locator("tbody tr", has_text="Merel Vinkenoog")).to_have_count(0)

    # 4. The procesregisseur moves on to uitstroom (the other actions are done by their owners;
    # not this test's subject),
    # with an overdrachtsprofiel built during verblijf.
    for fase in ("verblijf", "uitstroom"):
        p.refresh_from_db()
        Actie.objects.filter(
            plaatsing=p, fase=p.fase, verplicht=True, status=ActieStatus.OPEN
        ).update(status=ActieStatus.GEDAAN, gedaan_op=timezone.now(), gedaan_door=regisseur)
        if fase == "uitstroom":
            profiel_opslaan(
                plaatsing_id=p.pk,
                door=regisseur,
                gegevens={
                    "doelen_leerling": "Ik wil mijn diploma halen en later monteur worden.",
                    "onderwijsbehoeften": "Vaste plek, korte instructie.",
                    "niveau": "vmbo-kader",
                },
            )
        transitie_uitvoeren(plaatsing_id=p.pk, naar=fase, door=keten["regie"], versie=p.versie)
    assert Plaatsing.objects.get(pk=p.pk).fase == "uitstroom"

    bezoek(detail, "keten-casusregisseur-uitstroom")
    _uitnodigen(page, "Tom Jansen", "tom@vervolg.example", "Het Vervolgcollege", "vervolgschool")

    # 5. The vervolgschool sees the profile and accepts the handover itself.
    vervolgschool = _partner_via_mail(page, live_server, "tom@vervolg.example", axe_check)
    _inloggen(page, live_server, vervolgschool)
    page.wait_for_url(f"{live_server.url}/mijn-plaatsingen/")
    voor = _open_acties_deelnemer(page).count()
    assert voor >= 1
    expect(page.locator("main")).to_contain_text("Vervolgschool accepteert de overdracht")
    page.get_by_role("link", name=re.compile("Merel Vinkenoog")).click()
    axe_check(page, "keten-vervolgschool-plaatsing")
    profiel = page.locator("#overdrachtsprofiel")
    expect(profiel).to_contain_text("Ik wil mijn diploma halen en later monteur worden.")
    screenshot(page, "keten-vervolgschool-plaatsing")
    actie = _afronden(page, "accepteert de overdracht")
    actie.get_by_label("De vervolgschool accepteert de overdracht").check()
    actie.get_by_role("button", name="Markeer als gedaan").click()
    expect(page.get_by_text(re.compile("Gedaan: .*accepteert de overdracht"))).to_be_visible()
    page.goto(f"{live_server.url}/mijn-plaatsingen/")
    expect(_open_acties_deelnemer(page)).to_have_count(voor - 1)
    for pad in ("/route/overzicht/", f"/plaatsingen/{keten['ander'].pk}/"):
        _geen_toegang(page, live_server, pad)

    # The pupil's access log has both invitations and the partners' own views.
    from coalitie.models import Toegangsactie, Toegangslog

    log = Toegangslog.objects.filter(leerling_id=p.leerling_id)
    assert log.filter(actie=Toegangsactie.UITGENODIGD, user=regisseur).count() == 2
    for partner in (stamschool, vervolgschool):
        assert log.filter(actie=Toegangsactie.BEKEKEN, user=partner).exists()
