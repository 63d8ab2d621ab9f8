"""The import works out the route of its new placements BEFORE it writes them (phase, version
and signal fields go in with the COPY; `routetool.services.NieuweRoutes`). That must leave
exactly what the route services leave when they start those routes on placements that already
exist: the same columns, actions, transitions and per-pupil history, in the same order."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files import File

from coalitie.toegang import SYSTEEM
from plaatsingen.importeren.services import import_bestand_aanmaken, import_uitvoeren
from plaatsingen.models import Plaatsing
from routetool import signaalvelden
from routetool.models import Actie, Transitie
from routetool.services import REDEN_UITSCHRIJVING, route_starten, uitschrijving_verwerken
from routetool.states import Fase
from tools.management.commands.benchmark_import import genereer

pytestmark = pytest.mark.django_db

ACTIE_VELDEN = (
    "fase", "volgorde", "code", "omschrijving", "wie", "verplicht", "termijn_soort", "aantal",
    "deadline", "status",
)  # fmt: skip
KOLOMMEN = ("fase", "fase_sinds", "versie", *signaalvelden.VELDEN)


@pytest.fixture(autouse=True)
def _vandaag():
    with time_machine.travel(dt.datetime(2025, 6, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def _stand(ids: list[int]) -> dict:
    """Everything the route leaves on these placements, per placement, ordered by id."""
    ct = ContentType.objects.get_for_model(Plaatsing)
    stand = {pk: {"acties": [], "transities": [], "historie": []} for pk in ids}
    for pk, *kolommen in Plaatsing.objects.filter(pk__in=ids).values_list("pk", *KOLOMMEN):
        stand[pk]["kolommen"] = kolommen
    for pk, *velden in (
        Actie.objects.filter(plaatsing_id__in=ids)
        .order_by("pk")
        .values_list("plaatsing_id", *ACTIE_VELDEN)
    ):
        stand[pk]["acties"].append(velden)
    for pk, *velden in (
        Transitie.objects.filter(plaatsing_id__in=ids)
        .order_by("pk")
        .values_list("plaatsing_id", "van", "naar", "door_id", "reden")
    ):
        stand[pk]["transities"].append(velden)
    for pk, *velden in (
        LogEntry.objects.filter(content_type=ct, object_id__in=ids)
        .order_by("pk")
        .values_list("object_id", "action", "changes", "actor_id", "additional_data")
    ):
        stand[pk]["historie"].append(velden)
    return stand


def test_a_first_import_leaves_what_the_route_services_leave_on_existing_placements(tmp_path):
    pad = Path(tmp_path) / "export.csv"
    # Over COPY_VANAF (500), so the COPY path writes; ~60% of the rows arrive already ended.
    genereer(pad, 700, zaad=3)
    with pad.open("rb") as f:
        ib = import_bestand_aanmaken(bestand=File(f), naam="export.csv", door=SYSTEEM)
    ib = import_uitvoeren(import_bestand_id=ib.pk, controleer_dubbel=False)
    assert not ib.fouten and ib.aantal_nieuw == 700
    ids = sorted(Plaatsing.objects.values_list("pk", flat=True))
    via_import = _stand(ids)
    beeindigd = sum(1 for s in via_import.values() if s["kolommen"][0] == Fase.UITSTROOM)
    assert 300 < beeindigd < 600  # both kinds are there to compare
    assert all(s["acties"] and s["transities"] for s in via_import.values())

    # Undo the route and start it again through the services, on the placements as the
    # import wrote them without a route.
    Actie.objects.filter(plaatsing_id__in=ids).delete()
    Transitie.objects.filter(plaatsing_id__in=ids).delete()
    LogEntry.objects.filter(
        additional_data__bron__in=["route gestart", REDEN_UITSCHRIJVING]
    ).delete()
    standaard = {f: Plaatsing._meta.get_field(f).get_default() for f in KOLOMMEN}
    for p in Plaatsing.objects.filter(pk__in=ids):
        Plaatsing.objects.filter(pk=p.pk).update(**{**standaard, "fase_sinds": p.startdatum})
    plaatsingen = list(Plaatsing.objects.filter(pk__in=ids).order_by("pk"))
    route_starten(plaatsingen=plaatsingen, door=SYSTEEM, via_import=True, mailen=False)
    uitschrijving_verwerken(
        plaatsingen=[p for p in plaatsingen if p.einddatum is not None], door=SYSTEEM
    )

    via_services = _stand(ids)
    verschillend = [pk for pk in ids if via_import[pk] != via_services[pk]]
    assert not verschillend, (via_import[verschillend[0]], via_services[verschillend[0]])
