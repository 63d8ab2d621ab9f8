"""Figures for the dashboard and the coalitiemonitor, all computed by the database.

Every function takes a placement queryset that is already scoped (`basis(user, ...)`), so a
figure can never count a pupil the user may not see. Each figure is one GROUP BY / aggregate
query, whatever the number of placements; nothing loops over placements in Python.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Aggregate,
    CharField,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    Value,
)
from django.utils import timezone

from coalitie.models import Instellingsschool, Samenwerkingsverband, Verblijf
from plaatsingen.models import Plaatsing, RedenUitschrijving, VervolgplekSoort
from routetool.models import Actie, ActieStatus
from routetool.selectors import SIGNALEN, signalen_tellen
from routetool.states import OPEN_FASEN, Fase

from .models import MAANDEN

# SQLite has no percentile aggregate: it reads at most this many durations to compute them.
MAX_DUUR_WAARDEN = 50_000


def basis(user, swv_ids=None):
    """The placements the figures are about: the user's scope, optionally some SWVs only."""
    qs = Plaatsing.objects.zichtbaar_voor(user)
    if swv_ids:
        qs = qs.filter(verantwoordelijk_swv_id__in=list(swv_ids))
    return qs.order_by()


def maand_label(maand: dt.date, *, kort: bool = False) -> str:
    naam = MAANDEN[maand.month - 1]
    return f"{naam[:3]} {maand:%y}" if kort else f"{naam} {maand.year}"


def maanden_tussen(van: dt.date, tot: dt.date) -> list[dt.date]:
    eerste, laatste = van.replace(day=1), tot.replace(day=1)
    maanden = []
    while eerste <= laatste:
        maanden.append(eerste)
        eerste += relativedelta(months=1)
    return maanden


def liep_in_periode(van: dt.date, tot: dt.date) -> Q:
    """Placements at the school on any day of [van, tot]."""
    return Q(startdatum__lte=tot) & (Q(einddatum__isnull=True) | Q(einddatum__gte=van))


def actief_op(datum: dt.date) -> Q:
    return Q(startdatum__lte=datum) & (Q(einddatum__isnull=True) | Q(einddatum__gte=datum))


# --- Small SQL helpers ------------------------------------------------------------------------


class Dagen(Func):
    """einddatum - startdatum in whole days, on PostgreSQL and SQLite alike."""

    output_field = IntegerField()
    arity = 2

    def as_postgresql(self, compiler, conn, **extra):
        return self.as_sql(compiler, conn, template="(%(expressions)s)", arg_joiner=" - ")

    def as_sqlite(self, compiler, conn, **extra):
        return self.as_sql(
            compiler,
            conn,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
        )


class Percentiel(Aggregate):
    """PostgreSQL's percentile_cont (an ordered-set aggregate)."""

    function = "percentile_cont"
    output_field = FloatField()
    template = "%(function)s(%(fractie)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fractie: float, **extra):
        super().__init__(expression, fractie=float(fractie), **extra)


# --- The figures ------------------------------------------------------------------------------


# Grouped by the ids on the placement, not by the SWV code and school name: no joins, and
# PostgreSQL hashes integers instead of sorting text (~180 -> ~120 ms at 100,000 placements,
# README Prestaties). The names come after, in two queries over the few ids that occur.
PERIODE_VELDEN = {
    "per_swv": ("verantwoordelijk_swv_id", {}),
    "per_school": ("instellingsschool_id", {}),
    "per_verblijf": ("verblijf", dict(Verblijf.choices)),
}


