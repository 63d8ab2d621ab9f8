"""Route reads. `met_signalen(qs)` annotates each placement with one boolean per signal, all in
SQL (EXISTS subqueries), so a list of any length costs the same number of queries."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    Subquery,
    Window,
)
from django.utils import timezone

from . import routekaart_standaard as rk
from .models import Actie, ActieStatus, NazorgAntwoord, Transitie
from .states import OPEN_FASEN, Fase

SIGNALEN = [
    ("te_laat", "te laat"),
    ("niet_bevestigd", "niet bevestigd"),
    ("thuiszitrisico", "thuiszitrisico"),
    ("geen_stamschool", "geen stamschool"),
    ("lang_verblijf", "lang verblijf"),
]
SIGNAAL_LABELS = dict(SIGNALEN)
LANG_VERBLIJF_MAANDEN = 6


def _bool(q) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


def signaal_voorwaarden(vandaag: dt.date | None = None) -> tuple[dict[str, Q], Subquery]:
    """One condition per signal, plus the subquery they need as `nazorg_antwoord_laatst`."""
    vandaag = vandaag or timezone.localdate()
    acties = Actie.objects.filter(plaatsing_id=OuterRef("pk"))
    open_te_laat = acties.filter(status=ActieStatus.OPEN, deadline__lt=vandaag)
    laatste_nazorg = (
        acties.filter(status=ActieStatus.GEDAAN)
        .exclude(nazorg_antwoord="")
        .order_by("-gedaan_op", "-pk")
        .values("nazorg_antwoord")[:1]
    )
    is_open = Q(fase__in=OPEN_FASEN)
    return {
        # Only actions of the current phase: an optional action left open in an earlier phase
        # is history, not work.
        "te_laat": is_open & Q(Exists(open_te_laat.filter(fase=OuterRef("fase")))),
        "niet_bevestigd": is_open & Q(Exists(open_te_laat.filter(code=rk.BEVESTIGD))),
        "thuiszitrisico": is_open
        & (
            Q(einddatum__isnull=False, vervolgplek_soort="")
            | Q(nazorg_antwoord_laatst=NazorgAntwoord.NEE)
        ),
        "geen_stamschool": is_open
        & Q(stamschool__isnull=True, geen_stamschool=False)
        & Q(Exists(acties.filter(fase=Fase.INSTROOM, code=rk.STAMSCHOOL, deadline__lt=vandaag))),
        "lang_verblijf": Q(
            fase=Fase.VERBLIJF,
            fase_sinds__lt=vandaag - relativedelta(months=LANG_VERBLIJF_MAANDEN),
        )
        & ~Q(Exists(acties.filter(code=rk.PERSPECTIEF, status=ActieStatus.GEDAAN))),
    }, laatste_nazorg


def met_signalen(qs, vandaag: dt.date | None = None):
    voorwaarden, laatste_nazorg = signaal_voorwaarden(vandaag)
    qs = qs.annotate(nazorg_antwoord_laatst=Subquery(laatste_nazorg))
    return qs.annotate(**{f"signaal_{key}": _bool(voorwaarden[key]) for key, _ in SIGNALEN})


def tel_voorwaarden(vandaag: dt.date | None = None) -> dict[str, Q]:
    """The conditions of `signaal_voorwaarden`, in the form that counts fastest over thousands
    of placements (measured with 100,000; see the rapportage benchmark in the README).

    "te laat", "niet bevestigd" and the nazorg answer are asked of every open placement: as
    uncorrelated `pk IN (subquery)` PostgreSQL builds each set once from a small partial index
    (open actions; answered actions) instead of probing per placement per signal.
    "geen stamschool" and "lang verblijf" keep the correlated EXISTS: the conditions before
    it leave few placements to probe. A page of rows uses `met_signalen` (EXISTS per row).
    """
    vandaag = vandaag or timezone.localdate()
    voorwaarden, _ = signaal_voorwaarden(vandaag)
    open_te_laat = Actie.objects.filter(status=ActieStatus.OPEN, deadline__lt=vandaag)
    te_laat = Q(pk__in=[])
    for fase in OPEN_FASEN:
        # Only actions of the current phase (as in signaal_voorwaarden).
        te_laat |= Q(fase=fase, pk__in=open_te_laat.filter(fase=fase).values("plaatsing_id"))
    beantwoord = Actie.objects.filter(status=ActieStatus.GEDAAN).exclude(nazorg_antwoord="")
    # The latest answer (by gedaan_op, then pk) is "nee": a "nee" with no later answer.
    later = beantwoord.filter(plaatsing_id=OuterRef("plaatsing_id")).filter(
        Q(gedaan_op__gt=OuterRef("gedaan_op"))
        | Q(gedaan_op=OuterRef("gedaan_op"), pk__gt=OuterRef("pk"))
    )
    laatste_nee = beantwoord.filter(nazorg_antwoord=NazorgAntwoord.NEE).exclude(Exists(later))
    is_open = Q(fase__in=OPEN_FASEN)
    return voorwaarden | {
        "te_laat": is_open & te_laat,
        "niet_bevestigd": is_open
        & Q(pk__in=open_te_laat.filter(code=rk.BEVESTIGD).values("plaatsing_id")),
        "thuiszitrisico": is_open
        & (
            Q(einddatum__isnull=False, vervolgplek_soort="")
            | Q(pk__in=laatste_nee.values("plaatsing_id"))
        ),
    }


def signalen_tellen(qs, vandaag: dt.date | None = None) -> dict[str, int]:
    """Counts per signal for a placement queryset (filters, also on signals, are kept), in ONE
    query; the conditions are the set-based form of the same signals (`tel_voorwaarden`)."""
    voorwaarden = tel_voorwaarden(vandaag)
    return qs.aggregate(**{key: Count("pk", filter=voorwaarden[key]) for key, _ in SIGNALEN})


def signalen_van(plaatsing) -> list[tuple[str, str]]:
    """The (key, label) pairs of the signals set on an annotated placement."""
    return [(k, label) for k, label in SIGNALEN if getattr(plaatsing, f"signaal_{k}", False)]


def tijdlijn(plaatsing) -> list[dict]:
    """The route as phases in order: each with its transition into it and its actions."""
    transities = list(Transitie.objects.filter(plaatsing=plaatsing).select_related("door"))
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
                "fase": t.naar,
                "fase_label": Fase(t.naar).label,
                "tot": volgende.op if volgende else None,
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

    Paginating the annotated queryset itself let PostgreSQL plan the signal subqueries for
    every visible row before the LIMIT (with 100,000 placements: a sort spilling to disk and
    hashed subplans over the whole action table, ~200 ms). Now the ids of the page and the
    total come from one narrow query and at most `per_pagina` rows get the signals: two
    queries, as before, at a cost that hardly grows with the data.
    `qs` keeps its own filters (also on signals) and ordering.
    """
    from django.core.paginator import Paginator

    from plaatsingen.models import Plaatsing

    pagina = Paginator(_PaginaIds(qs, nummer, per_pagina), per_pagina).get_page(nummer)
    ids = list(pagina.object_list)
    rijen = Plaatsing.objects.filter(pk__in=ids).met_lijstgegevens()
    per_pk = {p.pk: p for p in met_signalen(rijen, vandaag)}
    pagina.object_list = [per_pk[pk] for pk in ids]
    return pagina
