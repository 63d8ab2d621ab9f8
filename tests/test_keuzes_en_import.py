"""Issue 19, defect 11 (19b's part): a rejected import shows nothing applied; a picker with a
single choice starts on it."""

import re

import pytest
from django.urls import reverse

from plaatsingen.models import ImportBestand, ImportStatus

pytestmark = pytest.mark.django_db


def _import(beheerder, status, naam):
    return ImportBestand.objects.create(
        oorspronkelijke_naam=naam,
        sha256=naam.ljust(64, "0"),
        door=beheerder,
        status=status,
        aantal_nieuw=379,
        aantal_gewijzigd=12,
        aantal_ongewijzigd=7,
    )


def _rij(html, naam):
    return html.split(naam)[1].split("</tr>")[0]


def test_a_rejected_import_does_not_show_what_it_would_have_done_as_done(client, beheerder):
    _import(beheerder, ImportStatus.AFGEWEZEN, "fout.csv")
    _import(beheerder, ImportStatus.VOORBEELD, "wacht.csv")
    _import(beheerder, ImportStatus.GEIMPORTEERD, "goed.csv")
    client.force_login(beheerder)
    html = client.get(reverse("importeren:index")).content.decode()
    afgewezen = _rij(html, "fout.csv")
    assert "379" not in afgewezen and "niet verwerkt: niets opgeslagen" in afgewezen
    assert "379" not in _rij(html, "wacht.csv") and "nog niet verwerkt" in _rij(html, "wacht.csv")
    assert re.search(r">379</td>", _rij(html, "goed.csv"))


def _select(html, naam):
    return re.search(rf'<select name="{naam}"[^>]*>(.*?)</select>', html, re.S).group(1)


def test_a_filter_with_one_possible_swv_or_school_starts_on_it(
    client, contact_swv_a, medewerker_schakenbosch, plaatsing_a
):
    client.force_login(contact_swv_a)
    swvs = _select(client.get(reverse("home")).content.decode(), "swv")
    assert "alle SWV" not in swvs and swvs.count("<option") == 1 and "selected" in swvs
    # Filtered on something else, it still shows the one SWV, and the rows are the same.
    html = client.get(reverse("home"), {"fase": "alle"}).content.decode()
    assert _select(html, "swv").count("<option") == 1
    assert reverse("plaatsingen:detail", args=[plaatsing_a.pk]) in html
    client.force_login(medewerker_schakenbosch)
    scholen = _select(client.get(reverse("home")).content.decode(), "school")
    assert scholen.count("<option") == 1 and "selected" in scholen


def test_the_beheer_stamschool_form_starts_on_the_only_swv(beheerder, monkeypatch):
    from coalitie.beheer import forms as beheer_forms
    from coalitie.beheer import toegang as beheer_toegang

    swvs = beheer_toegang.swvs_voor(beheerder).order_by("code")
    assert swvs.count() > 1
    assert beheer_forms.StamschoolForm(door=beheerder)["swv"].initial is None
    enige = swvs.first()
    # A coalition with a single SWV: the beheerder's pick-list holds that one.
    monkeypatch.setattr(beheer_toegang, "swvs_voor", lambda door: swvs.filter(pk=enige.pk))
    form = beheer_forms.StamschoolForm(door=beheerder)
    assert form["swv"].initial == enige.pk
    assert f'value="{enige.pk}" selected' in str(form["swv"])
