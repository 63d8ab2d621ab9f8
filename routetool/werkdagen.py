"""Deadlines: werkdagen (weekdays without Dutch public holidays) and calendar offsets."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from dateutil.relativedelta import relativedelta

# Imported with the module, not at the first deadline: loading the package's country data
# costs ~0.3 s of CPU, which belongs to the process start, not to the first import it runs.
from holidays.countries.netherlands import Netherlands


@lru_cache(maxsize=64)
def _feestdagen(jaar: int) -> frozenset[dt.date]:
    # The holidays package follows the law (e.g. Koningsdag moves to 26 April when the 27th is a
    # Sunday), so we never keep our own list.
    return frozenset(Netherlands(years=jaar).keys())


def is_werkdag(dag: dt.date) -> bool:
    return dag.weekday() < 5 and dag not in _feestdagen(dag.year)


@lru_cache(maxsize=8192)
def werkdagen_na(start: dt.date, aantal: int) -> dt.date:
    """The date `aantal` werkdagen after `start` (start itself does not count)."""
    dag = start
    geteld = 0
    while geteld < aantal:
        dag += dt.timedelta(days=1)
        if is_werkdag(dag):
            geteld += 1
    return dag


@lru_cache(maxsize=1024)
def werkdagen_voor(eind: dt.date, aantal: int) -> dt.date:
    """The date `aantal` werkdagen before `eind`: werkdagen_na(result, aantal) == eind when
    `eind` is a werkdag."""
    dag = eind
    geteld = 0
    while geteld < aantal:
        dag -= dt.timedelta(days=1)
        if is_werkdag(dag):
            geteld += 1
    return dag


def werkdagen_tussen(start: dt.date, eind: dt.date) -> int:
    """How many werkdagen lie after `start` up to and including `eind`."""
    dag, geteld = start, 0
    while dag < eind:
        dag += dt.timedelta(days=1)
        if is_werkdag(dag):
            geteld += 1
    return geteld


def maanden_na(start: dt.date, aantal: int) -> dt.date:
    return start + relativedelta(months=aantal)


def weken_na(start: dt.date, aantal: int) -> dt.date:
    return start + dt.timedelta(weeks=aantal)
