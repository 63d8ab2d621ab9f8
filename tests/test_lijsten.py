"""The lists: filters and sort in the URL, XLSX with exactly the filtered rows (neutralised,
logged per pupil), the print view."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from coalitie.models import Toegangslog
from coalitie.toegang import SYSTEEM
from routetool import route as rk
from routetool.models import Actie, ActieStatus
from routetool.services import route_starten
from tests.conftest import SWV_A, SWV_B
from tests.factories import LeerlingFactory, PlaatsingFactory, swv

pytestmark = pytest.mark.django_db


@pytest.fixture
def lijst():
    vandaag = timezone.localdate()
    ps = []
    for i, (naam, dagen, code) in enumerate(
        [("Anna", 40, SWV_A), ("=Bert", 20, SWV_A), ("Carla", 2, SWV_B), ("Daan", 60, SWV_B)]
    ):
        ps.append(
            PlaatsingFactory(
                leerling=LeerlingFactory(roepnaam=naam, achternaam=f"Test{i}"),
                startdatum=vandaag - dt.timedelta(days=dagen),
                verantwoordelijk_swv=swv(code),
            )
        )
    route_starten(plaatsingen=ps, door=SYSTEEM)
    # Daan's SWV acknowledged: only the school's actions (and the stamschool) are left for him.
    Actie.objects.filter(plaatsing=ps[3], wie="swv").update(status=ActieStatus.GEDAAN)
    return ps


def namen(r):
    return [p.leerling.roepnaam for p in r.context["rijen"]]


def test_overview_filters_overdue_by_who_must_act_and_sorts_by_days_overdue(
    client, procesregisseur, lijst
):
    client.force_login(procesregisseur)
    r = client.get(
        reverse("routetool:overzicht"),
        {"wie": "swv", "termijn": "te_laat", "sorteer": "-dagen_te_laat"},
    )
    assert namen(r) == ["Anna", "=Bert"]  # Carla not overdue yet, Daan's SWV is done
    r = client.get(reverse("routetool:overzicht"), {"wie": "swv", "sorteer": "dagen_te_laat"})
    assert namen(r) == ["Carla", "=Bert", "Anna"]


@pytest.mark.parametrize(
    "sorteer, verwacht",
    [
        ("naam", ["Anna", "=Bert", "Carla", "Daan"]),
        ("-naam", ["Daan", "Carla", "=Bert", "Anna"]),
        ("swv", ["Anna", "=Bert", "Carla", "Daan"]),
        ("sinds", ["Daan", "Anna", "=Bert", "Carla"]),
    ],
)
def test_placement_list_sorts_on_a_column(client, procesregisseur, lijst, sorteer, verwacht):
    client.force_login(procesregisseur)
    r = client.get(reverse("home"), {"sorteer": sorteer})
    got = namen(r)
    if sorteer == "swv":  # ties inside an SWV: only the SWV order matters
        assert got[:2] != got[2:] and set(got[:2]) == {"Anna", "=Bert"}
    else:
        assert got == verwacht


def test_sort_header_keeps_the_filters(client, procesregisseur, lijst):
    client.force_login(procesregisseur)
    html = client.get(reverse("home"), {"zoek": "test", "fase": "instroom"}).content.decode()
    assert "?zoek=test&amp;fase=instroom&amp;sorteer=naam" in html


def test_export_has_exactly_the_filtered_rows_neutralised_and_logged(
    client, procesregisseur, lijst
):
    client.force_login(procesregisseur)
    filters = {"wie": "swv", "termijn": "te_laat", "sorteer": "-dagen_te_laat"}
    r = client.get(reverse("routetool:overzicht_export"), filters)
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    rijen = list(ws.iter_rows(values_only=True))
    assert rijen[0][:4] == ("Leerlingnummer", "Roepnaam", "Tussenvoegsel", "Achternaam")
    assert [rij[1] for rij in rijen[1:]] == ["Anna", "'=Bert"]  # formula text neutralised
    gelogd = set(
        Toegangslog.objects.filter(user=procesregisseur, actie="geexporteerd").values_list(
            "leerling_id", flat=True
        )
    )
    assert gelogd == {lijst[0].leerling_id, lijst[1].leerling_id}


def test_export_of_the_placement_list_stays_in_scope(client, contact_swv_a, lijst):
    client.force_login(contact_swv_a)
    r = client.get(reverse("plaatsingen:export"))
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert sorted(rij[1] for rij in list(ws.iter_rows(values_only=True))[1:]) == ["'=Bert", "Anna"]


def test_print_view_shows_every_filtered_row_without_paging(client, procesregisseur, lijst):
    client.force_login(procesregisseur)
    r = client.get(reverse("routetool:overzicht"), {"formaat": "afdruk", "fase": "instroom"})
    assert r.status_code == 200 and len(r.context["rijen"]) == 4
    assert "Ctrl+P" in r.content.decode()


def test_filter_within_n_werkdagen(client, procesregisseur, lijst):
    client.force_login(procesregisseur)
    r = client.get(reverse("home"), {"termijn": "binnen", "werkdagen": 5, "wie": "swv"})
    assert "Carla" in namen(r)


def test_search_on_the_overview(client, procesregisseur, lijst):
    client.force_login(procesregisseur)
    assert namen(client.get(reverse("routetool:overzicht"), {"zoek": "carla test2"})) == ["Carla"]


def test_bevestigd_code_is_in_the_default_routekaart():
    assert any(s.code == rk.BEVESTIGD for s in rk.STANDAARD_ROUTEKAART)