def _namen(groepen) -> dict[str, tuple[str, dict]]:
    """PERIODE_VELDEN with the labels of the SWV and school ids in `groepen`."""
    swv_ids = {g[0] for g in groepen if g[0] is not None}
    school_ids = {g[1] for g in groepen if g[1] is not None}
    swvs, scholen = {}, {}
    if swv_ids or school_ids:
        # One round trip for both (the dashboard's fixed cost, README Prestaties).
        for soort, pk, naam in (
            Samenwerkingsverband.objects.filter(pk__in=swv_ids)
            .annotate(soort=Value("s", output_field=CharField()))
            .order_by()
            .values_list("soort", "pk", "code")
            .union(
                Instellingsschool.objects.filter(pk__in=school_ids)
                .annotate(soort=Value("i", output_field=CharField()))
                .order_by()
                .values_list("soort", "pk", "naam"),
                all=True,
            )
        ):
            (swvs if soort == "s" else scholen)[pk] = naam
    return {
        "per_swv": ("verantwoordelijk_swv_id", swvs),
        "per_school": ("instellingsschool_id", scholen),
        "per_verblijf": PERIODE_VELDEN["per_verblijf"],
    }


def periode_cijfers(qs, van: dt.date, tot: dt.date, peildata: list[dt.date]) -> dict:
    """In ONE query, about the placements of [van, tot]: how many ran in it, how many were
    active on each reference date, how many started and ended per month (a filtered count per
    month, so months without any placement are there too), and those that ran in it per SWV,
    school and kind of stay.

    It is a GROUP BY over (SWV, school, kind of stay) with a filtered count per figure; the
    totals are sums over the (few hundred at most) groups, not over placements. Every count is
    about placements that ran in [van, tot] (or, for a reference date outside it, on that
    date), so the query keeps only those first: with 100,000 placements over five years about a
    quarter, and the ~40 filtered counts are evaluated on those rows alone. On PostgreSQL
    `periode_cijfers_pg` gives the same figures with far fewer expressions per placement.
    """
    if connection.vendor == "postgresql":
        return periode_cijfers_pg(qs, van, tot, peildata)
    return periode_cijfers_generiek(qs, van, tot, peildata)


def periode_cijfers_generiek(qs, van: dt.date, tot: dt.date, peildata: list[dt.date]) -> dict:
    """`periode_cijfers` in portable SQL (SQLite, and the reference for the PostgreSQL way)."""
    maanden = maanden_tussen(van, tot)

    def binnen(m: dt.date) -> tuple[dt.date, dt.date]:
        return max(m, van), min(m + relativedelta(months=1, days=-1), tot)

    tellers = {
        "in_periode": Count("pk", filter=liep_in_periode(van, tot)),
        **{f"d{i}": Count("pk", filter=actief_op(d)) for i, d in enumerate(peildata)},
        **{
            f"in{i}": Count("pk", filter=Q(startdatum__range=binnen(m)))
            for i, m in enumerate(maanden)
        },
        **{
            f"uit{i}": Count("pk", filter=Q(einddatum__range=binnen(m)))
            for i, m in enumerate(maanden)
        },
    }
    kolommen = [veld for veld, _ in PERIODE_VELDEN.values()]
    groepen = list(
        qs.filter(liep_in_periode(min(van, *peildata), max(tot, *peildata)))
        .values(*kolommen)
        .annotate(**tellers)
        .order_by()
        .values_list(*kolommen, *tellers)
    )
    r = {naam: sum(g[len(kolommen) + i] for g in groepen) for i, naam in enumerate(tellers)}
    return {
        "in_periode": r["in_periode"],
        "peildata": [(d, r[f"d{i}"]) for i, d in enumerate(peildata)],
        "stroom": [
            {
                "maand": m,
                "label": maand_label(m),
                "kort": maand_label(m, kort=True),
                "instroom": r[f"in{i}"],
                "uitstroom": r[f"uit{i}"],
            }
            for i, m in enumerate(maanden)
        ],
        # in_periode is the first count after the group's own columns
        **_tellen((g[: len(kolommen) + 1] for g in groepen), _namen(groepen)),
    }


