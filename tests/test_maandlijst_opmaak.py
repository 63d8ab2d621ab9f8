"""The monthly list reads well: whole words, rows in a clear order (issue 19, defect 8)."""

import pytest
import time_machine

from coalitie.toegang import SYSTEEM
from rapportage.selectors import maandlijst_regels
from rapportage.services import maandlijst_maken

from .conftest import SWV_A
from .factories import swv
from .test_maandlijst_inhoud import (  # noqa: F401
    GEMAAKT_OP,
    OKTOBER,
    _bestanden_in_tmp,
    oktober,
    pdf_tekst,
)

pytestmark = pytest.mark.django_db


def test_rows_are_sorted_on_status_in_the_month_then_name(oktober):  # noqa: F811
    regels = maandlijst_regels(swv=swv(SWV_A), maand=OKTOBER)
    volgorde = {"nieuw": 0, "lopend": 1, "beëindigd": 2}
    sleutels = [(volgorde[r.status], r.naam.split()[-1]) for r in regels]
    assert [r.status for r in regels][0] == "nieuw"
    assert sleutels == sorted(sleutels)


@time_machine.travel(GEMAAKT_OP, tick=False)
def test_pdf_does_not_break_signal_words_mid_word(oktober):  # noqa: F811
    regels = maandlijst_regels(swv=swv(SWV_A), maand=OKTOBER)
    assert any("thuiszitrisico" in r.signalen for r in regels)
    lijst, _ = maandlijst_maken(swv=swv(SWV_A), maand=OKTOBER, door=SYSTEEM)
    tekst = pdf_tekst(lijst)
    assert "thuiszitrisico" in tekst
    for deel in ("thuiszitrisic\n", "bevestig\n"):
        assert deel not in tekst
