"""Who sees and downloads which monthly list; every download is logged."""

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse

from coalitie.models import Coalitie
from coalitie.toegang import SYSTEEM
from rapportage.models import LogSoort, Maandlijst
from rapportage.services import maandlijst_mailen_mislukt, maandlijst_maken

from .conftest import SWV_A, SWV_B
from .factories import PlaatsingFactory, swv

pytestmark = pytest.mark.django_db

OKTOBER = dt.date(2025, 10, 1)


@pytest.fixture(autouse=True)
def _bestanden_in_tmp(settings, tmp_path):
    """Generated lists go to a throw-away media folder, not the developer's var/."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def lijst_a():
    PlaatsingFactory(verantwoordelijk_swv=swv(SWV_A))
    return maandlijst_maken(swv=swv(SWV_A), maand=OKTOBER, door=SYSTEEM)[0]


@pytest.fixture
def lijst_b():
    return maandlijst_maken(swv=swv(SWV_B), maand=OKTOBER, door=SYSTEEM)[0]


def zuid_west():
    return Coalitie.objects.get(slug="zuid-west")


def zip_url(coalitie=None):
    return reverse("rapportage:zip", args=[(coalitie or zuid_west()).pk, "2025-10"])


def test_contact_downloads_own_list_and_the_download_is_logged(client, contact_swv_a, lijst_a):
    client.force_login(contact_swv_a)
    r = client.get(reverse("rapportage:download", args=[lijst_a.pk, "pdf"]))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert b"".join(r.streaming_content).startswith(b"%PDF")
    assert "attachment" in r["Content-Disposition"]
    log = lijst_a.logs.get(soort=LogSoort.GEDOWNLOAD)
    assert log.door == contact_swv_a and log.reden == "pdf"
    assert client.get(reverse("rapportage:download", args=[lijst_a.pk, "xlsx"])).status_code == 200


def test_contact_sees_own_lists_on_the_index(client, contact_swv_a, lijst_a, lijst_b):
    client.force_login(contact_swv_a)
    r = client.get(reverse("rapportage:index"))
    assert list(r.context["eigen"]) == [lijst_a]
    assert r.context["coalities"] == []
    assert reverse("rapportage:detail", args=[lijst_b.pk]) not in r.content.decode()


@pytest.mark.parametrize(
    "wie",
    [
        "contact_swv_b",
        "medewerker_schakenbosch",
        "penvoerder_andere_coalitie",
        "beheerder_andere_coalitie",
        "zonder_rol",
    ],
)
def test_others_get_404_for_a_list_like_for_a_missing_one(client, request, wie, lijst_a):
    client.force_login(request.getfixturevalue(wie))
    for url in (
        reverse("rapportage:detail", args=[lijst_a.pk]),
        reverse("rapportage:download", args=[lijst_a.pk, "pdf"]),
        reverse("rapportage:detail", args=[lijst_a.pk + 999]),
    ):
        assert client.get(url).status_code == 404
    assert not lijst_a.logs.filter(soort=LogSoort.GEDOWNLOAD).exists()


@pytest.mark.parametrize(
    "wie", ["contact_swv_a", "medewerker_schakenbosch", "penvoerder_andere_coalitie"]
)
def test_only_the_coalitions_roles_get_its_zip(client, request, wie, lijst_a):
    client.force_login(request.getfixturevalue(wie))
    assert client.get(zip_url()).status_code == 404


def test_anonymous_is_sent_to_login(client, lijst_a):
    for url in (reverse("rapportage:download", args=[lijst_a.pk, "pdf"]), zip_url()):
        r = client.get(url)
        assert r.status_code == 302 and r.url.startswith(reverse("account_login"))


def test_penvoerder_sees_every_swv_of_the_coalition_and_downloads_all_as_zip(
    client, penvoerder, lijst_a, lijst_b, django_assert_max_num_queries
):
    client.force_login(penvoerder)
    with django_assert_max_num_queries(15):
        r = client.get(reverse("rapportage:index"), {"maand": "2025-10"})
    html = r.content.decode()
    (regels,) = [c["regels"] for c in r.context["coalities"]]
    assert len(regels) == zuid_west().swvs.count()
    assert {s.code: lijst for s, lijst in regels}[SWV_A] == lijst_a
    assert "nog niet gemaakt" in html

    r = client.get(zip_url())
    assert r.status_code == 200
    namen = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert sorted(namen) == sorted(
        f"maandlijst {code} 2025-10.{soort}" for code in (SWV_A, SWV_B) for soort in ("pdf", "xlsx")
    )
    assert lijst_a.logs.filter(soort=LogSoort.GEDOWNLOAD, door=penvoerder, reden="zip").exists()
    assert lijst_b.logs.filter(soort=LogSoort.GEDOWNLOAD, door=penvoerder).exists()


def test_beheerder_sees_why_a_mail_failed(client, beheerder, lijst_a):
    maandlijst_mailen_mislukt(maandlijst_id=lijst_a.pk, reden="SMTPDataError: (451, 'tijdelijk')")
    client.force_login(beheerder)
    html = client.get(reverse("rapportage:index"), {"maand": "2025-10"}).content.decode()
    assert "mailen mislukt" in html and "SMTPDataError: (451" in html


def test_beheerder_regenerates_a_month_and_it_is_logged(
    client, beheerder, lijst_a, django_capture_on_commit_callbacks
):
    oude_pdf = lijst_a.pdf.name
    client.force_login(beheerder)
    url = reverse("rapportage:opnieuw", args=[zuid_west().pk, "2025-10"])
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"swv": swv(SWV_A).pk})
    assert r.status_code == 302
    lijst_a.refresh_from_db()
    assert lijst_a.pdf.name != oude_pdf
    assert lijst_a.logs.get(soort=LogSoort.OPNIEUW_GEMAAKT).door == beheerder
    assert not lijst_a.pdf.storage.exists(oude_pdf)


def test_regenerating_needs_the_beheerder_role_and_a_post(
    client, penvoerder, beheerder_andere_coalitie, beheerder, lijst_a
):
    url = reverse("rapportage:opnieuw", args=[zuid_west().pk, "2025-10"])
    client.force_login(penvoerder)
    assert client.post(url).status_code == 403
    client.force_login(beheerder_andere_coalitie)
    assert client.post(url).status_code == 404
    client.force_login(beheerder)
    assert client.get(url).status_code == 405
    assert client.post(url, {"swv": 999999}).status_code == 404
    assert not Maandlijst.objects.filter(logs__soort=LogSoort.OPNIEUW_GEMAAKT).exists()


def test_nav_link_shows_for_contact_persons(client, contact_swv_a):
    client.force_login(contact_swv_a)
    assert reverse("rapportage:index") in client.get(reverse("home")).content.decode()


def test_a_download_shows_in_the_access_log_of_every_pupil_on_the_list(client, settings, tmp_path):
    import datetime as dt

    from coalitie.models import Toegangslog
    from rapportage.services import maandlijst_maken
    from tests.conftest import SWV_A, persona
    from tests.factories import PlaatsingFactory, swv

    settings.MEDIA_ROOT = tmp_path
    from coalitie.models import Rol

    contact = persona(Rol.SWV_CONTACTPERSOON, swv=swv(SWV_A))
    op_lijst = PlaatsingFactory(verantwoordelijk_swv=swv(SWV_A), startdatum=dt.date(2025, 9, 3))
    niet_op_lijst = PlaatsingFactory(
        verantwoordelijk_swv=swv("VO 28-07"), startdatum=dt.date(2025, 9, 3)
    )
    lijst, _ = maandlijst_maken(swv=swv(SWV_A), maand=dt.date(2025, 9, 1), door=SYSTEEM)
    client.force_login(contact)
    r = client.get(f"/maandlijsten/{lijst.pk}/pdf/")
    assert r.status_code == 200
    b"".join(r.streaming_content)
    logs = Toegangslog.objects.filter(actie="gedownload")
    assert set(logs.values_list("leerling_id", flat=True)) == {op_lijst.leerling_id}
    assert niet_op_lijst.leerling_id not in set(logs.values_list("leerling_id", flat=True))
    assert logs.get().user == contact