def periode_cijfers_pg(
    qs, van: dt.date, tot: dt.date, peildata: list[dt.date], *, uitstroom: bool = False
) -> dict:
    """`periode_cijfers` with a handful of expressions per placement instead of ~40 filtered
    counts (PostgreSQL; README Prestaties): each placement of the period gets the few numbers
    the figures need — from which reference date on it was there (`a`) and up to which (`b`),
    its month of starting and of ending in [van, tot] (or -1) and whether it ran in [van, tot]
    — and ONE scan groups by those (a few hundred groups) and, as a second grouping set, by
    SWV, school and stay. Python adds them up; the result is equal (tests/test_periode_cijfers).
    `uitstroom`: from the same scan also `verblijfsduur` and `verdelingen_uitstroom` of the
    placements that ended in [van, tot] (they are among the period's), as two more grouping
    sets: the bestemmingen/redenen, and the lengths of stay whose quartiles Python takes as
    percentile_cont does."""
    maanden = maanden_tussen(van, tot)

    # The month of a date in [van, tot] as an index into `maanden`: width_bucket over their
    # first days is integer work, where EXTRACT(YEAR/MONTH) is numeric arithmetic (~13 ms CPU
    # over the 26,000 placements of a year at 100,000, README Prestaties).
    def maand_in_periode(kolom: str) -> str:
        return f"CASE WHEN {kolom} BETWEEN %s AND %s THEN width_bucket({kolom}, %s::date[]) - 1 ELSE -1 END"

    try:
        binnen, binnen_params = (
            qs.filter(liep_in_periode(min(van, *peildata), max(tot, *peildata)))
            .order_by()
            .values(
                "verantwoordelijk_swv_id",
                "instellingsschool_id",
                "verblijf",
                "startdatum",
                "einddatum",
                "vervolgplek_soort",
                "reden_uitschrijving",
            )
            .query.sql_with_params()
        )
    except EmptyResultSet:
        binnen = None
    rijen = []
    if binnen is not None:
        # Without the uitstroom sets their columns are in no grouping set, and GROUPING() may
        # not name them: the same bits from the two columns that are grouped.
        welke = (
            "vs, rs, d, u, GROUPING(s, a, vs, d)"
            if uitstroom
            else "NULL, NULL, NULL, NULL, GROUPING(s, a) * 4 + 3"
        )
        sql = (
            # Django-compiled SQL inside, every value passed as a parameter.
            f"SELECT s, i, v, a, b, sm, em, ip, {welke}, count(*), "  # noqa: S608
            "count(*) FILTER (WHERE ip) "
            "FROM (SELECT x.verantwoordelijk_swv_id AS s, x.instellingsschool_id AS i, "
            "x.verblijf AS v, width_bucket(x.startdatum - 1, %s::date[]) AS a, "
            "coalesce(width_bucket(x.einddatum, %s::date[]), %s) AS b, "
            f"{maand_in_periode('x.startdatum')} AS sm, {maand_in_periode('x.einddatum')} AS em, "
            "(x.startdatum <= %s AND (x.einddatum IS NULL OR x.einddatum >= %s)) AS ip, "
            "x.vervolgplek_soort AS vs, x.reden_uitschrijving AS rs, "
            "(x.einddatum - x.startdatum) AS d, "
            "coalesce(x.einddatum BETWEEN %s AND %s, false) AS u "
            f"FROM ({binnen}) x) y GROUP BY GROUPING SETS ((s, i, v), (a, b, sm, em, ip)"
            + (", (vs, rs, u), (d, u))" if uitstroom else ")")
        )
        params = (peildata, peildata, len(peildata), van, tot, maanden)
        params += (van, tot, maanden, tot, van, van, tot, *binnen_params)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rijen = cursor.fetchall()
    groepen, actief = [], [0] * len(peildata)
    instroom, uitstroom_per_maand = [0] * len(maanden), [0] * len(maanden)
    in_periode = 0
    bestemmingen, dagen = [], []
    for s, i, v, a, b, sm, em, ip, vs, rs, d, u, welke, n, n_ip in rijen:
        if welke == 0b0111:  # grouped by (SWV, school, stay)
            groepen.append((s, i, v, n_ip))
        elif welke == 0b1011:  # by reference dates and months
            for k in range(a, b):  # there on reference dates a … b-1
                actief[k] += n
            if sm >= 0:
                instroom[sm] += n
            if em >= 0:
                uitstroom_per_maand[em] += n
            in_periode += n if ip else 0
        elif welke == 0b1101 and u:  # ended in the period, by bestemming and reden
            bestemmingen.append((vs, rs, n))
        elif welke == 0b1110 and u:  # ended in the period, by length of stay
            dagen.append((d, n))
    extra = {}
    if uitstroom:
        extra = {"duur": _kwartielen(dagen), **_tellen(bestemmingen, UITSTROOM_VELDEN)}
    return {
        "in_periode": in_periode,
        "peildata": list(zip(peildata, actief, strict=True)),
        "stroom": [
            {
                "maand": m,
                "label": maand_label(m),
                "kort": maand_label(m, kort=True),
                "instroom": instroom[k],
                "uitstroom": uitstroom_per_maand[k],
            }
            for k, m in enumerate(maanden)
        ],
        **_tellen(groepen, _namen(groepen)),
        **extra,
    }


