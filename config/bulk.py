"""Fast inserts for large batches (imports of tens of thousands of rows).

Django's bulk_create builds a model instance per row and prepares every field in Python; for
~100,000 route actions that costs tens of seconds. PostgreSQL's COPY takes plain rows as a
stream and is an order of magnitude faster. Other databases (the embedded SQLite) and small
batches keep bulk_create. Rows are dicts of attname → value; missing fields get their default.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

COPY_VANAF = 500  # below this bulk_create is just as fast


def bulk_insert(model, rows: list[dict], *, batch_size: int = 2000) -> None:
    if not rows:
        return
    if connection.vendor != "postgresql" or len(rows) < COPY_VANAF:
        model.objects.bulk_create([model(**row) for row in rows], batch_size=batch_size)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    nu = timezone.now()
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = nu
        else:
            defaults[f.attname] = f.get_default()
    attnames = [f.attname for f in fields]
    quote = connection.ops.quote_name
    sql = "COPY {} ({}) FROM STDIN".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    )
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row([row[a] if a in row else defaults[a] for a in attnames])
