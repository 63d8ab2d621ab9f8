"""Route reads. `met_signalen(qs)` annotates each placement with one boolean per signal, all in
SQL (conditions on the placement row), so a list of any length costs the same number of queries."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from plaatsingen.models import Plaatsing

from . import route
from .models import Actie, Transitie
from .states import Fase

# The signals are declared in `route.SIGNALEN` (condition, label and explanation together);
# these are the (key, label) pairs the lists and filters show.
SIGNALEN = [(s.key, s.label) for s in route.SIGNALEN]
SIGNAAL_LABELS = dict(SIGNALEN)
LANG_VERBLIJF_MAANDEN = route.LANG_VERBLIJF_MAANDEN


def _bool(q) -> Coalesce:
    # A comparison with an empty date is NULL in SQL: make that "no signal", not None.
    return Coalesce(ExpressionWrapper(q, output_field=BooleanField()), Value(False))


def signaal_voorwaarden(vandaag: dt.date | None = None) -> dict[str, Q]:
    """One condition per signal (see `route.SIGNALEN`), for today unless told."""
    vandaag = vandaag or timezone.localdate()
    return {s.key: s.voorwaarde(vandaag) for s in route.SIGNALEN}


def met_signalen(qs, vandaag: dt.date | None = None):
    voorwaarden = signaal_voorwaarden(vandaag)
    return qs.annotate(**{f"signaal_{key}": _bool(voorwaarden[key]) for key, _ in SIGNALEN})


def met_afgebroken(qs):
    """Annotate `afgebroken_reden`: None for an open or completed route, else the reason the
    route was afgebroken ("" when none was recorded). A subquery per row: used on a page of
    rows, a print view or an export, and as an EXISTS in the lists' filter."""
    afbraak = Transitie.objects.filter(
        plaatsing=OuterRef("pk"), naar=Fase.AFGESLOTEN, van__in=route.AFGEBROKEN_VAN
    ).order_by("-pk")
    # Only a closed placement can have been afgebroken: open rows never run the subquery.
    return qs.annotate(
        afgebroken_reden=Case(
            When(fase=Fase.AFGESLOTEN, then=Subquery(afbraak.values("reden")[:1])),
            default=None,
            output_field=CharField(),
        )
    )


def afgebroken_q():
    """Placements whose route was afgebroken (see `route.AFGEBROKEN_VAN`), as an EXISTS."""
    return Exists(
        Transitie.objects.filter(
            plaatsing=OuterRef("pk"), naar=Fase.AFGESLOTEN, van__in=route.AFGEBROKEN_VAN
        )
    )


def fase_tekst(p) -> str:
    """The phase as lists show it: 'afgebroken (reden)' apart from a completed route."""
    reden = getattr(p, "afgebroken_reden", None)
    if reden is None:
        return p.get_fase_display()
    return f"afgebroken ({reden})" if reden else "afgebroken"


def signalen_tellen(qs, vandaag: dt.date | None = None, **extra) -> dict[str, int]:
    """Counts per signal for a placement queryset (filters, also on signals, are kept), in ONE
    query over the placements alone; `extra` aggregates ride along in the same scan."""
    voorwaarden = signaal_voorwaarden(vandaag)
    return qs.aggregate(
        **extra, **{key: Count("pk", filter=voorwaarden[key]) for key, _ in SIGNALEN}
    )


def signalen_van(plaatsing) -> list[tuple[str, str]]:
    """The (key, label) pairs of the signals set on an annotated placement."""
    return [(k, label) for k, label in SIGNALEN if getattr(plaatsing, f"signaal_{k}", False)]


def tijdlijn(plaatsing) -> list[dict]:
    """The route as phases in order: each with its transition into it and its actions.

    Phases follow the order in which the transitions were recorded (pk), not their time stamps:
    back-dated moves (history, corrections) must not put verblijf above instroom. The route
    starts on the date of inschrijving, not at the moment it was imported or typed in."""
    transities = list(
        Transitie.objects.filter(plaatsing=plaatsing).select_related("door").order_by("pk")
    )
    acties = list(
        Actie.objects.filter(plaatsing=plaatsing)
        .select_related("gedaan_door")
        .order_by("aangemaakt_op", "volgorde", "pk")
    )
    blokken = []
    for i, t in enumerate(transities):
        volgende = transities[i + 1] if i + 1 < len(transities) else None
        blokken.append(
            {
                "transitie": t,
                "vanaf": plaatsing.startdatum if i == 0 else timezone.localdate(t.op),
                "fase": t.naar,
                "fase_label": Fase(t.naar).label,
                "tot": timezone.localdate(volgende.op) if volgende else None,
                "huidig": volgende is None,
                "acties": [],
            }
        )
    # An action belongs to the latest visit of its phase that started before it was created.
    for a in acties:
        doel = None
        for b in blokken:
            if b["fase"] == a.fase and b["transitie"].op <= a.aangemaakt_op:
                doel = b
        if doel is None:
            doel = next((b for b in reversed(blokken) if b["fase"] == a.fase), None)
        if doel is not None:
            doel["acties"].append(a)
    return blokken


class _PaginaIds:
    """The ids of one page and the total in ONE query (COUNT(*) OVER ()), shaped as the
    sequence a Paginator asks for: len() is the total, a slice the ids of that page."""

    def __init__(self, qs, nummer, per_pagina: int):
        self.qs, self.per_pagina = qs, per_pagina
        try:
            self.start = max(int(nummer) - 1, 0) * per_pagina
        except (TypeError, ValueError):
            self.start = 0
        self._ids: dict[int, list[int]] = {}
        self._totaal: int | None = None

    def _haal(self, start: int) -> list[int]:
        if start not in self._ids:
            rijen = list(
                self.qs.annotate(_totaal=Window(Count("pk"))).values_list("pk", "_totaal")[
                    start : start + self.per_pagina
                ]
            )
            self._ids[start] = [pk for pk, _ in rijen]
            if rijen:
                self._totaal = rijen[0][1]
        return self._ids[start]

    def __len__(self) -> int:
        if self._totaal is None:
            self._haal(self.start)
        if self._totaal is None:  # nothing at all, or a page past the end (rare): count
            self._totaal = self.qs.count() if self.start else 0
        return self._totaal

    def __getitem__(self, sl: slice) -> list[int]:
        return self._haal(sl.start or 0)


def pagina_met_signalen(qs, nummer, per_pagina: int, vandaag: dt.date | None = None):
    """One page of the placements in `qs`, with the signals computed for that page's rows only.

    Paginating the annotated queryset itself made PostgreSQL sort every visible row with all
    its joined columns before the LIMIT (with 100,000 placements, when the signals were still
    subqueries over the actions: a sort spilling to disk, ~200 ms). Now the ids of the page and
    the total come from one narrow query and at most `per_pagina` rows are read in full: two
    queries, at a cost that hardly grows with the data.
    `qs` keeps its own filters (also on signals) and ordering.
    """
    pagina = Paginator(_PaginaIds(qs, nummer, per_pagina), per_pagina).get_page(nummer)
    ids = list(pagina.object_list)
    rijen = Plaatsing.objects.filter(pk__in=ids).met_lijstgegevens()
    per_pk = {p.pk: p for p in met_signalen(met_afgebroken(rijen), vandaag)}
    pagina.object_list = [per_pk[pk] for pk in ids]
    return pagina
