"""The counters the database keeps for "acties op tijd" (rapportage.models.ActieTeller) agree
with the actions themselves after every write path, and the dashboard's figures from them are
the figures counted live (`cijfers.acties_op_tijd`), for every scope, period and SWV choice.

A write path that bypasses the triggers, or a trigger that forgets a case (a status change, a
moved deadline, a placement moved to another SWV or school, a deletion), makes the reference
below disagree."""

import datetime as dt
import importlib
import io
import random
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from coalitie.models import Coalitie, Rol
from plaatsingen.models import Plaatsing
from rapportage import actietellers, cijfers
from rapportage.cijfers import alle_cijfers, basis
from rapportage.dashboard import dashboard_cijfers
from rapportage.models import ActieTeller
from routetool.correcties import actie_heropenen
from routetool.models import Actie, ActieStatus
from routetool.services import RouteFout, startdatum_gecorrigeerd
from tools.generator import genereren

from .conftest import HARREVELD, RIJNSTROOM, SCHAKENBOSCH, SWV_A, SWV_B, persona
from .factories import UserFactory, instellingsschool, swv
from .test_signaalvelden import (
    AMSTERDAM,
    STAPPEN,
    START,
    _eigen_routekaart,
    _nieuwe_plaatsingen,
)

pytestmark = pytest.mark.django_db
alleen_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps no counters: it counts live"
)


def live_per_sleutel() -> dict[tuple, int]:
    """Per (SWV, school, phase, month, t|o) straight from the actions, the date in Python."""
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
        if status == ActieStatus.GEDAAN and timezone.localtime(gedaan_op).date() <= deadline:
            uit[(*sleutel, "o")] += 1
    return {k: n for k, n in uit.items() if n}


def tellers_per_sleutel() -> dict[tuple, int]:
    uit = Counter()
    for s, i, fase, maand, t, o in ActieTeller.objects.values_list(
        "verantwoordelijk_swv_id", "instellingsschool_id", "fase", "maand", "totaal", "op_tijd"
    ):
        uit[(s, i, fase, maand, "t")] += t
        uit[(s, i, fase, maand, "o")] += o
    return {k: n for k, n in uit.items() if n}


def controleren():
    assert tellers_per_sleutel() == live_per_sleutel()


# --- write paths beyond the signal test's route steps ----------------------------------------


def heropenen(rnd, p, door, dag):
    gedaan = list(
        Actie.objects.filter(plaatsing=p, status=ActieStatus.GEDAAN, fase=p.fase).order_by("pk")
    )
    if not gedaan:
        raise RouteFout("niets om te heropenen")
    actie_heropenen(actie_id=rnd.choice(gedaan).pk, door=door, reden="verkeerd afgevinkt")


def verplaatsen(rnd, p, door, dag):
    """The placement's SWV or school changes (an import correction): its actions move along."""
    if rnd.random() < 0.5:
        Plaatsing.objects.filter(pk=p.pk).update(
            verantwoordelijk_swv=swv(rnd.choice([SWV_A, SWV_B]))
        )
    else:
        school = instellingsschool(rnd.choice([SCHAKENBOSCH, HARREVELD, RIJNSTROOM]))
        Plaatsing.objects.filter(pk=p.pk).update(instellingsschool=school)


def startdatum_corrigeren(rnd, p, door, dag):
    oud = p.startdatum
    Plaatsing.objects.filter(pk=p.pk).update(
        startdatum=oud - dt.timedelta(days=rnd.randrange(1, 40))
    )
    startdatum_gecorrigeerd(correcties={p.pk: oud})


def verwijderen(rnd, p, door, dag):
    """Deleted through the ORM (its collector deletes the actions first), as retention would."""
    p.delete()
    raise RouteFout("verwijderd")  # not a step to count as 'gelukt' for a later pick


EXTRA = [heropenen, heropenen, verplaatsen, startdatum_corrigeren]


