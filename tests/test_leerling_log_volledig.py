"""Finding 3: the per-pupil log holds every read, change and download: one pupil walked through
a view, a search hit, two lists, an action done with a note, a download and an export, each
found in that pupil's log (and not in another pupil's); and the NEN 7513-style export of it."""

from __future__ import annotations

import csv
import io

import pytest
import time_machine
from django.urls import reverse

from coalitie.models import Toegangslog
from coalitie.toegang import SYSTEEM
from rapportage.services import maandlijst_maken
from routetool.models import Actie, ActieStatus

from .factories import PlaatsingFactory, swv
from .test_route_transities import VANDAAG, gestart

pytestmark = pytest.mark.django_db
NOTITIE = "Gebeld met moeder, stamschool houdt plek vast"


def _log(leerling_id) -> list[Toegangslog]:
    return list(Toegangslog.objects.filter(leerling_id=leerling_id).order_by("pk"))


def _eenvoudige_actie(p) -> Actie:
    """An open action whose form needs nothing but the optional note."""
    from routetool.acties import formulier_soort

    for actie in Actie.objects.filter(plaatsing=p, status=ActieStatus.OPEN).order_by("pk"):
        if formulier_soort(actie.code) == "notitie":
            return actie
    pytest.fail("geen actie met alleen een notitie")


@time_machine.travel(VANDAAG)
def test_one_pupil_walked_through_every_kind_of_access_is_in_her_log(
    client, procesregisseur, penvoerder, beheerder
):
    p = gestart(verantwoordelijk_swv=swv("VO 28-06"))
    ander = PlaatsingFactory(verantwoordelijk_swv=swv("VO 28-06"))
    lid = p.leerling_id
    client.force_login(procesregisseur)

    client.get(reverse("plaatsingen:detail", args=[p.pk]))  # a view
    client.get(reverse("home") + f"?zoek={p.leerling.leerlingnummer}")  # a search hit
    client.get(reverse("home"))  # a list
    client.get(reverse("routetool:overzicht"))  # the procesregisseur's list
    actie = _eenvoudige_actie(p)
    r = client.post(
        reverse("routetool:actie_afronden", args=[actie.pk]), {f"actie{actie.pk}-notitie": NOTITIE}
    )
    assert r.status_code == 302
    actie.refresh_from_db()
    assert actie.status == ActieStatus.GEDAAN and actie.notitie == NOTITIE
    client.get(reverse("rapport:routeoverzicht", args=[p.pk]))  # a download
    client.force_login(penvoerder)
    lijst, _ = maandlijst_maken(swv=swv("VO 28-06"), maand=VANDAAG.replace(day=1), door=SYSTEEM)
    client.get(reverse("rapportage:download", args=[lijst.pk, "xlsx"]))  # an export
    client.force_login(beheerder)
    r = client.get(reverse("coalitie:leerling_log_nen7513", args=[lid]))  # the log's own export
    assert r.status_code == 200

    omschrijvingen = [(e.user_id, e.actie, e.omschrijving) for e in _log(lid)]
    verwacht = [
        (procesregisseur.pk, "bekeken", f"plaatsing {p.pk}"),
        (procesregisseur.pk, "bekeken", "zoekresultaat plaatsingen"),
        (procesregisseur.pk, "bekeken", "lijst plaatsingen"),
        (procesregisseur.pk, "bekeken", "overzicht open plaatsingen"),
        (procesregisseur.pk, "gewijzigd", f"actie {actie.pk} ({actie.code}) gedaan, met "
         f"notitie ({len(NOTITIE)} tekens)"),
        (procesregisseur.pk, "gedownload", "routeoverzicht (PDF)"),
        (penvoerder.pk, "gedownload", f"maandlijst xlsx: VO 28-06 {lijst.maand:%Y-%m}"),
        (beheerder.pk, "geexporteerd", "auditlog als NEN 7513-export (privacyverzoek)"),
    ]  # fmt: skip
    for regel in verwacht:
        assert regel in omschrijvingen, (regel, omschrijvingen)
    assert all(e.ip == "127.0.0.1" for e in _log(lid))
    assert NOTITIE not in " ".join(o for _, _, o in omschrijvingen)  # retention empties it
    # The search showed only her: the other pupil got the list, not the search hit.
    anders = [e.omschrijving for e in _log(ander.leerling_id)]
    assert "lijst plaatsingen" in anders and "zoekresultaat plaatsingen" not in anders
    assert not any(f"plaatsing {p.pk}" == o for o in anders)