def _kwartielen(histogram: list[tuple[int, int]]) -> Duur:
    """`duur_kwartielen` from (days, count) pairs, computed as PostgreSQL's percentile_cont
    does (the same float operations, so the same numbers)."""
    histogram = sorted(histogram)
    n = sum(c for _, c in histogram)
    if not n:
        return Duur(0, None, None, None)

    def op_plaats(index: int) -> float:
        for waarde, c in histogram:
            if index < c:
                return float(waarde)
            index -= c
        raise IndexError(index)

    def percentiel(fractie: float) -> float:
        plaats = fractie * (n - 1)
        laag, hoog = math.floor(plaats), math.ceil(plaats)
        a = op_plaats(laag)
        return a if laag == hoog else a + (plaats - laag) * (op_plaats(hoog) - a)

    return Duur(n, percentiel(0.25), percentiel(0.5), percentiel(0.75))


def _tellen(groepen, velden: dict[str, tuple[str, dict]]) -> dict[str, list[tuple[str, int]]]:
    """Per field, the counts per (labelled) value from (values of the fields..., count) groups."""
    tellers = {naam: Counter() for naam in velden}
    for *waarden, n in groepen:
        if not n:
            continue
        for (naam, (_, labels)), waarde in zip(velden.items(), waarden, strict=True):
            tellers[naam][labels.get(waarde, waarde) or "onbekend"] += n
    return {
        naam: sorted(teller.items(), key=lambda kv: (-kv[1], kv[0]))
        for naam, teller in tellers.items()
    }


def _verdelingen(qs, velden: dict[str, tuple[str, dict]]) -> dict[str, list[tuple[str, int]]]:
    """Counts per value of several fields from ONE GROUP BY over all of them together; the
    per-field totals are sums over the (few hundred at most) groups, not over placements."""
    kolommen = [veld for veld, _ in velden.values()]
    groepen = qs.values(*kolommen).annotate(n=Count("pk")).order_by().values_list(*kolommen, "n")
    return _tellen(groepen, velden)


UITSTROOM_VELDEN = {
    "bestemmingen": (
        "vervolgplek_soort",
        dict(VervolgplekSoort.choices) | {"": "nog niet bekend"},
    ),
    "redenen": (
        "reden_uitschrijving",
        dict(RedenUitschrijving.choices) | {"": "niet opgegeven"},
    ),
}


def verdelingen_uitstroom(qs) -> dict[str, list[tuple[str, int]]]:
    return _verdelingen(qs, UITSTROOM_VELDEN)


