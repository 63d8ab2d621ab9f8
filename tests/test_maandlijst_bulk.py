"""The monthly run of many SWVs at once (`maandlijsten_maken`, issue 19 performance): the same
lists as one `maandlijst_maken` per SWV, made once, the empty ones laid out together."""

import datetime as dt
import io
import re

import pytest
import time_machine
from pypdf import PdfReader

from coalitie.models import Samenwerkingsverband
from coalitie.toegang import SYSTEEM
from rapportage import pdf as pdf_module
from rapportage.models import LogSoort, Maandlijst
from rapportage.selectors import (
    maandlijst_regels,
    maandlijst_regels_per_swv,
    swv_ids_met_leerlingen,
)
from rapportage.services import maandlijst_maken, maandlijsten_maken

from .conftest import SWV_A, SWV_B
from .factories import swv
from .test_maandlijst_inhoud import (  # noqa: F401
    GEMAAKT_OP,
    OKTOBER,
    _bestanden_in_tmp,
    oktober,
    pdf_tekst,
    plaatsing,
)

pytestmark = pytest.mark.django_db
LEEG = ("VO 28-10", "VO 28-09", "VO 28-08")


def _swvs(*codes):
    return list(Samenwerkingsverband.objects.select_related("coalitie").filter(code__in=codes))


def test_rows_of_many_swvs_in_one_query_equal_each_swvs_own_rows(
    oktober,  # noqa: F811
    django_assert_num_queries,
):
    swvs = _swvs(SWV_A, SWV_B, *LEEG)
    with django_assert_num_queries(1):
        per_swv = maandlijst_regels_per_swv(swv_ids=[s.pk for s in swvs], maand=OKTOBER)
    for s in swvs:
        assert per_swv[s.pk] == maandlijst_regels(swv=s, maand=OKTOBER)
    assert len(per_swv[swv(SWV_A).pk]) == 5 and not per_swv[swv(LEEG[0]).pk]


@time_machine.travel(GEMAAKT_OP, tick=False)
@pytest.mark.parametrize("processen", [1, 2])
def test_bulk_makes_the_same_lists_as_one_by_one(oktober, processen, monkeypatch):  # noqa: F811
    monkeypatch.setattr(pdf_module, "PDF_PROCESSEN", processen)
    swvs = _swvs(SWV_A, SWV_B, *LEEG)
    uitkomst = maandlijsten_maken(swvs=swvs, maand=OKTOBER, door=SYSTEEM)
    assert [m.swv_id for m, _ in uitkomst] == [s.pk for s in swvs]
    assert all(gemaakt for _, gemaakt in uitkomst)
    lijsten = {m.swv.code: m for m, _ in uitkomst}
    assert lijsten[SWV_A].aantal_leerlingen == 5 and lijsten[SWV_B].aantal_leerlingen == 1
    tekst_a = " ".join(pdf_tekst(lijsten[SWV_A]).split())
    for nummer in ("100001", "100002", "100003", "100004", "100005"):
        assert nummer in tekst_a
    assert "100008" not in tekst_a
    for code in LEEG:
        lijst = lijsten[code]
        reader = PdfReader(io.BytesIO(lijst.pdf.open("rb").read()))
        tekst = " ".join(pdf_tekst(lijst).split())
        # Its own header, nobody else's, on exactly one page that says so.
        assert len(reader.pages) == 1
        assert f"— {code} {lijst.swv.naam}" in tekst
        assert lijst.swv.coalitie.naam in tekst
        assert not any(f"— {c} " in tekst for c in LEEG if c != code)
        assert "Geen leerlingen" in tekst and "pagina 1 van 1" in tekst
        assert "01-11-2025 06:00" in tekst and "vertrouwelijk" in tekst
        assert reader.metadata.title == f"Maandlijst {code} oktober 2025"
        assert lijst.aantal_leerlingen == 0
        assert list(lijst.logs.values_list("soort", flat=True)) == [LogSoort.GEMAAKT]


@time_machine.travel(GEMAAKT_OP, tick=False)
def test_an_empty_list_looks_like_one_made_alone(oktober):  # noqa: F811
    ((bulk, _),) = maandlijsten_maken(swvs=_swvs(LEEG[0]), maand=OKTOBER, door=SYSTEEM)
    bulk_tekst = pdf_tekst(bulk)
    Maandlijst.objects.all().delete()
    los, _ = maandlijst_maken(swv=swv(LEEG[0]), maand=OKTOBER, door=SYSTEEM)
    assert bulk_tekst == pdf_tekst(los)


def test_bulk_leaves_lists_already_made_and_is_idempotent(oktober):  # noqa: F811
    eerst, _ = maandlijst_maken(swv=swv(SWV_A), maand=OKTOBER, door=SYSTEEM)
    swvs = _swvs(SWV_A, *LEEG)
    uitkomst = {
        m.swv.code: (m, g) for m, g in maandlijsten_maken(swvs=swvs, maand=OKTOBER, door=SYSTEEM)
    }
    assert uitkomst[SWV_A][1] is False and uitkomst[SWV_A][0].pdf.name == eerst.pdf.name
    assert all(uitkomst[c][1] for c in LEEG)
    bestanden = sorted(Maandlijst.objects.values_list("pdf", "xlsx"))
    nog_eens = maandlijsten_maken(swvs=swvs, maand=OKTOBER, door=SYSTEEM)
    assert not any(g for _, g in nog_eens)
    assert sorted(Maandlijst.objects.values_list("pdf", "xlsx")) == bestanden
    assert Maandlijst.objects.count() == 4
    assert all(
        re.fullmatch(r"\d+ leerlingen", log.reden)
        for m in Maandlijst.objects.all()
        for log in m.logs.all()
    )


def test_the_monthly_job_knows_which_lists_are_empty(oktober):  # noqa: F811
    # A placement that ended in September or starts in November leaves a list empty.
    plaatsing(
        "Ilse Eerder",
        "100011",
        verantwoordelijk_swv=swv(LEEG[0]),
        startdatum=dt.date(2025, 6, 1),
        einddatum=dt.date(2025, 9, 30),
    )
    plaatsing(
        "Jan Later", "100012", verantwoordelijk_swv=swv(LEEG[1]), startdatum=dt.date(2025, 11, 1)
    )
    plaatsing(
        "Kim Laatste",
        "100013",
        verantwoordelijk_swv=swv(LEEG[2]),
        startdatum=dt.date(2025, 6, 1),
        einddatum=dt.date(2025, 10, 1),
    )
    assert swv_ids_met_leerlingen(OKTOBER) == {swv(SWV_A).pk, swv(SWV_B).pk, swv(LEEG[2]).pk}
