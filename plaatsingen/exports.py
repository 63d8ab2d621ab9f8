"""Shared helpers for every CSV/XLSX the app writes."""

from __future__ import annotations

# A spreadsheet runs a cell that starts with one of these as a formula (CSV/formula injection).
FORMULE_TEKENS = ("=", "+", "-", "@", "\t", "\r")


def veilige_cel(value):
    """Neutralise text that a spreadsheet would run as a formula, by prefixing a quote.

    Numbers, dates and None pass unchanged, so typed columns stay typed.
    """
    if isinstance(value, str) and value.startswith(FORMULE_TEKENS):
        return "'" + value
    return value