@dataclass
class Duur:
    aantal: int
    p25: float | None
    mediaan: float | None
    p75: float | None

    @property
    def mediaan_weken(self) -> float | None:
        return None if self.mediaan is None else round(self.mediaan / 7, 1)


def verblijfsduur(qs) -> Duur:
    """Length of stay in days of the placements in `qs` that have ended: median and quartiles."""
    return duur_kwartielen(qs.filter(einddatum__isnull=False), Dagen("einddatum", "startdatum"))


def duur_kwartielen(qs, dagen_expressie) -> Duur:
    """Median and quartiles of a number of days per placement (`dagen_expressie`)."""
    met_dagen = qs.annotate(dagen=dagen_expressie)
    if connection.vendor == "postgresql":
        r = met_dagen.aggregate(
            aantal=Count("pk"),
            p25=Percentiel("dagen", 0.25),
            mediaan=Percentiel("dagen", 0.5),
            p75=Percentiel("dagen", 0.75),
        )
        return Duur(r["aantal"], r["p25"], r["mediaan"], r["p75"])
    # SQLite (the embedded demo): a bounded, sorted list of integers, not model instances.
    dagen = list(met_dagen.order_by("dagen").values_list("dagen", flat=True)[:MAX_DUUR_WAARDEN])
    if not dagen:
        return Duur(0, None, None, None)
    if len(dagen) == 1:
        return Duur(1, dagen[0], dagen[0], dagen[0])
    q = statistics.quantiles(dagen, n=4, method="inclusive")
    return Duur(len(dagen), q[0], statistics.median(dagen), q[2])


ACTIE_FASEN = (Fase.INSTROOM, Fase.VERBLIJF, Fase.UITSTROOM, Fase.NAZORG)


def acties_op_tijd(qs, van: dt.date, tot: dt.date, vandaag: dt.date | None = None) -> list[dict]:
    """Per phase: actions whose deadline fell in [van, min(tot, today)], and how many of those
    were done on or before the deadline. Skipped actions are not counted.

    Planner-proof (README Prestaties): on a freshly imported database the big tables have no
    statistics, the planner guesses a handful of actions, and the EXISTS per action became a
    nested loop that probed the placement ~77,000 times and then sorted them to GROUP BY phase.
    Now the actions are first counted per placement (filtered counts per phase, ~21,000 rows)
    and only those rows are checked against the scope: a nested loop then costs ~21,000 probes,
    and with statistics PostgreSQL hash-joins as before. Counted by plaatsing_id, not id: every
    column used is in `actie_termijn_idx`, so the actions come from that index alone.
    Django cannot select FROM a subquery, so the two ORM queries are compiled and wrapped.
    """
    vandaag = vandaag or timezone.localdate()
    return acties_per_fase(acties_op_tijd_ruw(qs, van, min(tot, vandaag)))


# t0/o0 … t3/o3: per phase of ACTIE_FASEN the actions counted and those done on time.
ACTIE_TELLERS = [f"{x}{i}" for i in range(len(ACTIE_FASEN)) for x in "to"]


def acties_op_tijd_ruw(qs, van: dt.date, eind: dt.date) -> dict[str, int]:
    """The counts of `acties_op_tijd` for deadlines in [van, eind], as ACTIE_TELLERS."""
    gedaan_op_tijd = Q(status=ActieStatus.GEDAAN, gedaan_op__date__lte=F("deadline"))
    tellers = {}
    for i, fase in enumerate(ACTIE_FASEN):
        tellers[f"t{i}"] = Count("plaatsing", filter=Q(fase=fase))
        tellers[f"o{i}"] = Count("plaatsing", filter=Q(fase=fase) & gedaan_op_tijd)
    per_plaatsing = (
        Actie.objects.filter(
            deadline__range=(van, eind), status__in=[ActieStatus.OPEN, ActieStatus.GEDAAN]
        )
        .order_by()
        .values("plaatsing_id")
        .annotate(**tellers)
        .values("plaatsing_id", *tellers)
    )
    r = dict.fromkeys(tellers, 0)
    try:
        binnen, binnen_params = per_plaatsing.query.sql_with_params()
        scope, scope_params = qs.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # an empty scope (qs.none()): nothing to count
        return r
    sommen = ", ".join(f"SUM(a.{naam})" for naam in tellers)
    with connection.cursor() as cursor:
        cursor.execute(
            # Both parts are SQL Django compiled, their values passed as parameters.
            f"SELECT {sommen} FROM ({binnen}) a WHERE a.plaatsing_id IN ({scope})",  # noqa: S608
            (*binnen_params, *scope_params),
        )
        return dict(zip(tellers, (int(n or 0) for n in cursor.fetchone()), strict=True))


