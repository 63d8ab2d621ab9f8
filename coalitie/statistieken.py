"""Planner statistics for the small reference tables.

PostgreSQL plans with table statistics, which only ANALYZE (or autovacuum, once enough rows
changed) collects. The reference tables are loaded once and then hardly change, so autovacuum
may never analyze them, and without statistics the planner guesses their size: on a freshly
migrated database the dashboard took 510 ms instead of 160 ms. `migrate` (post_migrate) and
`laad_referentiedata` therefore leave statistics behind. SQLite plans without them.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections

# app label -> model names of its small reference tables
REFERENTIETABELLEN: dict[str, tuple[str, ...]] = {}


def registreer(app_label: str, *modellen: str) -> None:
    REFERENTIETABELLEN[app_label] = modellen


def analyseren(using: str = DEFAULT_DB_ALIAS, app_labels=None) -> list[str]:
    """ANALYZE the registered reference tables (all, or those of `app_labels`); the tables."""
    from django.apps import apps

    verbinding = connections[using]
    if verbinding.vendor != "postgresql":
        return []
    bestaand = set(verbinding.introspection.table_names())
    tabellen = [
        apps.get_model(label, naam)._meta.db_table
        for label, namen in REFERENTIETABELLEN.items()
        if app_labels is None or label in app_labels
        for naam in namen
    ]
    tabellen = [t for t in tabellen if t in bestaand]
    if tabellen:
        with verbinding.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(verbinding.ops.quote_name(t) for t in tabellen))
    return tabellen


def na_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate receiver (connected per app, with that app as sender)."""
    analyseren(using=using, app_labels=[sender.label])
