"""Dates in forms: a text field showing and taking dd-mm-jjjj, whatever the browser's language
(an <input type="date"> would show the browser's own format)."""

import datetime as dt

import pytest

from routetool.forms import UitstroomdatumForm


def test_date_field_renders_as_dutch_text_not_as_a_browser_date_picker():
    html = str(UitstroomdatumForm(initial={"datum": dt.date(2026, 3, 5)})["datum"])
    assert 'type="text"' in html and 'value="05-03-2026"' in html
    assert 'placeholder="dd-mm-jjjj"' in html and "pattern=" in html


@pytest.mark.parametrize("tekst", ["05-03-2026", "5-3-2026", " 05-03-2026 ", "2026-03-05"])
def test_date_field_accepts_what_people_type(tekst):
    form = UitstroomdatumForm({"datum": tekst})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["datum"] == dt.date(2026, 3, 5)


@pytest.mark.parametrize("tekst", ["31-02-2026", "03/05/2026x", "morgen"])
def test_a_wrong_date_gets_a_dutch_message(tekst):
    form = UitstroomdatumForm({"datum": tekst})
    assert not form.is_valid()
    assert "geldige datum" in form.errors["datum"][0]
