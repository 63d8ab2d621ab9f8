import datetime as dt

import pytest

from routetool.models import TermijnSoort
from routetool.services import deadline_berekenen
from routetool.werkdagen import is_werkdag, werkdagen_na, werkdagen_tussen

from .factories import PlaatsingFactory

D = dt.date


def test_a_deadline_in_werkdagen_skips_the_weekend():
    vrijdag = D(2025, 11, 21)
    assert werkdagen_na(vrijdag, 1) == D(2025, 11, 24)
    assert werkdagen_na(vrijdag, 5) == D(2025, 11, 28)


def test_christmas_days_are_not_werkdagen():
    woensdag_24_december = D(2025, 12, 24)
    # 25 and 26 December are holidays, 27 and 28 the weekend.
    assert werkdagen_na(woensdag_24_december, 1) == D(2025, 12, 29)
    assert not is_werkdag(D(2025, 12, 25)) and not is_werkdag(D(2025, 12, 26))


def test_koningsdag_on_a_weekday_is_skipped():
    # 27 April 2026 is a Monday.
    assert not is_werkdag(D(2026, 4, 27))
    assert werkdagen_na(D(2026, 4, 24), 1) == D(2026, 4, 28)


def test_koningsdag_moves_to_26_april_when_the_27th_is_a_sunday():
    # 27 April 2025 is a Sunday: Koningsdag is Saturday 26 April, Monday 28 April is a workday.
    import holidays

    nl = holidays.country_holidays("NL", years=2025)
    assert D(2025, 4, 26) in nl and D(2025, 4, 27) not in nl
    assert is_werkdag(D(2025, 4, 28))
    assert werkdagen_na(D(2025, 4, 25), 1) == D(2025, 4, 28)


def test_werkdagen_between_two_dates_count_the_same_way():
    assert werkdagen_tussen(D(2025, 12, 24), D(2025, 12, 29)) == 1


@pytest.mark.django_db
def test_deadlines_relative_to_the_expected_uitstroom_date():
    p = PlaatsingFactory.build(verwachte_uitstroomdatum=D(2026, 3, 20))
    start = D(2025, 9, 1)
    assert deadline_berekenen(TermijnSoort.WEKEN_VOOR_VERWACHTE_UITSTROOM, 6, p, start) == D(
        2026, 2, 6
    )
    assert deadline_berekenen(TermijnSoort.VOOR_UITSTROOMDATUM, 0, p, start) == D(2026, 3, 20)
    assert deadline_berekenen(TermijnSoort.WERKDAGEN_NA_UITSTROOM, 5, p, start) == D(2026, 3, 27)
    p.verwachte_uitstroomdatum = None
    assert deadline_berekenen(TermijnSoort.VOOR_UITSTROOMDATUM, 0, p, start) is None


@pytest.mark.django_db
def test_recurring_and_vervolgplek_deadlines_count_months_and_weeks():
    p = PlaatsingFactory.build(vervolgplek_startdatum=D(2026, 1, 31))
    assert deadline_berekenen(TermijnSoort.ELKE_N_MAANDEN, 3, p, D(2025, 11, 30)) == D(2026, 2, 28)
    assert deadline_berekenen(TermijnSoort.WEKEN_NA_START_VERVOLGPLEK, 6, p, None) == D(2026, 3, 14)
    assert deadline_berekenen(TermijnSoort.MAANDEN_NA_START_VERVOLGPLEK, 3, p, None) == D(
        2026, 4, 30
    )
