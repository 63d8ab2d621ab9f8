"""The startfoto / verantwoording figures of the coalitiemonitor (issue 18), next to `cijfers`.

Same contract as `cijfers.py`: every function takes an already scoped placement queryset and is
a fixed number of GROUP BY / aggregate queries, whatever the number of placements. Back-loaded
history (`Plaatsing.historisch`) counts like any other placement: it has no route, so it adds
nothing to the figures that come from actions or transitions (ambulant hours, nazorg, routes
afgebroken) and its stamschool counts as involved when the export named one.

Populations, all for the period [van, tot]:
- *liep* — placements at the school on any day of the period (as per SWV/school/verblijf);
- *instroom* — placements that started in the period;
- *uitstroom* — placements that ended in the period.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from plaatsingen.models import Niveau, Plaatsing
from routetool import route as rk
from routetool.models import Actie, ActieStatus, NazorgAntwoord, Transitie
from routetool.states import Fase

from .cijfers import Dagen, _kwartielen, liep_in_periode
from .gemeenten import gemeente_van

# A reason for afbreken is free text: in a report that leaves the coalition team only reasons
# given at least this often are printed; the rest are counted together (a unique text could
# name a pupil). The dashboard (the coalition team itself) shows every reason.
MIN_REDEN = 5
OVERIGE_REDENEN = "overige redenen (minder dan 5 keer genoemd)"

LEEFTIJDEN = [  # (label, younger than this many years at placement)
    ("jonger dan 12", 12),
    ("12 of 13 jaar", 14),
    ("14 of 15 jaar", 16),
    ("16 of 17 jaar", 18),
]
OUDER = "18 jaar of ouder"
GEEN_GEBOORTEDATUM = "geboortedatum onbekend"

WACHTTIJDEN = [  # (label, at most this many days from uitschrijving to the vervolgplek)
    ("aansluitend (0 dagen of eerder)", 0),
    ("1 tot en met 7 dagen", 7),
    ("8 tot en met 30 dagen", 30),
    ("31 tot en met 90 dagen", 90),
]
LANGER = "meer dan 90 dagen"
GEEN_VERVOLGPLEK = "geen vervolgplek met startdatum"

STAMSCHOOL_BETROKKEN = "stamschool betrokken in de instroom"
STAMSCHOOL_GEEN = "leerling heeft geen stamschool"
STAMSCHOOL_NIET = "stamschool (nog) niet betrokken"

NAZORG_MOMENTEN = [(rk.NAZORG_6W, "na 6 weken"), (rk.NAZORG_3M, "na 3 maanden")]
NAZORG_OPEN = "nog niet nagegaan (termijn verstreken)"
AFGEBROKEN_VAN = rk.AFGEBROKEN_VAN


class DatumTerug(Func):
    """A date column minus whole years/months, as a date, on PostgreSQL and SQLite alike."""

    output_field = DateField()
    arity = 1

    def __init__(self, expression, *, jaren: int = 0, maanden: int = 0):
        super().__init__(expression)
        self.maanden = int(jaren) * 12 + int(maanden)

    def as_postgresql(self, compiler, conn, **extra):
        return self.as_sql(
            compiler,
            conn,
            template=f"(%(expressions)s - INTERVAL '{self.maanden} months')::date",
        )

    def as_sqlite(self, compiler, conn, **extra):
        return self.as_sql(
            compiler, conn, template=f"date(%(expressions)s, '-{self.maanden} months')"
        )


def _in_scope(qs):
    """For actions/transitions: their placement is in the scoped queryset (one EXISTS)."""
    return Exists(qs.filter(pk=OuterRef("plaatsing_id")))


def herplaatsing() -> Exists:
    """This placement started within 12 months after another placement of the same pupil ended
    (anywhere: a pupil back in JeugdzorgPlus is a re-placement, whoever placed them before)."""
    return Exists(
        Plaatsing.objects.filter(
            leerling_id=OuterRef("leerling_id"),
            einddatum__lte=OuterRef("startdatum"),
            einddatum__gte=DatumTerug(OuterRef("startdatum"), maanden=12),
        ).exclude(pk=OuterRef("pk"))
    )


def buiten_eigen_coalitie() -> Q:
    """Placed at a residential school of another coalition than the pupil's own SWV's."""
    return ~Q(instellingsschool__coalitie_id=F("verantwoordelijk_swv__coalitie_id"))


class ExistsPerRij(Exists):
    """An EXISTS that PostgreSQL checks per row through the index on the correlated column.

    Left to itself it turned the stamschool EXISTS (OR-ed with another condition) into a
    hashed subplan that read all ~100,000 stamschool actions from the heap to answer it for
    the ~9,000 placements of a half year: 150-380 ms at 100,000 placements, against ~60 ms
    for 9,000 index probes (README Prestaties). An OFFSET keeps PostgreSQL from rewriting
    the EXISTS; the result is the same."""

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="EXISTS(%(subquery)s OFFSET 0)")


def stamschool_betrokken() -> Q:
    gedaan = Actie.objects.filter(
        plaatsing_id=OuterRef("pk"),
        code=rk.STAMSCHOOL,
        fase=Fase.INSTROOM,
        status=ActieStatus.GEDAAN,
    )
    return Q(ExistsPerRij(gedaan)) | Q(historisch=True, stamschool__isnull=False)


def _leeftijdsband():
    whens = [When(leerling__geboortedatum__isnull=True, then=Value(GEEN_GEBOORTEDATUM))]
    whens += [
        When(leerling__geboortedatum__gt=DatumTerug(F("startdatum"), jaren=jaren), then=Value(lab))
        for lab, jaren in LEEFTIJDEN
    ]
    return Case(*whens, default=Value(OUDER), output_field=CharField())


def _geordend(teller: Counter, volgorde: list[str] | None = None) -> list[tuple[str, int]]:
    if volgorde is not None:
        return [(k, teller.get(k, 0)) for k in volgorde]
    return sorted(teller.items(), key=lambda kv: (-kv[1], kv[0]))


def herkomst_en_profiel(liep) -> dict:
    """Over the placements that ran: woonplaats, gemeente, in/outside the own coalition, niveau
    and age at placement. One GROUP BY over all five together; the per-field counts are sums
    over the groups (a few thousand at most), not over placements."""
    niveaus = dict(Niveau.choices)
    groepen = (
        liep.values(
            "leerling__woonplaats",
            "niveau",
            band=_leeftijdsband(),
            buiten=Case(
                When(buiten_eigen_coalitie(), then=Value(True)),
                default=Value(False),
            ),
        )
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("leerling__woonplaats", "niveau", "band", "buiten", "n")
    )
    woonplaats, gemeente, niveau, leeftijd, buiten = (Counter() for _ in range(5))
    for plaats, niv, band, is_buiten, n in groepen:
        plaats = (plaats or "").strip()
        woonplaats[plaats or "onbekend"] += n
        gemeente[gemeente_van(plaats) or "onbekend"] += n
        niveau[niveaus.get(niv, niv) or "onbekend"] += n
        leeftijd[band] += n
        buiten["buiten de eigen coalitie" if is_buiten else "in de eigen coalitie"] += n
    return {
        "woonplaatsen": _geordend(woonplaats),
        "gemeenten": _geordend(gemeente),
        "buiten_coalitie": _geordend(buiten, ["in de eigen coalitie", "buiten de eigen coalitie"]),
        "niveaus": _geordend(niveau),
        "leeftijden": _geordend(
            leeftijd, [lab for lab, _ in LEEFTIJDEN] + [OUDER, GEEN_GEBOORTEDATUM]
        ),
    }


def leerlingen_en_plaatsingen(liep) -> dict:
    return liep.aggregate(plaatsingen=Count("pk"), leerlingen=Count("leerling", distinct=True))


def leerlingen_en_herplaatsingen(liep, instroom) -> dict:
    h = instroom.aggregate(
        instroom=Count("pk"), herplaatsingen=Count("pk", filter=Q(herplaatsing()))
    )
    return leerlingen_en_plaatsingen(liep) | h


def herplaatsingen_uit_spiegel(spiegel: dict[object, dict]) -> dict:
    """The inflow and its re-placements as sums over the spiegel's groups: the same counts as
    `leerlingen_en_herplaatsingen`'s second query, without counting the EXISTS twice. Every
    placement of the inflow ran in the period (einddatum >= startdatum is a database
    constraint), so the spiegel (over the placements that ran) has each in exactly one group."""
    return {
        "instroom": sum(r["instroom"] for r in spiegel.values()),
        "herplaatsingen": sum(r["herplaatsingen"] for r in spiegel.values()),
    }


def wachttijd_vervolgplek(uitstroom) -> dict:
    """Days from uitschrijving to the start at the vervolgplek, in bands, and the median. One
    GROUP BY on the number of days (none without a start at the vervolgplek): the bands and
    the quartiles come from that distribution, the quartiles as percentile_cont computes them
    (`cijfers._kwartielen`, as the length of stay), instead of a second scan for them."""
    verdeling = list(
        uitstroom.values(wacht=Dagen("vervolgplek_startdatum", "einddatum"))
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("wacht", "n")
    )
    teller = Counter()
    for wacht, n in verdeling:
        if wacht is None:
            teller[GEEN_VERVOLGPLEK] += n
        else:
            teller[next((lab for lab, grens in WACHTTIJDEN if wacht <= grens), LANGER)] += n
    volgorde = [lab for lab, _ in WACHTTIJDEN] + [LANGER, GEEN_VERVOLGPLEK]
    return {
        "wachttijden": _geordend(teller, volgorde),
        "wachttijd_duur": _kwartielen([(w, n) for w, n in verdeling if w is not None]),
    }


def ambulante_uren(qs, uitstroom) -> dict:
    """Hours of ambulant transition support planned and used, for the placements that ended."""
    r = (
        Actie.objects.filter(code=rk.AMBULANT, uren_gepland__isnull=False)
        .filter(_in_scope(uitstroom))
        .aggregate(
            plaatsingen=Count("plaatsing", distinct=True),
            gepland=Sum("uren_gepland"),
            gebruikt=Sum("uren_gebruikt"),
            gebruikt_bekend=Count(
                "plaatsing", distinct=True, filter=Q(uren_gebruikt__isnull=False)
            ),
        )
    )
    return {
        "plaatsingen": r["plaatsingen"],
        "gepland": r["gepland"] or 0,
        "gebruikt": r["gebruikt"] or 0,
        "gebruikt_bekend": r["gebruikt_bekend"],
    }


def nazorg_uitkomsten(qs, van: dt.date, tot: dt.date, vandaag: dt.date) -> dict:
    """Per follow-up moment: answers recorded in the period, and follow-ups whose deadline
    passed in the period without an answer."""
    gisteren = min(tot, vandaag - dt.timedelta(days=1))
    rijen = (
        Actie.objects.filter(code__in=[code for code, _ in NAZORG_MOMENTEN])
        .filter(
            Q(status=ActieStatus.GEDAAN, gedaan_op__date__range=(van, tot))
            | Q(status=ActieStatus.OPEN, deadline__range=(van, gisteren))
        )
        .filter(_in_scope(qs))
        .values("code", "status", "nazorg_antwoord")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("code", "status", "nazorg_antwoord", "n")
    )
    labels = dict(NazorgAntwoord.choices)
    volgorde = [labels[a] for a in NazorgAntwoord.values] + [
        "geen antwoord vastgelegd",
        NAZORG_OPEN,
    ]
    per_moment = {code: Counter() for code, _ in NAZORG_MOMENTEN}
    for code, status, antwoord, n in rijen:
        if status == ActieStatus.OPEN:
            per_moment[code][NAZORG_OPEN] += n
        else:
            per_moment[code][labels.get(antwoord, "geen antwoord vastgelegd")] += n
    return {
        "nazorg": [
            (moment, _geordend(per_moment[code], volgorde)) for code, moment in NAZORG_MOMENTEN
        ]
    }


def op_datum_tussen(van: dt.date, tot: dt.date) -> Q:
    """`op` on a local date (Europe/Amsterdam) in [van, tot], as a range on the timestamp
    itself: an index on `op` can answer it, `op__date__range` (a cast per row) not."""
    begin = timezone.make_aware(dt.datetime.combine(van, dt.time()))
    eind = timezone.make_aware(dt.datetime.combine(tot + dt.timedelta(days=1), dt.time()))
    return Q(op__gte=begin, op__lt=eind)


def afgebroken_overgangen(qs, van: dt.date, tot: dt.date, groep_veld: str = "pk") -> list:
    """(group of the placement, phase, reason) per route afgebroken in [van, tot] whose placement
    is in `qs`; the spiegel (per SWV) and the startfoto (per phase and reason) count the same
    list, so the monitor reads it once. The few afgebroken transitions first (a partial index
    on `op`), then their placements in the scope by primary key: planner-proof. As one join
    (`plaatsing__in` or EXISTS) PostgreSQL, on a fresh database without statistics, guessed a
    handful of placements in the scope and probed the transitions of all 100,000 in a nested
    loop (~270-370 ms); without the index every call read all ~460,000 transitions (~50 ms)."""
    overgangen = list(
        Transitie.objects.filter(
            op_datum_tussen(van, tot), naar=Fase.AFGESLOTEN, van__in=AFGEBROKEN_VAN
        )
        .order_by()
        .values_list("plaatsing_id", "van", "reden")
    )
    if not overgangen:
        return []
    groep = dict(
        qs.filter(pk__in={pk for pk, _, _ in overgangen}).order_by().values_list("pk", groep_veld)
    )
    return [(groep[pk], fase, reden) for pk, fase, reden in overgangen if pk in groep]


def afgebroken(qs, van: dt.date, tot: dt.date, overgangen: list | None = None) -> dict:
    """Routes afgebroken in the period: closed from instroom, verblijf or uitstroom (closing
    after nazorg is the normal end), per phase and per reason. `overgangen`: the list of
    `afgebroken_overgangen` for the same qs and period, if the caller has it already."""
    if overgangen is None:
        overgangen = afgebroken_overgangen(qs, van, tot)
    per_fase, per_reden = Counter(), Counter()
    for _, fase, reden in overgangen:
        per_fase[Fase(fase).label] += 1
        per_reden[" ".join((reden or "").split()).rstrip(".").capitalize() or "geen reden"] += 1
    return {
        "afgebroken_fasen": _geordend(per_fase, [Fase(f).label for f in AFGEBROKEN_VAN]),
        "afgebroken_redenen": _geordend(per_reden),
    }


def redenen_samenvoegen(paren: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Free-text reasons for a report that leaves the team: rare ones counted together."""
    vaak = [(r, n) for r, n in paren if n >= MIN_REDEN]
    overig = sum(n for _, n in paren if n < MIN_REDEN)
    return vaak + ([(OVERIGE_REDENEN, overig)] if overig else [])


