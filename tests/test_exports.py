import datetime as dt

import pytest

from plaatsingen.exports import veilige_cel


@pytest.mark.parametrize("tekst", ["=SUM(A1)", "+31 6", "-2+3", "@cmd", "\t=1"])
def test_formula_like_text_is_neutralised(tekst):
    assert veilige_cel(tekst) == "'" + tekst


@pytest.mark.parametrize("waarde", ["Jansen", "", None, 12, 3.5, dt.date(2025, 1, 2)])
def test_other_values_pass_unchanged(waarde):
    assert veilige_cel(waarde) == waarde
