"""Queries whose plan does not depend on what PostgreSQL believed about the table's size.

`kolom IN (2.000 waarden)`: PostgreSQL costs 2,000 index probes (random_page_cost each) against
one sequential scan, and picks the scan while the table is under ~250,000 rows. An import
that grows the table inside its own transaction (a first import, or one after a rolled-back
import left "0 rows" in the statistics) then scans the growing table once per group: at
250,000 rows ~125 scans of up to 250,000 rows, quadratic in the file. `in_lijst` hides the
list's length from the planner (`kolom = ANY(ARRAY(SELECT unnest(%s)))`: an array it cannot
see into counts as a few elements), so a column with an index is always probed through it,
however big or stale the statistics; a table of a page or two is still read whole.
Leave out an ORDER BY on another indexed column (sort in Python): with "0 rows" in the
statistics the planner walks that column's whole index to save a sort of "one" row.
`tests/test_import_planner.py` shows the plan of the import's own lookup.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import BooleanField, F, Lookup


class _InLijst(Lookup):
    lookup_name = "in_lijst"
    prepare_rhs = False

    @property
    def output_field(self):
        return BooleanField()

    def as_sql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        waarden = list(self.rhs)
        if not waarden:
            raise EmptyResultSet  # as `__in=[]`: no query at all
        if connection.vendor == "postgresql":
            # The column's own type for the array (a text list is otherwise "unknown"), without
            # its length: a cast to varchar(20) would cut a longer value and find a match.
            soort = self.lhs.output_field.db_type(connection).split("(")[0]
            return f"{lhs} = ANY(ARRAY(SELECT unnest(%s::{soort}[])))", [*lhs_params, waarden]
        return f"{lhs} IN ({', '.join(['%s'] * len(waarden))})", [*lhs_params, *waarden]


def in_lijst(veld: str, waarden) -> _InLijst:
    """`Model.objects.filter(in_lijst("veld", waarden))`: the same rows as `veld__in=waarden`."""
    return _InLijst(F(veld), list(waarden))


def tellen(model, kolommen: tuple[str, ...] = ()) -> None:
    """ANALYZE the model's table now (PostgreSQL; elsewhere nothing): for a table just filled
    whose statistics cannot know it, e.g. the import's scratch table, whose rows all carry a
    run id (`partij`) that no statistics have seen. Estimated at a handful of rows, the next
    group's `partij = … AND leerlingnummer > … ORDER BY leerlingnummer LIMIT 2000` became a
    bitmap scan of every row still to come plus a sort, once per group: quadratic (250,000
    rows: ~15 million rows read, seconds). Counted, it reads the index in order and stops
    at 2,000. Sampling costs ~0.1 s at 250,000 rows; inside a transaction it sees that
    transaction's own rows. `kolommen` (field names): statistics of these columns only (and
    the table's size), for queries that filter and sort on nothing else: ~10 ms instead of
    ~80–200 ms for the import's 25,000 scratch rows of 25 columns."""
    from django.db import connection

    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        tabel = quote(model._meta.db_table)
        if kolommen:
            namen = ", ".join(quote(model._meta.get_field(k).column) for k in kolommen)
            tabel = f"{tabel} ({namen})"
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {tabel}")
