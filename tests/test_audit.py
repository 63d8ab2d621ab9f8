"""Audit: access entries (coalitie.audit), the change log (django-auditlog), the per-pupil log
view for beheerders with its CSV export, and that nobody can edit the log through the app."""

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from coalitie.audit import log_toegang, log_toegang_voor_leerlingen, logt_toegang
from coalitie.models import Toegangslog, User
from plaatsingen.selectors import get_plaatsing_for_user

from .conftest import met_totp
from .factories import UserFactory

pytestmark = pytest.mark.django_db


def _request(user, ip="10.1.2.3"):
    request = RequestFactory().get("/", REMOTE_ADDR=ip)
    request.user = user
    return request


def test_log_toegang_records_who_what_which_pupil_and_ip(contact_swv_a, plaatsing_a):
    entry = log_toegang(_request(contact_swv_a), actie="bekeken", obj=plaatsing_a)
    assert entry.user == contact_swv_a
    assert (entry.object_type, entry.object_id) == ("plaatsing", str(plaatsing_a.pk))
    assert entry.leerling_id == plaatsing_a.leerling_id
    assert entry.ip == "10.1.2.3" and entry.op is not None


def test_log_toegang_refuses_an_unknown_action(contact_swv_a):
    with pytest.raises(ValueError):
        log_toegang(_request(contact_swv_a), actie="gelezen")


def test_a_bulk_entry_needs_no_object(beheerder):
    entry = log_toegang(
        _request(beheerder), actie="geimporteerd", omschrijving="iHUB-export, 12 regels"
    )
    assert entry.leerling_id is None and entry.get_actie_display() == "geïmporteerd"


def test_a_bulk_download_is_logged_once_per_pupil(contact_swv_a, plaatsing_a, plaatsing_b):
    ids = [plaatsing_a.leerling_id, plaatsing_b.leerling_id, plaatsing_a.leerling_id]
    aantal = log_toegang_voor_leerlingen(
        _request(contact_swv_a), actie="gedownload", leerling_ids=ids, omschrijving="maandlijst"
    )
    assert aantal == 2
    assert set(Toegangslog.objects.values_list("leerling_id", "user_id", "ip")) == {
        (plaatsing_a.leerling_id, contact_swv_a.pk, "10.1.2.3"),
        (plaatsing_b.leerling_id, contact_swv_a.pk, "10.1.2.3"),
    }


@logt_toegang()
def _detail(request, pk):
    get_plaatsing_for_user(request.user, pk)
    return HttpResponse("ok")


def test_the_decorator_logs_a_successful_view_of_a_placement(contact_swv_a, plaatsing_a):
    _detail(_request(contact_swv_a), pk=plaatsing_a.pk)
    entry = Toegangslog.objects.get()
    assert entry.actie == "bekeken" and entry.leerling_id == plaatsing_a.leerling_id
    assert entry.omschrijving == f"plaatsing {plaatsing_a.pk}"  # ids, never a name


def test_the_decorator_logs_nothing_when_the_view_refuses(contact_swv_b, plaatsing_a):
    from django.http import Http404

    with pytest.raises(Http404):
        _detail(_request(contact_swv_b), pk=plaatsing_a.pk)
    assert not Toegangslog.objects.exists()


def test_every_change_to_a_pupil_is_logged_old_to_new(plaatsing_a):
    leerling = plaatsing_a.leerling
    oud = leerling.woonplaats
    leerling.woonplaats = "Leiden"
    leerling.save(update_fields=["woonplaats"])
    entry = LogEntry.objects.get_for_object(leerling).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes_dict["woonplaats"] == [oud, "Leiden"]


def test_the_placement_detail_page_logs_the_view(client, contact_swv_a, contact_swv_b, plaatsing_a):
    client.force_login(contact_swv_a)
    client.get(reverse("plaatsingen:detail", args=[plaatsing_a.pk]))
    entry = Toegangslog.objects.get()
    assert (entry.user, entry.actie, entry.leerling_id) == (
        contact_swv_a,
        "bekeken",
        plaatsing_a.leerling_id,
    )
    client.force_login(contact_swv_b)  # a refused view (404) is not an access
    client.get(reverse("plaatsingen:detail", args=[plaatsing_a.pk]))
    assert Toegangslog.objects.count() == 1


