"""The layout of issue 13 (13b's part): the route declared once, action kinds as a registry,
access decided in one module with an explicit system actor, one per-pupil history."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from coalitie import toegang
from coalitie.toegang import SYSTEEM, route_rollen
from plaatsingen.models import Leerling, Plaatsing
from plaatsingen.services import plaatsing_registreren
from routetool import acties, route, services
from routetool.models import Actie, ActieStatus
from routetool.retentie import leerling_schonen
from routetool.selectors import met_signalen
from routetool.states import Fase

from .conftest import SCHAKENBOSCH
from .factories import PlaatsingFactory, instellingsschool
from .test_route_transities import VANDAAG, gestart, in_fase

pytestmark = pytest.mark.django_db
IHUB = Path(__file__).resolve().parents[2] / "shared" / "ihub"
ROOT = Path(__file__).resolve().parents[1]


# --- the route is declared once ----------------------------------------------------------------


def test_no_module_restates_the_route_roles_or_guards():
    """Roles, guards and signals live in route.py; the page, views and services ask it."""
    for pad in ("routetool/pagina.py", "routetool/views.py", "routetool/services.py"):
        tekst = (ROOT / pad).read_text()
        for verboden in (
            "REGIE in",
            "{SCHOOL",
            "Wie.SWV",
            "reden_verplicht and",
            "vervolgplek_soort:",
        ):
            assert verboden not in tekst, (pad, verboden)
    assert not (ROOT / "routetool/transities.py").exists()
    assert not (ROOT / "routetool/routekaart_standaard.py").exists()


def test_every_transition_guard_refuses_through_the_service(procesregisseur):
    with time_machine.travel(VANDAAG):
        p = gestart()
        # Required instroom actions still open: the declared guard refuses.
        with pytest.raises(services.RouteFout, match="verplichte acties"):
            services.transitie_uitvoeren(
                plaatsing_id=p.pk, naar=Fase.VERBLIJF, door=procesregisseur, versie=p.versie
            )
        # Aborting needs a reason, as declared.
        with pytest.raises(services.RouteFout, match="reden"):
            services.transitie_uitvoeren(
                plaatsing_id=p.pk,
                naar=Fase.AFGESLOTEN,
                door=procesregisseur,
                versie=p.versie,
                afbreken=True,
            )
    assert route.OVERGANGEN_OP_NAAM["nazorg"].guards[-1] is route.vervolgplek_bekend


def test_the_thuiszitrisico_explanation_says_what_its_condition_checks():
    """A recorded vervolgplek ends the signal, confirmed or not: the text says 'vastgelegde'."""
    uitleg = route.SIGNALEN_OP_KEY["thuiszitrisico"].uitleg
    assert "vastgelegde vervolgplek" in uitleg and "bevestigde" not in uitleg
    with time_machine.travel(VANDAAG):
        p = in_fase(Fase.UITSTROOM)
        Plaatsing.objects.filter(pk=p.pk).update(einddatum=VANDAAG)
        assert met_signalen(Plaatsing.objects.filter(pk=p.pk)).get().signaal_thuiszitrisico
        # Recorded, its enrolment not yet confirmed (that action is still open): no signal.
        Plaatsing.objects.filter(pk=p.pk).update(vervolgplek_soort="mbo")
        assert Actie.objects.filter(
            plaatsing=p, code="inschrijving-bevestigd", status=ActieStatus.OPEN
        ).exists()
        assert not met_signalen(Plaatsing.objects.filter(pk=p.pk)).get().signaal_thuiszitrisico


# --- access: one module, an explicit actor ------------------------------------------------------


@pytest.mark.parametrize(
    "aanroep",
    [
        lambda p, a: services.route_starten(plaatsingen=[p], door=None),
        lambda p, a: services.uitschrijving_verwerken(plaatsingen=[p], door=None),
        lambda p, a: services.transitie_uitvoeren(
            plaatsing_id=p.pk, naar=Fase.VERBLIJF, door=None, versie=p.versie
        ),
        lambda p, a: services.actie_afronden(actie_id=a.pk, door=None),
        lambda p, a: services.actie_overslaan(actie_id=a.pk, door=None, reden="x"),
        lambda p, a: services.plaatsing_bevestigen(plaatsing_id=p.pk, door=None),
        lambda p, a: services.uitstroomdatum_vastleggen(
            plaatsing_id=p.pk, door=None, datum=VANDAAG
        ),
    ],
)
def test_no_service_runs_without_an_actor(aanroep):
    with time_machine.travel(VANDAAG):
        p = gestart()
        a = Actie.objects.filter(plaatsing=p).first()
        with pytest.raises(ValueError, match="actor"):
            aanroep(p, a)
        p.refresh_from_db()
        assert p.fase == Fase.INSTROOM and not Actie.objects.exclude(status="open").exists()


def test_registering_by_hand_needs_an_actor_too():
    with pytest.raises(ValueError, match="actor"):
        plaatsing_registreren(
            door=None,
            instellingsschool=instellingsschool(SCHAKENBOSCH),
            leerlingnummer="1",
            roepnaam="A",
            achternaam="B",
            startdatum=VANDAAG,
            verblijf="open",
        )


def test_a_person_may_not_start_routes_at_a_school_they_do_not_serve(contact_swv_a):
    with time_machine.travel(VANDAAG):
        p = PlaatsingFactory(startdatum=VANDAAG)
        with pytest.raises(PermissionDenied):
            services.route_starten(plaatsingen=[p], door=contact_swv_a)


def test_may_change_a_placement_means_holding_a_route_role(
    client, beheerder, penvoerder, procesregisseur, contact_swv_a
):
    """One definition: the page, the write views and the services agree (the beheerder of the
    school's coalition used to pass the write check and then hold no route role)."""
    with time_machine.travel(VANDAAG):
        p = gestart(instellingsschool=instellingsschool(SCHAKENBOSCH))
        for user, mag in ((beheerder, False), (penvoerder, False), (procesregisseur, True)):
            assert toegang.kan_plaatsing_wijzigen(user, p) is mag
            assert bool(route_rollen(user, p)) is mag
        client.force_login(beheerder)
        r = client.post(
            reverse("routetool:transitie", args=[p.pk]),
            {"naar": Fase.AFGESLOTEN, "versie": p.versie, "afbreken": "on", "reden": "x"},
        )
        assert r.status_code == 403
        p.refresh_from_db()
        assert p.fase == Fase.INSTROOM


def test_beheerder_is_asked_in_one_place():
    """No module outside coalitie/toegang.py tests the beheerder role itself, nor defines its
    own "is beheerder" / "coalitions managed" (coalitie/beheer/toegang.py once did)."""
    for pad in ROOT.glob("*/**/*.py"):
        if ".venv" in pad.parts or "tests" in pad.parts or "migrations" in pad.parts:
            continue
        if pad == ROOT / "coalitie" / "toegang.py" or pad.name in ("models.py", "seed_demo.py"):
            continue
        tekst = pad.read_text()
        assert "def is_beheerder" not in tekst, pad
        assert "def beheerde_coalitie" not in tekst, pad
        assert "coalities(Rol.BEHEERDER)" not in tekst, pad
        assert "heeft_rol(Rol.BEHEERDER)" not in tekst, pad
        assert "Rol.BEHEERDER in" not in tekst, pad


# --- action kinds: a registry ---------------------------------------------------------------------


def test_the_kinds_are_found_by_walking_the_package():
    namen = set(acties.SOORTEN)
    assert {"notitie", "bevestigen", "stamschool", "vervolgplek", "ambulant", "nazorg"} <= namen
    assert "overeenkomst" in namen
    # Each kind is one module defining SOORT, and nothing else registers it.
    module = inspect.getmodule(acties.SOORTEN["overeenkomst"].toepassen)
    assert module.__name__ == "routetool.acties.overeenkomst"
    assert "overeenkomst" not in (ROOT / "routetool/acties/__init__.py").read_text()


def test_the_samenwerkingsovereenkomst_records_date_and_signatories(client, contact_swv_a):
    # The stamschool signs (issue 17); its SWV records it for a stamschool not in the app.
    with time_machine.travel(VANDAAG):
        p = gestart(
            instellingsschool=instellingsschool(SCHAKENBOSCH),
            verantwoordelijk_swv=contact_swv_a.lidmaatschappen.get().swv,
        )
        a = Actie.objects.get(plaatsing=p, code=route.OVEREENKOMST)
        assert a.wie == route.STAMSCHOOL_ROL
        client.force_login(contact_swv_a)
        url = reverse("routetool:actie_afronden", args=[a.pk])
        detail = reverse("plaatsingen:detail", args=[p.pk])
        assert f'name="actie{a.pk}-ondertekend_door"' in client.get(detail).content.decode()
        # Without the signatories: refused in Dutch, nothing done.
        client.post(url, {f"actie{a.pk}-ondertekend_op": VANDAAG.isoformat()})
        a.refresh_from_db()
        assert a.status == ActieStatus.OPEN
        # A date in the future: refused.
        client.post(
            url,
            {
                f"actie{a.pk}-ondertekend_op": (VANDAAG + dt.timedelta(days=3)).isoformat(),
                f"actie{a.pk}-ondertekend_door": "mevr. Jansen (directeur)",
            },
        )
        a.refresh_from_db()
        assert a.status == ActieStatus.OPEN
        r = client.post(
            url,
            {
                f"actie{a.pk}-ondertekend_op": "2025-11-20",
                f"actie{a.pk}-ondertekend_door": "mevr. Jansen (directeur)",
            },
            follow=True,
        )
        a.refresh_from_db()
        assert a.status == ActieStatus.GEDAAN
        assert a.gegevens == {
            "datum": "2025-11-20",
            "ondertekend_door": "mevr. Jansen (directeur)",
            "namens": route.STAMSCHOOL_ROL,  # the SWV signed it in for the stamschool
        }
        assert "Ondertekend op 20-11-2025 door mevr. Jansen (directeur)" in r.content.decode()


def test_retention_empties_the_free_text_the_kinds_declare():
    with time_machine.travel(VANDAAG):
        p = gestart(instellingsschool=instellingsschool(SCHAKENBOSCH))
        a = Actie.objects.get(plaatsing=p, code=route.OVEREENKOMST)
        services.actie_afronden(
            actie_id=a.pk,
            door=SYSTEEM,
            notitie="moeder belde",
            gegevens={"ondertekend_op": VANDAAG, "ondertekend_door": "mevr. Jansen"},
        )
        leerling_schonen(p.leerling_id, None)
        a.refresh_from_db()
        assert a.notitie == "" and a.gegevens == {
            "datum": VANDAAG.isoformat(),
            "ondertekend_door": "",
        }


# --- one per-pupil history ------------------------------------------------------------------------


def _log(client, leerling_id) -> str:
    r = client.get(reverse("coalitie:leerling_log", args=[leerling_id]))
    assert r.status_code == 200
    return r.content.decode()


def test_import_changes_and_route_steps_show_in_the_pupils_log(client, beheerder):
    with time_machine.travel(dt.datetime(2025, 11, 5, 10, 0, tzinfo=dt.UTC), tick=False):
        call_command("import_ihub", str(IHUB / "ihub-export-2025-10-01.csv"))
        call_command("import_ihub", str(IHUB / "ihub-export-2025-11-01.csv"))
    # A placement the November export changed: ended (COPY/bulk update, then the bulk route).
    p = (
        Plaatsing.objects.filter(einddatum__isnull=False, wijzigingen__veld="datum uitschrijving")
        .filter(instellingsschool__coalitie__slug="zuid-west")
        .first()
    )
    assert p is not None
    client.force_login(beheerder)
    html = _log(client, p.leerling_id)
    assert "einddatum: (leeg) → " in html  # the import's bulk update, old → new
    assert "fase: instroom → uitstroom" in html or "fase: verblijf → uitstroom" in html
    assert "iHUB-import" in html and "uitschrijving in iHUB-export" in html
    assert f"plaatsing {p.pk}" in html
    # The placement's creation by the October COPY shows too.
    assert LogEntry.objects.filter(
        object_id=p.pk, action=LogEntry.Action.CREATE, content_type__model="plaatsing"
    ).exists()
    assert LogEntry.objects.filter(
        object_id=p.leerling_id, action=LogEntry.Action.CREATE, content_type__model="leerling"
    ).exists()
    csv = client.get(reverse("coalitie:leerling_log_csv", args=[p.leerling_id])).content.decode()
    assert "einddatum: (leeg) → " in csv


def test_an_action_done_or_skipped_shows_in_the_pupils_log(client, beheerder, procesregisseur):
    with time_machine.travel(VANDAAG):
        p = gestart(instellingsschool=instellingsschool(SCHAKENBOSCH))
        bevestigd = Actie.objects.get(plaatsing=p, code=route.BEVESTIGD)
        services.actie_afronden(actie_id=bevestigd.pk, door=procesregisseur)
        stamschool = Actie.objects.get(plaatsing=p, code=route.STAMSCHOOL)
        services.actie_overslaan(actie_id=stamschool.pk, door=procesregisseur, reden="n.v.t.")
    client.force_login(beheerder)
    html = _log(client, p.leerling_id)
    assert f"actie: {bevestigd.omschrijving}: open → gedaan" in html
    assert "open → overgeslagen" in html
    assert procesregisseur.email in html


def test_the_pupils_log_has_no_name_in_the_bulk_entries(client, beheerder):
    with time_machine.travel(dt.datetime(2025, 11, 5, 10, 0, tzinfo=dt.UTC), tick=False):
        call_command("import_ihub", str(IHUB / "ihub-export-2025-10-01.csv"))
    leerling = Leerling.objects.first()
    reprs = set(
        LogEntry.objects.filter(object_id=leerling.pk, content_type__model="leerling").values_list(
            "object_repr", flat=True
        )
    )
    assert reprs == {f"leerling {leerling.pk}"}


def test_the_monthly_list_service_needs_an_actor_and_a_beheerder_to_remake(penvoerder, beheerder):
    from rapportage.services import maandlijst_maken

    from .factories import swv

    with pytest.raises(ValueError, match="actor"):
        maandlijst_maken(swv=swv("VO 28-06"), maand=dt.date(2025, 10, 1), door=None)
    maandlijst_maken(swv=swv("VO 28-06"), maand=dt.date(2025, 10, 1), door=SYSTEEM)
    with pytest.raises(PermissionDenied):
        maandlijst_maken(
            swv=swv("VO 28-06"), maand=dt.date(2025, 10, 1), opnieuw=True, door=penvoerder
        )
    _, gemaakt = maandlijst_maken(
        swv=swv("VO 28-06"), maand=dt.date(2025, 10, 1), opnieuw=True, door=beheerder
    )
    assert gemaakt