def stamschool_vanaf_instroom(instroom) -> dict:
    categorie = Case(
        When(geen_stamschool=True, then=Value(STAMSCHOOL_GEEN)),
        When(stamschool_betrokken(), then=Value(STAMSCHOOL_BETROKKEN)),
        default=Value(STAMSCHOOL_NIET),
        output_field=CharField(),
    )
    teller = Counter(
        dict(
            instroom.values(cat=categorie)
            .annotate(n=Count("pk"))
            .order_by()
            .values_list("cat", "n")
        )
    )
    return {
        "stamschool": _geordend(teller, [STAMSCHOOL_BETROKKEN, STAMSCHOOL_NIET, STAMSCHOOL_GEEN])
    }


def verantwoording_taken(
    qs, van: dt.date, tot: dt.date, vandaag: dt.date, *, met_spiegel: bool = False
) -> dict:
    """The startfoto figures as independent tasks, each giving part of the result (about 9
    queries in all, independent of the data size); the monitor runs them at the same time.
    `met_spiegel`: the caller counts the spiegel too and takes from it the routes afgebroken
    and the re-placements (`afgebroken`, `herplaatsingen_uit_spiegel`): those tasks are left
    out and `uniek` has only the placements and pupils."""
    liep = qs.filter(liep_in_periode(van, tot))
    instroom = qs.filter(startdatum__range=(van, tot))
    uitstroom = qs.filter(einddatum__range=(van, tot))
    taken = {
        "stamschool": lambda: stamschool_vanaf_instroom(instroom),
        "herkomst": lambda: herkomst_en_profiel(liep),
        "uniek": lambda: {"uniek": leerlingen_en_herplaatsingen(liep, instroom)},
        "wachttijd": lambda: wachttijd_vervolgplek(uitstroom),
        "afgebroken": lambda: afgebroken(qs, van, tot),
        "nazorg": lambda: nazorg_uitkomsten(qs, van, tot, vandaag),
        "ambulant": lambda: {"ambulant": ambulante_uren(qs, uitstroom)},
    }
    if met_spiegel:
        del taken["afgebroken"]
        taken["uniek"] = lambda: {"uniek": leerlingen_en_plaatsingen(liep)}
    return taken


def verantwoording_cijfers(qs, van: dt.date, tot: dt.date, vandaag: dt.date) -> dict:
    """Every startfoto figure for [van, tot], one query after the other."""
    c: dict = {}
    for taak in verantwoording_taken(qs, van, tot, vandaag).values():
        c |= taak()
    return c
