"""The signals as they were computed before they were stored on the placement: straight from
the actions (EXISTS subqueries), kept here as the reference the stored form must agree with
(`tests/test_signaalvelden.py`). Not used by the application."""

from __future__ import annotations

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Subquery

from routetool import route as rk
from routetool.models import Actie, ActieStatus, NazorgAntwoord
from routetool.selectors import LANG_VERBLIJF_MAANDEN
from routetool.states import OPEN_FASEN, Fase


def voorwaarden(vandaag: dt.date) -> tuple[dict[str, Q], Subquery]:
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
        "te_laat": is_open & Q(Exists(open_te_laat.filter(fase=OuterRef("fase")))),
        "niet_bevestigd": is_open & Q(Exists(open_te_laat.filter(code=rk.BEVESTIGD))),
        "thuiszitrisico": is_open
        & (
            Q(einddatum__isnull=False, vervolgplek_soort="")
            | Q(ref_nazorg_antwoord=NazorgAntwoord.NEE)
        ),
        "geen_stamschool": is_open
        & Q(stamschool__isnull=True, geen_stamschool=False)
        & Q(Exists(acties.filter(fase=Fase.INSTROOM, code=rk.STAMSCHOOL, deadline__lt=vandaag))),
        # A column of the placement itself, so the reference is the same condition.
        "geen_casusregisseur": rk.SIGNALEN_OP_KEY["geen_casusregisseur"].voorwaarde(vandaag),
        "lang_verblijf": Q(
            fase=Fase.VERBLIJF,
            fase_sinds__lt=vandaag - relativedelta(months=LANG_VERBLIJF_MAANDEN),
        )
        & ~Q(Exists(acties.filter(code=rk.PERSPECTIEF, status=ActieStatus.GEDAAN))),
    }, laatste_nazorg


def met_signalen(qs, vandaag: dt.date):
    """`qs` annotated with `ref_<signal>` booleans."""
    qs = qs.annotate(ref_nazorg_antwoord=Subquery(voorwaarden(vandaag)[1]))
    return qs.annotate(
        **{
            f"ref_{key}": ExpressionWrapper(q, output_field=BooleanField())
            for key, q in voorwaarden(vandaag)[0].items()
        }
    )