@alleen_postgresql
def test_the_counters_agree_with_the_actions_over_a_random_route_history():
    rnd = random.Random(13)
    door = UserFactory(is_superuser=True)
    _eigen_routekaart(instellingsschool(SCHAKENBOSCH).coalitie)
    gelukt = Counter()
    dag = START
    plaatsingen: list[Plaatsing] = []
    with time_machine.travel(dt.datetime.combine(dag, dt.time(12), AMSTERDAM)) as reis:
        for stap in range(400):
            dag += dt.timedelta(days=rnd.choice([0, 0, 1, 2, 5, 14]))
            reis.move_to(dt.datetime.combine(dag, dt.time(12), AMSTERDAM))
            if stap % 12 == 0:
                plaatsingen += _nieuwe_plaatsingen(rnd, dag)
                continue
            keuze = Plaatsing.objects.filter(pk__in=[p.pk for p in plaatsingen])
            p = keuze.select_related("instellingsschool").get(pk=rnd.choice(list(keuze)).pk)
            stap_functie = rnd.choice(
                [*STAPPEN, *EXTRA] + ([verwijderen] if stap % 40 == 5 else [])
            )
            try:
                stap_functie(rnd, p, door, dag)
                gelukt[stap_functie.__name__] += 1
            except RouteFout:
                pass
            if stap % 20 == 19:
                controleren()
            if stap % 100 == 99:
                actietellers.samenvoegen()
                controleren()
    controleren()
    # The history really was varied: every kind of write happened.
    assert all(gelukt[f.__name__] >= 5 for f in [*STAPPEN, *EXTRA]), gelukt
    assert Actie.objects.filter(notitie__contains="Heropend").exists()


@alleen_postgresql
def test_generated_demo_and_migrated_data_are_counted_as_the_actions_say():
    with time_machine.travel(dt.datetime(2025, 11, 24, 12, tzinfo=AMSTERDAM)):
        genereren(plaatsingen=300, leerlingen=270, coalitie=Coalitie.objects.get(slug="zuid-west"))
    call_command("seed_demo", stdout=io.StringIO())
    controleren()
    verwacht = tellers_per_sleutel()
    assert sum(n for k, n in verwacht.items() if k[-1] == "o") > 0
    # Folding the deltas keeps every figure and leaves one row per key.
    rijen = actietellers.samenvoegen()
    assert rijen == ActieTeller.objects.count() == len({k[:4] for k in verwacht})
    assert tellers_per_sleutel() == verwacht
    # The migration's first fill counts what the triggers counted.
    ActieTeller.objects.all().delete()
    migratie = importlib.import_module("rapportage.migrations.0005_actieteller")
    with connection.cursor() as cursor:
        cursor.execute(migratie._invoegen(migratie._acties("routetool_actie", 1)))
    assert tellers_per_sleutel() == verwacht


def test_full_months_of_a_period():
    d = dt.date
    assert actietellers.volle_maanden(d(2025, 12, 1), d(2026, 12, 1)) == (
        d(2025, 12, 1),
        d(2026, 11, 1),
    )
    assert actietellers.volle_maanden(d(2025, 1, 17), d(2025, 3, 31)) == (
        d(2025, 2, 1),
        d(2025, 3, 1),
    )
    assert actietellers.volle_maanden(d(2025, 1, 2), d(2025, 1, 31)) is None
    assert actietellers.volle_maanden(d(2025, 2, 1), d(2025, 2, 28)) == (d(2025, 2, 1),) * 2
    assert actietellers.volle_maanden(d(2025, 3, 1), d(2025, 2, 28)) is None


