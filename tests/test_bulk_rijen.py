"""`config.bulk.bulk_insert` writes every row as given, whatever keys each row has: the COPY
takes a shortcut for rows with exactly the first row's keys, and rows with other keys (as many
or more, or a column only a later row gives) must still get their own values and the model's
defaults for the rest."""

import json

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from coalitie.models import Toegangslog
from config.bulk import COPY_VANAF, JsonTekst, bulk_insert

pytestmark = pytest.mark.django_db

AANTAL = COPY_VANAF + 100  # over the threshold: the COPY path on PostgreSQL


def _rij(i: int) -> dict:
    rij = {"actie": "bekeken", "omschrijving": f"rij {i}"}
    if i % 3 == 1:  # as many keys as the first row, another one
        rij = {"actie": "bekeken", "object_id": f"o{i}"}
    elif i % 3 == 2:  # more keys; a column the first row leaves to its default
        rij["leerling_id"] = i
    if i == AANTAL - 1:  # a column (of a type the binary COPY does not take) only here
        rij["ip"] = "10.0.0.1"
    return rij


@pytest.mark.parametrize("met_ip", [False, True])
def test_rows_with_other_keys_than_the_first_get_their_own_values(met_ip):
    rijen = [_rij(i) for i in range(AANTAL)]
    if not met_ip:
        rijen[-1].pop("ip")
    bulk_insert(Toegangslog, rijen)
    opgeslagen = list(
        Toegangslog.objects.order_by("pk").values_list(
            "actie", "object_id", "omschrijving", "leerling_id", "ip", "object_type"
        )
    )
    verwacht = [
        (
            r["actie"],
            r.get("object_id", ""),
            r.get("omschrijving", ""),
            r.get("leerling_id"),
            r.get("ip"),
            "",
        )
        for r in rijen
    ]
    assert opgeslagen == verwacht


def test_a_json_column_given_by_some_rows_only_is_written_as_given():
    ct = ContentType.objects.get_for_model(Toegangslog)
    rijen = []
    for i in range(AANTAL):
        rij = {
            "content_type_id": ct.pk,
            "object_pk": str(i),
            "object_repr": f"toegangslog {i}",
            "action": LogEntry.Action.UPDATE,
            "changes_text": "",
        }
        if i % 4 == 1:
            rij["additional_data"] = JsonTekst(json.dumps({"bron": f"b{i}"}))
        elif i % 4 == 2:
            rij["additional_data"] = {"bron": i}
        elif i % 4 == 3:
            rij["changes"] = JsonTekst('{"veld":["None","x"]}')
        rijen.append(rij)
    bulk_insert(LogEntry, rijen)
    opgeslagen = {
        int(pk): (extra, changes)
        for pk, extra, changes in LogEntry.objects.filter(content_type=ct).values_list(
            "object_pk", "additional_data", "changes"
        )
    }
    assert len(opgeslagen) == AANTAL
    for i in range(AANTAL):
        extra, changes = opgeslagen[i]
        assert extra == ({"bron": f"b{i}"} if i % 4 == 1 else {"bron": i} if i % 4 == 2 else None)
        assert changes == ({"veld": ["None", "x"]} if i % 4 == 3 else None)


def test_rows_from_one_template_are_written_as_given_and_a_stray_row_still_gets_defaults():
    """`zelfde_sleutels=True` takes the values of all rows at C level; a row that lacks one
    of the first row's keys after all falls back to the general way (its column's default)."""
    rijen = [
        {"actie": "bekeken", "omschrijving": f"rij {i}", "leerling_id": i} for i in range(AANTAL)
    ]
    bulk_insert(Toegangslog, rijen, zelfde_sleutels=True)
    assert list(
        Toegangslog.objects.order_by("pk").values_list("actie", "omschrijving", "leerling_id")
    ) == [(r["actie"], r["omschrijving"], r["leerling_id"]) for r in rijen]
    Toegangslog.objects.all().delete()
    rijen[7] = {"actie": "bekeken", "leerling_id": 7}  # no omschrijving: its default ""
    bulk_insert(Toegangslog, rijen, zelfde_sleutels=True)
    opgeslagen = list(Toegangslog.objects.order_by("pk").values_list("omschrijving", flat=True))
    assert opgeslagen == [r.get("omschrijving", "") for r in rijen]
