"""The actions a first import writes in bulk are counted in Python, not by the trigger
(routetool/bulkmelding.py, `rapportage.actietellers.nieuwe_acties_tellen`, migration
rapportage 0006): the counters must come out exactly as the trigger of 0005 would count them,
the mark on those statements must not reach any other write, and a failed import must leave
no counter behind.

The reference is 0005's own counting query over the whole table (`_acties("routetool_actie",
1)`), and a count in Python straight from the actions. A receiver that missed
rows, a trigger that counted them as well (twice), or a mark that stayed on would disagree."""

import datetime as dt
import importlib
import random
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files import File
from django.db import connection, transaction

from coalitie.models import Locatie
from coalitie.toegang import SYSTEEM
from config.bulk import COPY_VANAF, bulk_insert
from plaatsingen.importeren import toepassen, vergelijken
from plaatsingen.importeren.services import import_bestand_aanmaken, import_uitvoeren
from plaatsingen.models import ImportStatus, Leerling, Plaatsing
from rapportage.models import ActieTeller
from routetool import bulkmelding
from routetool.models import Actie, ActieStatus
from routetool.services import routes_voorbereiden
from tools.management.commands.benchmark_import import genereer

from .factories import PlaatsingFactory, instellingsschool, swv
from .test_actietellers import tellers_per_sleutel

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite keeps no counters: it counts live"
    ),
]
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
m0005 = importlib.import_module("rapportage.migrations.0005_actieteller")