def test_a_change_through_the_admin_records_actor_and_ip(client, contact_swv_a):
    beheerder = met_totp(User.objects.create_superuser("root@example.org", "geheim-wachtwoord-1"))
    client.force_login(beheerder)
    url = reverse("admin:coalitie_user_change", args=[contact_swv_a.pk])
    r = client.post(
        url,
        {
            "first_name": "Nieuwe",
            "last_name": contact_swv_a.last_name,
            "is_active": "on",
            "lidmaatschappen-TOTAL_FORMS": "0",
            "lidmaatschappen-INITIAL_FORMS": "0",
        },
        REMOTE_ADDR="192.0.2.7",
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    entry = LogEntry.objects.get_for_object(contact_swv_a).filter(action=LogEntry.Action.UPDATE)
    entry = entry.latest("timestamp")
    assert entry.actor == beheerder and entry.remote_addr == "192.0.2.7"
    assert "first_name" in entry.changes_dict
    assert "password" not in entry.changes_dict


def test_a_new_user_is_logged_without_the_password_hash():
    user = UserFactory()
    entry = LogEntry.objects.get_for_object(user).get(action=LogEntry.Action.CREATE)
    assert "password" not in entry.changes_dict and "last_login" not in entry.changes_dict


# --- The per-pupil log view ---------------------------------------------------------------------


def test_a_beheerder_sees_who_viewed_and_changed_a_pupil(
    client, beheerder, contact_swv_a, plaatsing_a
):
    log_toegang(_request(contact_swv_a), actie="gedownload", obj=plaatsing_a)
    plaatsing_a.niveau = "havo"
    plaatsing_a.save(update_fields=["niveau"])
    client.force_login(beheerder)
    r = client.get(reverse("coalitie:leerling_log", args=[plaatsing_a.leerling_id]))
    html = r.content.decode()
    assert r.status_code == 200
    assert contact_swv_a.email in html and "gedownload" in html and "10.1.2.3" in html
    assert "niveau: (leeg) → havo" in html
    assert f"leerling {plaatsing_a.leerling_id}" in html  # the pupil's own creation entry
    assert "routetool.Actie" not in html  # reverse relations are not "changes"
    # Looking at the log is itself a look at the pupil.
    assert Toegangslog.objects.filter(user=beheerder, actie="bekeken").exists()


def test_the_log_is_paged_without_a_query_per_row(
    client, beheerder, contact_swv_a, plaatsing_a, django_assert_max_num_queries
):
    Toegangslog.objects.bulk_create(
        Toegangslog(user=contact_swv_a, actie="bekeken", leerling_id=plaatsing_a.leerling_id)
        for _ in range(120)
    )
    client.force_login(beheerder)
    url = reverse("coalitie:leerling_log", args=[plaatsing_a.leerling_id])
    with django_assert_max_num_queries(20):
        r = client.get(url)
    assert len(r.context["regels"]) == 50
    assert client.get(url, {"pagina": 3}).context["pagina"].number == 3


@pytest.mark.parametrize(
    "persona", ["beheerder_andere_coalitie", "contact_swv_a", "procesregisseur", "penvoerder"]
)
def test_only_a_beheerder_of_the_pupils_coalition_may_read_its_log(
    client, request, persona, plaatsing_a
):
    client.force_login(request.getfixturevalue(persona))
    for naam in ("coalitie:leerling_log", "coalitie:leerling_log_csv"):
        r = client.get(reverse(naam, args=[plaatsing_a.leerling_id]))
        assert r.status_code == 404
        assert plaatsing_a.leerling.achternaam not in r.content.decode()


def test_a_missing_pupil_gives_the_same_404(client, beheerder):
    client.force_login(beheerder)
    assert client.get(reverse("coalitie:leerling_log", args=[999999])).status_code == 404


def test_a_beheerder_of_the_pupils_swv_coalition_sees_a_placement_elsewhere(
    client, beheerder, plaatsing_a_elders
):
    client.force_login(beheerder)
    r = client.get(reverse("coalitie:leerling_log", args=[plaatsing_a_elders.leerling_id]))
    assert r.status_code == 200


def test_the_log_exports_as_csv_for_a_privacy_request_and_that_is_logged(
    client, beheerder, contact_swv_a, plaatsing_a
):
    log_toegang(_request(contact_swv_a), actie="bekeken", obj=plaatsing_a, omschrijving="=1+1")
    client.force_login(beheerder)
    r = client.get(reverse("coalitie:leerling_log_csv", args=[plaatsing_a.leerling_id]))
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "attachment" in r["Content-Disposition"]
    rijen = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert rijen[0][0] == "datum en tijd"
    assert any(rij[1] == contact_swv_a.email and rij[4] == "'=1+1" for rij in rijen[1:])
    assert Toegangslog.objects.filter(user=beheerder, actie="geexporteerd").exists()


def test_a_beheerder_finds_a_pupil_by_leerlingnummer(client, beheerder, plaatsing_a):
    client.force_login(beheerder)
    r = client.post(
        reverse("coalitie:privacy_zoeken"), {"leerlingnummer": plaatsing_a.leerling.leerlingnummer}
    )
    assert r.status_code == 302
    assert r.url == reverse("coalitie:leerling_log", args=[plaatsing_a.leerling_id])


def test_a_beheerder_of_another_coalition_does_not_find_the_pupil(
    client, beheerder_andere_coalitie, plaatsing_a
):
    client.force_login(beheerder_andere_coalitie)
    r = client.post(
        reverse("coalitie:privacy_zoeken"), {"leerlingnummer": plaatsing_a.leerling.leerlingnummer}
    )
    assert r.status_code == 200 and "Geen leerling gevonden" in r.content.decode()


def test_the_search_is_not_for_other_roles(client, contact_swv_a):
    client.force_login(contact_swv_a)
    assert client.get(reverse("coalitie:privacy_zoeken")).status_code == 404


# --- Nobody edits the log -----------------------------------------------------------------------


def test_the_access_log_has_no_admin_and_the_change_log_admin_is_read_only(rf):
    assert Toegangslog not in admin.site._registry
    logentry_admin = admin.site._registry[LogEntry]
    superuser = User(is_superuser=True, is_active=True, is_staff=True)
    request = rf.get("/beheer/auditlog/logentry/")
    request.user = superuser
    from django.urls import resolve

    request.resolver_match = resolve("/beheer/auditlog/logentry/")
    assert not logentry_admin.has_add_permission(request)
    assert not logentry_admin.has_change_permission(request)
    assert not logentry_admin.has_delete_permission(request)


def test_a_superuser_cannot_delete_a_log_entry_through_the_admin(client, plaatsing_a):
    superuser = User.objects.create_superuser("root@example.org", "geheim-wachtwoord-123")
    met_totp(superuser)
    entry = LogEntry.objects.get_for_object(plaatsing_a.leerling).first()
    client.force_login(superuser)
    r = client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"})
    assert r.status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_a_beheerder_cannot_open_the_raw_change_log(client, beheerder):
    client.force_login(beheerder)
    assert client.get(reverse("admin:auditlog_logentry_changelist")).status_code in (302, 403)
