"""Route reads. `met_signalen(qs)` annotates each placement with one boolean per signal, all in
SQL (EXISTS subqueries), so a list of any length costs the same number of queries."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q, Subquery
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


def signalen_tellen(qs) -> dict[str, int]:
    """Counts per signal for an already annotated queryset, in ONE query."""
    return qs.aggregate(
        **{key: Count("pk", filter=Q(**{f"signaal_{key}": True})) for key, _ in SIGNALEN}
    )


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