def herteld() -> dict[tuple, int]:
    """0005's first fill over all actions now in the table, per key (t and o)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s, i, f, m, sum(t), sum(o) FROM ({m0005._acties('routetool_actie', 1)}) d "  # noqa: S608
            "GROUP BY 1, 2, 3, 4"
        )
        uit = {}
        for s, i, f, m, t, o in cursor.fetchall():
            uit[(s, i, f, m, "t")] = int(t)
            uit[(s, i, f, m, "o")] = int(o)
    return {k: n for k, n in uit.items() if n}


def in_python() -> dict[tuple, int]:
    """Per key from the actions, in Python, the date of `gedaan_op` in Amsterdam named
    explicitly (`test_actietellers.live_per_sleutel` takes the active time zone)."""
    uit = Counter()
    for s, i, fase, deadline, status, gedaan_op in Actie.objects.filter(
        deadline__isnull=False, status__in=[ActieStatus.OPEN, ActieStatus.GEDAAN]
    ).values_list(
        "plaatsing__verantwoordelijk_swv_id",
        "plaatsing__instellingsschool_id",
        "fase",
        "deadline",
        "status",
        "gedaan_op",
    ):
        sleutel = (s, i, fase, deadline.replace(day=1))
        uit[(*sleutel, "t")] += 1
        if gedaan_op and status == "gedaan" and gedaan_op.astimezone(AMSTERDAM).date() <= deadline:
            uit[(*sleutel, "o")] += 1
    return {k: n for k, n in uit.items() if n}


def controleren() -> dict[tuple, int]:
    tellers = tellers_per_sleutel()
    assert tellers == herteld()
    assert tellers == in_python()
    return tellers


def _import(tmp_path, aantal: int, zaad: int = 3):
    pad = Path(tmp_path) / "export.csv"
    genereer(pad, aantal, zaad=zaad)
    with pad.open("rb") as f:
        ib = import_bestand_aanmaken(bestand=File(f), naam="export.csv", door=SYSTEEM)
    return import_uitvoeren(import_bestand_id=ib.pk, controleer_dubbel=False)


@pytest.fixture(autouse=True)
def _vandaag():
    with time_machine.travel(dt.datetime(2025, 6, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def gemarkeerd(monkeypatch):
    """How many bulk writes went by the mark (so a test knows the new path ran at all)."""
    teller = {"gemarkeerd": 0, "acties": 0}
    echt = bulkmelding.acties_ingevoegd.send

    def send(sender, **kwargs):
        if kwargs["buiten_triggers"]:
            teller["gemarkeerd"] += 1
            teller["acties"] += len(kwargs["acties"])
        return echt(sender, **kwargs)

    monkeypatch.setattr(bulkmelding.acties_ingevoegd, "send", send)
    return teller


@pytest.mark.parametrize("deel", [vergelijken.DEEL, 150], ids=["copy", "kleine-groepen"])
def test_a_first_import_counts_its_actions_as_the_trigger_did(
    tmp_path, monkeypatch, gemarkeerd, deel
):
    # In groups of 150 the action writes are under COPY_VANAF: bulk_create, marked as well.
    monkeypatch.setattr(vergelijken, "DEEL", deel)
    ib = _import(tmp_path, 700)
    assert not ib.fouten and ib.aantal_nieuw == 700
    tellers = controleren()
    # Many keys: several SWVs, schools, phases and months; open and ended placements.
    assert len({k[0] for k in tellers}) > 10 and len({k[1] for k in tellers}) > 2
    assert len({k[3] for k in tellers}) > 6 and {k[2] for k in tellers} == {"instroom", "uitstroom"}
    assert gemarkeerd["acties"] == Actie.objects.count() > 3000
    # One marked write per phase and group: instroom and uitstroom, in one or five+ groups.
    assert gemarkeerd["gemarkeerd"] == 2 if deel > 700 else gemarkeerd["gemarkeerd"] >= 10


def _nieuwe_rijen(rnd: random.Random, aantal: int) -> list[dict]:
    """Placement rows as the import gives `routes_voorbereiden`: several SWVs and schools,
    start dates over a year, about half already ended."""
    locaties = list(Locatie.objects.select_related("instellingsschool").order_by("pk"))
    swvs = [swv(c).pk for c in ("VO 28-06", "VO 28-07", "VO 28-01", "VO 30-01")]
    pks = bulk_insert(
        Leerling,
        [
            {"leerlingnummer": f"NR{i:06d}", "achternaam": "A", "roepnaam": "B"}
            for i in range(aantal)
        ],
        pks=True,
    )
    rijen = []
    for leerling_id in pks:
        locatie = rnd.choice(locaties)
        start = dt.date(2024, 11, 1) + dt.timedelta(days=rnd.randrange(360))
        eind = start + dt.timedelta(days=rnd.randrange(20, 200)) if rnd.random() < 0.5 else None
        rijen.append(
            {
                "leerling_id": leerling_id,
                "instellingsschool_id": locatie.instellingsschool_id,
                "locatie_id": locatie.pk,
                "startdatum": start,
                "einddatum": eind,
                "verblijf": "gesloten",
                "verantwoordelijk_swv_id": rnd.choice(swvs),
                "fase_sinds": start,
            }
        )
    return rijen


def test_new_routes_on_their_own_are_counted_and_the_mark_does_not_stay(gemarkeerd):
    rijen = _nieuwe_rijen(random.Random(5), 400)
    routes = routes_voorbereiden(rijen=rijen, door=SYSTEEM, via_import=True)
    pks = bulk_insert(
        Plaatsing,
        [{**rij, **velden} for rij, velden in zip(rijen, routes.velden, strict=True)],
        pks=True,
    )
    routes.starten(pks)
    routes.uitschrijven()
    assert gemarkeerd["gemarkeerd"] == 2 and gemarkeerd["acties"] == Actie.objects.count() > 1000
    assert Plaatsing.objects.filter(einddatum__isnull=False).count() > 100
    voor = controleren()

    # In the same transaction, right after: actions written any other way are the trigger's.
    p = Plaatsing.objects.filter(pk__in=pks).order_by("pk").first()
    Actie.objects.create(
        plaatsing=p, fase="verblijf", volgorde=1, code="x", omschrijving="x",
        deadline=dt.date(2031, 3, 4),
    )  # fmt: skip
    bulk_insert(
        Actie,
        [
            {"plaatsing_id": pk, "fase": "nazorg", "volgorde": 1, "code": code,
             "omschrijving": "y", "deadline": dt.date(2031, 4, 1)}
            for pk in pks for code in ("y1", "y2")
        ],
    )  # fmt: skip
    na = controleren()
    s, i = p.verantwoordelijk_swv_id, p.instellingsschool_id
    assert na[(s, i, "verblijf", dt.date(2031, 3, 1), "t")] == 1
    assert len(pks) * 2 > COPY_VANAF  # a COPY, unmarked
    assert sum(n for k, n in na.items() if k[2] == "nazorg") == len(pks) * 2
    assert len(na) == len(voor) + 1 + len({k for k in na if k[2] == "nazorg"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting(%s, true)", [bulkmelding.GEMELD])
        assert cursor.fetchone()[0] in (None, "")


@pytest.mark.parametrize("aantal", [COPY_VANAF + 50, 60], ids=["copy", "bulk_create"])
def test_marked_actions_that_are_done_count_on_time_as_the_trigger_does(aantal):
    """Not what an import writes (its actions are new and open), but what the receiver must
    get right for any row: every status, no deadline, done just before and after midnight in
    Amsterdam on the deadline, done without a time."""
    rnd = random.Random(7)
    plaatsingen = [
        PlaatsingFactory(verantwoordelijk_swv=swv(c), instellingsschool=instellingsschool(n))
        for c in ("VO 28-06", "VO 28-07")
        for n in ("Schakenbosch Onderwijs & Werk", "SG Harreveld")
    ]
    rijen, eigenaren = [], []
    for k in range(aantal):
        p = rnd.choice(plaatsingen)
        deadline = rnd.choice(
            [None, dt.date(2025, 5, 31), dt.date(2025, 6, 1), dt.date(2025, 7, 15)]
        )
        status = rnd.choice(list(ActieStatus.values))
        rij = {"plaatsing_id": p.pk, "fase": rnd.choice(["instroom", "verblijf"]),
               "volgorde": k, "code": f"c{k}", "omschrijving": "x", "deadline": deadline}  # fmt: skip
        if rnd.random() < 0.8:
            rij["status"] = status
        if status == ActieStatus.OVERGESLAGEN:
            rij["reden_overslaan"] = "niet nodig"
        if status != ActieStatus.OPEN and rnd.random() < 0.9 and deadline:
            # Around midnight in Amsterdam between the deadline and the day after, or a day early.
            rij["gedaan_op"] = dt.datetime.combine(
                deadline, dt.time(22, 30), dt.UTC
            ) + dt.timedelta(hours=rnd.choice([-24, 0, 1, 2]))
        rijen.append(rij)
        eigenaren.append(p)
    with transaction.atomic():
        bulkmelding.invoegen(rijen, acties=rijen, plaatsingen=eigenaren)
    tellers = controleren()
    assert sum(n for k, n in tellers.items() if k[-1] == "o") > 0
    assert sum(n for k, n in tellers.items() if k[-1] == "t") < aantal  # some not counted


@pytest.mark.django_db(transaction=True)
def test_a_failing_import_leaves_no_counters_and_a_committed_one_leaves_them(
    tmp_path, monkeypatch, gemarkeerd
):
    """With a real COMMIT and ROLLBACK (the import's own transaction, not a test's savepoint)."""
    echt = toepassen.afronden

    def kapot(*args, **kwargs):
        assert ActieTeller.objects.exists()  # written inside the transaction
        raise RuntimeError("stroomstoring")

    monkeypatch.setattr(toepassen, "afronden", kapot)
    assert _import(tmp_path, 600).status == ImportStatus.MISLUKT
    assert gemarkeerd["gemarkeerd"] == 2
    assert not Actie.objects.exists() and not ActieTeller.objects.exists()

    monkeypatch.setattr(toepassen, "afronden", echt)
    ib = _import(tmp_path, 600, zaad=4)
    assert not ib.fouten and ib.aantal_nieuw == 600
    assert not connection.in_atomic_block
    controleren()
    # Written in the import's own transaction, outside a test's: the mark was in force.
    assert gemarkeerd["gemarkeerd"] == 4