def acties_per_fase(r: dict[str, int]) -> list[dict]:
    uit = []
    for i, fase in enumerate(ACTIE_FASEN):
        totaal, op_tijd = r[f"t{i}"], r[f"o{i}"]
        uit.append(
            {
                "fase": fase.label,
                "totaal": totaal,
                "op_tijd": op_tijd,
                "procent": round(100 * op_tijd / totaal) if totaal else None,
            }
        )
    return uit


def open_signalen(qs, vandaag: dt.date | None = None) -> list[tuple[str, int]]:
    return open_signalen_en_routes(qs, vandaag)[0]


def open_signalen_en_routes(qs, vandaag: dt.date | None = None) -> tuple[list, int]:
    """`open_signalen` and the number of open routes, from the same scan of the open
    placements (a second count over them cost ~7 ms at 100,000, README Prestaties)."""
    tellingen = signalen_tellen(qs.filter(fase__in=OPEN_FASEN), vandaag, _open=Count("pk"))
    return [(label, tellingen[key]) for key, label in SIGNALEN], tellingen["_open"]


def alle_cijfers(
    qs,
    van: dt.date,
    tot: dt.date,
    vandaag: dt.date | None = None,
    voortgang=None,
    *,
    verantwoording: bool = False,
    acties_tellen=None,
    open_routes: bool = False,
):
    """Every section of the dashboard/monitor for [van, tot]; `voortgang(pct)` reports progress.
    `verantwoording`: also the startfoto figures (the monitor and the national view; the
    dashboard leaves them out: they cost ~0.7 s at 100,000 placements, README Prestaties).
    `acties_tellen`: another way to the same `acties_op_tijd` (the dashboard's counters).
    `open_routes`: also the number of open routes (the dashboard names them)."""
    vandaag = vandaag or timezone.localdate()
    melden = voortgang or (lambda pct: None)
    uitgestroomd = qs.filter(einddatum__range=(van, tot))
    peildata = sorted({m for m in maanden_tussen(van, tot) if m >= van} | {min(tot, vandaag)})
    cijfers = {"van": van, "tot": tot, "vandaag": vandaag}
    if connection.vendor == "postgresql":  # one scan for both (periode_cijfers_pg)
        cijfers |= periode_cijfers_pg(qs, van, tot, peildata, uitstroom=True)
    else:
        cijfers |= periode_cijfers(qs, van, tot, peildata)
        cijfers["duur"] = verblijfsduur(uitgestroomd)
        cijfers |= verdelingen_uitstroom(uitgestroomd)
    cijfers["actief_nu"] = cijfers["peildata"][-1][1]
    melden(50)
    melden(65)
    cijfers["acties"] = (acties_tellen or acties_op_tijd)(qs, van, tot, vandaag)
    cijfers["signalen"], n_open = open_signalen_en_routes(qs, vandaag)
    if open_routes:
        cijfers["open_routes"] = n_open
    melden(70)
    if verantwoording:
        from .verantwoording import verantwoording_cijfers

        cijfers["v"] = verantwoording_cijfers(qs, van, tot, vandaag)
    melden(80)
    return cijfers