@time_machine.travel(VANDAAG)
def test_a_list_page_logs_its_pupils_in_one_insert(
    client, procesregisseur, django_assert_max_num_queries
):
    for _ in range(12):
        PlaatsingFactory(verantwoordelijk_swv=swv("VO 28-06"))
    client.force_login(procesregisseur)
    client.get(reverse("home"))  # warm caches (session, scope)
    Toegangslog.objects.all().delete()
    with django_assert_max_num_queries(40) as vastgelegd:
        client.get(reverse("home"))
    inserts = [
        q for q in vastgelegd.captured_queries if 'INSERT INTO "coalitie_toegangslog"' in q["sql"]
    ]
    assert len(inserts) == 1
    assert Toegangslog.objects.filter(omschrijving="lijst plaatsingen").count() == 12


@time_machine.travel(VANDAAG)
def test_the_nen7513_export_says_who_when_what_which_pupil_from_where_and_why(
    client, procesregisseur, beheerder
):
    p = gestart(verantwoordelijk_swv=swv("VO 28-06"))
    client.force_login(procesregisseur)
    client.get(reverse("plaatsingen:detail", args=[p.pk]), REMOTE_ADDR="10.20.30.40")
    client.force_login(beheerder)
    pagina = client.get(reverse("coalitie:leerling_log", args=[p.leerling_id])).content.decode()
    assert reverse("coalitie:leerling_log_nen7513", args=[p.leerling_id]) in pagina
    r = client.get(reverse("coalitie:leerling_log_nen7513", args=[p.leerling_id]))
    assert r["Content-Type"].startswith("text/csv")
    rijen = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    bekeken = next(x for x in rijen if x["bron (IP-adres)"] == "10.20.30.40")
    assert bekeken["gebruiker-id"] == str(procesregisseur.pk)
    assert bekeken["gebruiker"] == procesregisseur.email
    assert "procesregisseur — Onderwijscoalitie Zuid-West" in bekeken["rol en organisatie"]
    assert bekeken["actie"] == "bekeken" and bekeken["object"] == f"plaatsing {p.pk}"
    assert bekeken["leerling-id"] == str(p.leerling_id)
    assert bekeken["leerlingnummer"] == p.leerling.leerlingnummer
    assert bekeken["reden of context"] == f"plaatsing {p.pk}"
    assert bekeken["gebeurtenis-id"].startswith("t-")
    dag, tijd = bekeken["datum en tijd"].split()
    assert dag == VANDAAG.strftime("%d-%m-%Y") and len(tijd) == 8
    assert "+01:00" in bekeken["tijdstip (ISO 8601)"] or "+02:00" in bekeken["tijdstip (ISO 8601)"]
    # the route start and the placement's creation come from the change log, as "w-" rows
    assert any(x["gebeurtenis-id"].startswith("w-") for x in rijen)


@pytest.mark.parametrize("wie", ["procesregisseur", "contact_swv_a", "beheerder_andere_coalitie"])
def test_only_the_coalitions_beheerder_may_export_the_log(client, request, wie, plaatsing_a):
    client.force_login(request.getfixturevalue(wie))
    r = client.get(reverse("coalitie:leerling_log_nen7513", args=[plaatsing_a.leerling_id]))
    assert r.status_code == 404


def test_the_log_union_has_no_order_by_in_its_halves_which_sqlite_refuses(plaatsing_a):
    """The embedded SQLite set-up gives a 500 on the log page if a compound SELECT orders
    its parts (Toegangslog and LogEntry both have a default ordering)."""
    from plaatsingen.privacy_views import _regels

    delen = _regels(plaatsing_a.leerling).query.combined_queries
    assert len(delen) == 2
    assert all(not d.order_by and not d.default_ordering for d in delen)
