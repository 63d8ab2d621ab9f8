"""The period figures from one scan on PostgreSQL (`cijfers.periode_cijfers_pg`, with the
length of stay and the uitstroom distributions) equal the portable computation
(`periode_cijfers_generiek`, `verblijfsduur`, `verdelingen_uitstroom`) for every scope, SWV
choice and period, including placements that start or end exactly on a reference date."""

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from coalitie.models import Coalitie, Rol
from rapportage import cijfers
from rapportage.cijfers import Duur, basis
from tools.generator import genereren

from .conftest import HARREVELD, SCHAKENBOSCH, SWV_A, SWV_B, persona
from .factories import PlaatsingFactory, UserFactory, instellingsschool, swv

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the one-scan way is PostgreSQL's only"
    ),
]
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
VANDAAG = dt.date(2025, 11, 24)
PERIODES = [
    (dt.date(2024, 12, 1), VANDAAG),  # twelve months up to today
    (dt.date(2025, 11, 1), VANDAAG),  # this month
    (dt.date(2025, 1, 17), dt.date(2025, 6, 10)),  # ragged, in the past
    (dt.date(2025, 7, 1), dt.date(2025, 9, 30)),  # a quarter
    (dt.date(2021, 1, 1), dt.date(2025, 12, 31)),  # five years, ending after today
    (dt.date(2026, 2, 1), dt.date(2026, 5, 3)),  # wholly after today
    (dt.date(2025, 5, 31), dt.date(2025, 6, 1)),  # two days over a month boundary
]


def peildata_van(van, tot):
    maanden = {m for m in cijfers.maanden_tussen(van, tot) if m >= van}
    return sorted(maanden | {min(tot, VANDAAG)})


def generiek(qs, van, tot, peildata):
    r = cijfers.periode_cijfers_generiek(qs, van, tot, peildata)
    uitgestroomd = qs.filter(einddatum__range=(van, tot))
    return (
        r
        | {"duur": cijfers.verblijfsduur(uitgestroomd)}
        | cijfers.verdelingen_uitstroom(uitgestroomd)
    )


def _randgevallen():
    """Placements that start or end exactly on, or a day beside, a reference date."""
    scholen = [instellingsschool(SCHAKENBOSCH), instellingsschool(HARREVELD)]
    for i, (start, eind) in enumerate(
        [
            (dt.date(2025, 6, 1), None),
            (dt.date(2025, 5, 31), dt.date(2025, 6, 1)),
            (dt.date(2025, 1, 17), dt.date(2025, 6, 10)),
            (dt.date(2024, 12, 1), dt.date(2025, 7, 1)),
            (dt.date(2025, 2, 1), dt.date(2025, 2, 28)),
            (dt.date(2025, 11, 24), None),
            (dt.date(2025, 11, 25), None),  # after today
            (dt.date(2026, 3, 1), dt.date(2026, 4, 1)),
        ]
    ):
        PlaatsingFactory(
            instellingsschool=scholen[i % 2],
            verantwoordelijk_swv=swv([SWV_A, SWV_B][i % 2]),
            startdatum=start,
            einddatum=eind,
            vervolgplek_soort=["", "mbo"][i % 2],
        )


def test_the_one_scan_figures_equal_the_portable_ones_for_every_scope_and_period(
    contact_swv_a,
    medewerker_schakenbosch,
    procesregisseur,
    procesregisseur_andere_coalitie,
    zonder_rol,
):
    with time_machine.travel(dt.datetime.combine(VANDAAG, dt.time(12), AMSTERDAM)):
        for slug, seed in (("zuid-west", 5), ("limburg", 6)):
            genereren(
                plaatsingen=300,
                leerlingen=280,
                coalitie=Coalitie.objects.get(slug=slug),
                seed=seed,
                vandaag=VANDAAG,
            )
        _randgevallen()
    gebruikers = [
        contact_swv_a,
        medewerker_schakenbosch,
        procesregisseur,
        procesregisseur_andere_coalitie,
        zonder_rol,
        UserFactory(is_superuser=True),
        persona(Rol.PENVOERDER, coalitie=Coalitie.objects.get(slug="zuid-west")),
    ]
    gevuld = 0
    for user in gebruikers:
        for swv_ids in (None, [swv(SWV_A).pk], [swv(SWV_A).pk, swv(SWV_B).pk]):
            qs = basis(user, swv_ids)
            for van, tot in PERIODES:
                peildata = peildata_van(van, tot)
                nieuw = cijfers.periode_cijfers_pg(qs, van, tot, peildata, uitstroom=True)
                assert nieuw == generiek(qs, van, tot, peildata), (user.pk, swv_ids, van, tot)
                # without the uitstroom set (two grouping sets): the period figures alone
                alleen = cijfers.periode_cijfers_pg(qs, van, tot, peildata)
                assert alleen == cijfers.periode_cijfers_generiek(qs, van, tot, peildata)
                gevuld += nieuw["in_periode"] > 0 and nieuw["duur"].aantal > 0
    assert gevuld > 40  # real numbers were compared, not empty results


def test_the_whole_figures_equal_the_portable_way(procesregisseur):
    with time_machine.travel(dt.datetime.combine(VANDAAG, dt.time(12), AMSTERDAM)):
        genereren(plaatsingen=200, leerlingen=190, coalitie=Coalitie.objects.get(slug="zuid-west"))
    qs = basis(procesregisseur, None)
    van = dt.date(2024, 12, 1)
    alles = cijfers.alle_cijfers(qs, van, VANDAAG, VANDAAG)
    verwacht = generiek(qs, van, VANDAAG, peildata_van(van, VANDAAG))
    assert {k: alles[k] for k in verwacht} == verwacht
    assert alles["actief_nu"] == verwacht["peildata"][-1][1] > 0


def test_quartiles_are_those_of_percentile_cont():
    rnd = random.Random(7)
    gevallen = [[5], [1, 2], [3, 3, 3], [0, 10, 11, 400], list(range(7))]
    gevallen += [[rnd.randrange(0, 900) for _ in range(rnd.randrange(1, 60))] for _ in range(40)]
    with connection.cursor() as cursor:
        for dagen in gevallen:
            cursor.execute(
                "SELECT count(*), percentile_cont(0.25) WITHIN GROUP (ORDER BY d), "
                "percentile_cont(0.5) WITHIN GROUP (ORDER BY d), "
                "percentile_cont(0.75) WITHIN GROUP (ORDER BY d) FROM unnest(%s::int[]) d",
                [dagen],
            )
            histogram = {}
            for d in dagen:
                histogram[d] = histogram.get(d, 0) + 1
            assert cijfers._kwartielen(list(histogram.items())) == Duur(*cursor.fetchone())
    assert cijfers._kwartielen([]) == Duur(0, None, None, None)
