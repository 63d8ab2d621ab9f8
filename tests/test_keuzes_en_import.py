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
