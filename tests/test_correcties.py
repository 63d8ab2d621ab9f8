"""Corrections in the app: the school records the actual uitschrijving, corrects pupil data,
and a mistaken 'done' is reopened with its reason (issue 19)."""

import datetime as dt

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse

from routetool.models import Actie, ActieStatus
from routetool.services import actie_afronden
from routetool.states import Fase

from .factories import instellingsschool, swv
from .test_route_transities import VANDAAG, gestart

pytestmark = pytest.mark.django_db


def _plaatsing():
    return gestart(
        startdatum=dt.date(2025, 9, 1),
        verantwoordelijk_swv=swv("VO 28-06"),
        instellingsschool=instellingsschool("Schakenbosch Onderwijs & Werk"),
    )


@time_machine.travel(VANDAAG)
def test_the_school_records_the_actual_uitschrijving_and_the_route_moves_on(
    client, medewerker_schakenbosch
):
    p = _plaatsing()
    client.force_login(medewerker_schakenbosch)
    html = client.get(reverse("plaatsingen:detail", args=[p.pk])).content.decode()
    assert "Uitschrijving vastleggen" in html
    r = client.post(
        reverse("routetool:uitschrijving", args=[p.pk]),
        {"einddatum": "2025-11-20", "reden": "mbo"},
    )
    assert r.status_code == 302
    p.refresh_from_db()
    assert (p.einddatum, p.reden_uitschrijving, p.fase) == (
        dt.date(2025, 11, 20),
        "mbo",
        Fase.UITSTROOM,
    )
    assert LogEntry.objects.get_for_object(p).filter(changes__icontains="einddatum").exists()


@time_machine.travel(VANDAAG)
@pytest.mark.parametrize("datum", ["2025-08-01", "2025-12-24"])
def test_an_impossible_uitschrijving_is_refused(client, medewerker_schakenbosch, datum):
    p = _plaatsing()
    client.force_login(medewerker_schakenbosch)
    client.post(
        reverse("routetool:uitschrijving", args=[p.pk]), {"einddatum": datum, "reden": "mbo"}
    )
    p.refresh_from_db()
    assert p.einddatum is None


@time_machine.travel(VANDAAG)
def test_the_swv_contact_may_not_record_an_uitschrijving(client, contact_swv_a):
    p = _plaatsing()
    client.force_login(contact_swv_a)
    r = client.post(
        reverse("routetool:uitschrijving", args=[p.pk]), {"einddatum": "2025-11-20", "reden": "mbo"}
    )
    assert r.status_code == 403
    p.refresh_from_db()
    assert p.einddatum is None


@time_machine.travel(VANDAAG)
def test_the_school_corrects_pupil_data_and_it_is_logged(
    client, medewerker_schakenbosch, contact_swv_b
):
    p = _plaatsing()
    client.force_login(medewerker_schakenbosch)
    r = client.post(
        reverse("routetool:leerling_corrigeren", args=[p.pk]),
        {"roepnaam": "Noor", "achternaam": "de Vries", "geboortedatum": "2010-02-03"},
    )
    assert r.status_code == 302
    p.leerling.refresh_from_db()
    assert (p.leerling.roepnaam, p.leerling.achternaam) == ("Noor", "de Vries")
    assert (
        LogEntry.objects.get_for_object(p.leerling).filter(actor=medewerker_schakenbosch).exists()
    )
    client.force_login(contact_swv_b)
    assert (
        client.post(
            reverse("routetool:leerling_corrigeren", args=[p.pk]),
            {"roepnaam": "X", "achternaam": "Y"},
        ).status_code
        == 404
    )


@time_machine.travel(VANDAAG)
def test_a_mistaken_done_is_reopened_by_its_author_with_the_reason_kept(
    client, medewerker_schakenbosch, contact_swv_a
):
    p = _plaatsing()
    actie = Actie.objects.get(plaatsing=p, code="startgesprek")
    actie_afronden(actie_id=actie.pk, door=medewerker_schakenbosch)
    # Another person of another role may not reopen it.
    client.force_login(contact_swv_a)
    assert client.post(
        reverse("routetool:actie_heropenen", args=[actie.pk]), {"reden": "x"}
    ).status_code in (403, 302)
    actie.refresh_from_db()
    assert actie.status == ActieStatus.GEDAAN
    client.force_login(medewerker_schakenbosch)
    html = client.get(reverse("plaatsingen:detail", args=[p.pk])).content.decode()
    assert "Heropenen" in html
    r = client.post(
        reverse("routetool:actie_heropenen", args=[actie.pk]),
        {"reden": "verkeerde leerling aangeklikt"},
    )
    assert r.status_code == 302
    actie.refresh_from_db()
    assert actie.status == ActieStatus.OPEN and actie.gedaan_door is None
    assert "verkeerde leerling aangeklikt" in actie.notitie
    assert LogEntry.objects.get_for_object(actie).filter(actor=medewerker_schakenbosch).exists()


@time_machine.travel(VANDAAG)
def test_the_procesregisseur_reopens_an_action_done_by_someone_else(procesregisseur, contact_swv_a):
    from routetool.correcties import actie_heropenen

    p = _plaatsing()
    actie = Actie.objects.get(plaatsing=p, code="stamschool")
    actie_afronden(actie_id=actie.pk, door=contact_swv_a, gegevens={"geen_stamschool": True})
    actie_heropenen(actie_id=actie.pk, door=procesregisseur, reden="stamschool is toch bekend")
    actie.refresh_from_db()
    assert actie.is_open


@time_machine.travel(VANDAAG)
def test_te_doen_and_the_placement_page_record_the_uitschrijving_through_one_service(
    medewerker_schakenbosch,
):
    """Issue 13's 'one house': one service, whose checks hold on both paths."""
    from routetool import correcties, tedoen_views
    from routetool.services import RouteFout

    assert tedoen_views.uitschrijving_vastleggen is correcties.uitschrijving_vastleggen
    p = _plaatsing()
    with pytest.raises(RouteFout, match="Kies de reden"):
        correcties.uitschrijving_vastleggen(
            plaatsing_id=p.pk, door=medewerker_schakenbosch, einddatum=VANDAAG, reden="x"
        )
    correcties.uitschrijving_vastleggen(
        plaatsing_id=p.pk, door=medewerker_schakenbosch, einddatum=VANDAAG, reden="mbo"
    )
    # Te doen lists pupils still to be uitgeschreven: a second one there is refused ...
    with pytest.raises(RouteFout, match="al uitgeschreven"):
        correcties.uitschrijving_vastleggen(
            plaatsing_id=p.pk,
            door=medewerker_schakenbosch,
            einddatum=VANDAAG,
            reden="mbo",
            alleen_nieuw=True,
        )
    # ... while the placement page corrects the date.
    correcties.uitschrijving_vastleggen(
        plaatsing_id=p.pk,
        door=medewerker_schakenbosch,
        einddatum=VANDAAG - dt.timedelta(days=1),
        reden="mbo",
    )
    p.refresh_from_db()
    assert p.einddatum == VANDAAG - dt.timedelta(days=1) and p.fase == Fase.UITSTROOM