VANDAAG = dt.date(2025, 11, 24)
PERIODES = [
    (dt.date(2024, 12, 1), VANDAAG),  # the default: twelve months up to today
    (dt.date(2025, 11, 1), VANDAAG),  # this month only: all live
    (dt.date(2025, 1, 17), dt.date(2025, 6, 10)),  # both edges ragged, in the past
    (dt.date(2025, 7, 1), dt.date(2025, 9, 30)),  # whole months only
    (dt.date(2023, 3, 3), dt.date(2026, 6, 30)),  # ends after today
    (dt.date(2025, 5, 31), dt.date(2025, 6, 1)),  # two days across a month boundary
]


def test_dashboard_figures_from_the_counters_equal_the_live_count_for_every_scope(
    contact_swv_a,
    medewerker_schakenbosch,
    procesregisseur,
    procesregisseur_andere_coalitie,
    zonder_rol,
):
    with time_machine.travel(dt.datetime.combine(VANDAAG, dt.time(12), AMSTERDAM)):
        for slug, seed in (("zuid-west", 3), ("limburg", 4)):
            genereren(
                plaatsingen=250,
                leerlingen=230,
                coalitie=Coalitie.objects.get(slug=slug),
                seed=seed,
                vandaag=VANDAAG,
            )
        beheerder = UserFactory(is_superuser=True)
        penvoerder = persona(Rol.PENVOERDER, coalitie=Coalitie.objects.get(slug="zuid-west"))
    gebruikers = [
        contact_swv_a,
        medewerker_schakenbosch,
        procesregisseur,
        procesregisseur_andere_coalitie,
        zonder_rol,
        beheerder,
        penvoerder,
    ]
    keuzes = [None, [swv(SWV_A).pk], [swv(SWV_A).pk, swv(SWV_B).pk]]
    niet_leeg = 0
    for user in gebruikers:
        for swv_ids in keuzes:
            qs = basis(user, swv_ids)
            for van, tot in PERIODES:
                live = cijfers.acties_op_tijd(qs, van, tot, VANDAAG)
                snel = actietellers.acties_op_tijd(user, swv_ids, qs, van, tot, VANDAAG)
                assert snel == live, (user.pk, swv_ids, van, tot)
                niet_leeg += any(f["totaal"] for f in live)
    assert niet_leeg > 50  # the comparison was about real numbers, not zeros


def test_the_whole_dashboard_is_the_same_as_computed_without_counters(procesregisseur):
    with time_machine.travel(dt.datetime.combine(VANDAAG, dt.time(12), AMSTERDAM)):
        genereren(plaatsingen=300, leerlingen=280, coalitie=Coalitie.objects.get(slug="zuid-west"))
        van = dt.date(2024, 12, 1)
        nu = dashboard_cijfers(procesregisseur, None, van, VANDAAG)
    oud = alle_cijfers(basis(procesregisseur, None), van, VANDAAG, VANDAAG)
    assert {k: v for k, v in nu.items() if k not in ("open_routes", "berekend_op")} == oud
    assert sum(f["totaal"] for f in oud["acties"]) > 0
    # counted in the signals' scan: the same as counting the open routes on their own
    from routetool.states import OPEN_FASEN

    assert nu["open_routes"] == basis(procesregisseur, None).filter(fase__in=OPEN_FASEN).count()
    assert 0 < nu["open_routes"] < 300


@alleen_postgresql
def test_the_nightly_task_folds_the_counters_without_changing_a_figure():
    from rapportage.tasks import actietellers_samenvoegen

    with time_machine.travel(dt.datetime(2025, 11, 24, 12, tzinfo=AMSTERDAM)):
        genereren(plaatsingen=60, leerlingen=60, coalitie=Coalitie.objects.get(slug="zuid-west"))
        genereren(plaatsingen=60, leerlingen=60, coalitie=Coalitie.objects.get(slug="zuid-west"))
    voor, rijen_voor = tellers_per_sleutel(), ActieTeller.objects.count()
    assert actietellers_samenvoegen.delay().get() == ActieTeller.objects.count() < rijen_voor
    assert tellers_per_sleutel() == voor == live_per_sleutel()
