"""A picker with one possible choice starts on it (issue 19, defect 11): most people belong to
one SWV or one school, and an empty picker that can only be filled one way is a needless step.

`enige_keuze(form, *namen)`: each named ModelChoiceField whose queryset holds exactly one row
gets it as initial value. `filter=True` (a list's filter, bound to the query string): the empty
option ("alle ...") goes too, since "all" and "the only one" are then the same rows, so the
picker shows the one choice also when the list was filtered on something else. The choices are read
once and the widget renders from that list, so this costs no query beyond the one rendering
did anyway."""

from django import forms


def enige_keuze(form: forms.Form, *namen: str, filter: bool = False) -> None:
    for naam in namen:
        veld = form.fields[naam]
        # A comprehension, not list(): list() asks the iterator's len(), a COUNT query.
        keuzes = [k for k in veld.choices]  # noqa: C416
        echte = [(waarde, label) for waarde, label in keuzes if waarde != ""]
        if len(echte) == 1:
            pk = echte[0][0].value
            veld.initial = [pk] if isinstance(veld, forms.ModelMultipleChoiceField) else pk
            if filter:
                keuzes = echte
        veld.widget.choices = keuzes
