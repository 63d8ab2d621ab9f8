"""Fast inserts for large batches (imports of tens of thousands of rows).

Django's bulk_create builds a model instance per row and prepares every field in Python; for
~100,000 route actions that costs tens of seconds. PostgreSQL's COPY takes plain rows as a
stream and is an order of magnitude faster. Other databases (the embedded SQLite) and small
batches keep bulk_create. Rows are dicts of attname → value; missing fields get their default.
"""

from __future__ import annotations

import json
import operator
from collections import deque
from collections.abc import Iterable
from itertools import repeat

from django.db import connection
from django.utils import timezone
from psycopg.copy import Copy, Writer
from psycopg.types.string import BytesBinaryDumper

from . import bulk_achtergrond

COPY_VANAF = 500  # below this bulk_create is just as fast


class JsonTekst(str):
    """A JSON column's value already serialised (json.dumps), for rows built by the thousand:
    COPY takes it as it is; the bulk_create path parses it back."""


def bulk_insert(
    model,
    rows: Iterable[dict],
    *,
    batch_size: int = 2000,
    pks: bool = False,
    zelfde_sleutels: bool = False,
) -> list[int] | None:
    """Insert the rows; `pks=True`: return their new primary keys, in the order of `rows`.

    A row may carry its own primary key (taken with `sleutels_nemen`). Inside
    `config.bulk_achtergrond.achtergrond()` the COPY runs while the caller goes on.
    `zelfde_sleutels=True`: the caller built every row from one template (the same keys in
    each), so the columns the rows give are the first row's, without looking through all."""
    # Our own list: the caller may reuse theirs once we return (the COPY may not have run yet).
    rows = list(rows)
    if not rows:
        return [] if pks else None
    if connection.vendor != "postgresql" or len(rows) < COPY_VANAF:
        objs = [
            model(**{k: json.loads(v) if isinstance(v, JsonTekst) else v for k, v in row.items()})
            for row in rows
        ]
        model.objects.bulk_create(objs, batch_size=batch_size)
        return [o.pk for o in objs] if pks else None
    # Generated columns (Leerling.zoeknaam) are written by the database, never by us.
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    nieuwe_pks = None
    if pks:
        # The keys taken from the table's own sequence up front and written with the rows:
        # no reading back by natural key afterwards (one large IN query per batch).
        rows = [
            {**row, model._meta.pk.attname: pk}
            for row, pk in zip(rows, _sequentie(model, len(rows)), strict=True)
        ]
        fields.insert(0, model._meta.pk)
        nieuwe_pks = [row[model._meta.pk.attname] for row in rows]
    nu = timezone.now()
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = nu
        else:
            defaults[f.attname] = f.get_default()
    # A column no row gives and whose default is NULL stays out of the COPY (it becomes NULL
    # all the same): fewer columns to send and parse, e.g. auditlog's remote_addr and cid.
    alle = [f.attname for f in fields] + [model._meta.pk.attname]
    gegeven = {a for a in alle if a in rows[0]} if zelfde_sleutels else _gegeven(rows, alle)
    if not pks and model._meta.pk.attname in gegeven:
        fields.insert(0, model._meta.pk)
    fields = [f for f in fields if f.attname in gegeven or defaults[f.attname] is not None]
    if leeg := _alleen_null(model._meta.db_table, fields, rows, defaults):
        fields = [f for f in fields if f.attname not in leeg]
    # The columns the first row gives go first, the ones it leaves to their default last: a
    # row with exactly the first row's keys (nearly always every row) is then its values plus
    # one constant tuple, without a merged dict per row (see `schrijven`).
    eerste = rows[0]
    fields.sort(key=lambda f: f.attname not in eerste)
    attnames = [f.attname for f in fields]
    vast_van = sum(a in eerste for a in attnames)
    # COPY takes JSON columns as their text.
    json_velden = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    # Only columns a row gives need work per row; the default is converted once, below.
    json_posities = [(i, a) for i, a in enumerate(attnames) if a in json_velden and a in gegeven]
    for a in json_velden:
        if defaults[a] is not None:
            defaults[a] = json.dumps(defaults[a])
    quote = connection.ops.quote_name
    table = model._meta.db_table
    types = _binary_types(table, [f.column for f in fields])
    sql = "COPY {} ({}) FROM STDIN{}".format(
        quote(table),
        ", ".join(quote(f.column) for f in fields),
        " (FORMAT binary)" if types else "",
    )
    # Binary: the server parses no text (dates, numbers) and the client formats none; the
    # JSON columns go as jsonb's binary form, a version byte and the text (see _binary_types).
    json_naar = (lambda t: None if t is None else b"\x01" + t.encode()) if types else None
    for a in json_velden:
        if json_naar and defaults[a] is not None:
            defaults[a] = json_naar(defaults[a])
    # One C-level lookup of all values per row (half the time of a comprehension).
    pak = _pakker(attnames)
    # The fast path holds only when the first row gives nothing but columns (then a row of the
    # same length that has all its columns has exactly its keys).
    snel = vast_van >= 1 and len(eerste) == vast_van
    pak_eigen = _pakker(attnames[:vast_van]) if snel else None
    rest = tuple(defaults[a] for a in attnames[vast_van:])
    lengte = len(eerste)

    def waarden_per_rij():
        for row in rows:
            if snel and len(row) == lengte:
                try:
                    waarden = pak_eigen(row) + rest
                except KeyError:  # other keys than the first row: the general way
                    waarden = pak({**defaults, **row})
            else:
                waarden = pak({**defaults, **row})
            if json_posities:
                waarden = list(waarden)
                for i, a in json_posities:
                    if a in row and waarden[i] is not None:
                        if not isinstance(waarden[i], JsonTekst):
                            waarden[i] = json.dumps(waarden[i])
                        if json_naar:
                            waarden[i] = json_naar(waarden[i])
            yield waarden

    # The COPY's data is made here, in the caller's thread (psycopg's C formatter, into
    # memory), and the background worker only sends it: the worker then needs the GIL for a
    # moment per block of 128 KB, not for every row, so it feeds the server while the caller
    # computes (formatting there starved the server ~8% of a first import, waiting for the GIL).
    blokken = None
    if zelfde_sleutels and snel and not json_posities:
        # Rows from one template: their values without a Python frame per row (map in C).
        per_rij = map(pak_eigen, rows)
        try:
            blokken = _opmaken(types, map(operator.add, per_rij, repeat(rest)) if rest else per_rij)
        except KeyError:  # a row without some key of the first one: the general way
            blokken = None
    if blokken is None:
        blokken = _opmaken(types, waarden_per_rij())

    def schrijven(cursor) -> None:
        with cursor.copy(sql) as copy:
            for blok in blokken:
                copy.write(blok)

    bulk_achtergrond.uitvoeren(schrijven)
    return nieuwe_pks


BLOK = 128 * 1024  # bytes per write to the server (psycopg's largest, MAX_BUFFER_SIZE)


class _Blokken(Writer):
    """A psycopg COPY writer that keeps the data in memory, in blocks of about BLOK bytes."""

    def __init__(self) -> None:
        self.blokken: list[bytes] = []
        self._huidig = bytearray()

    def write(self, data) -> None:
        self._huidig += data
        if len(self._huidig) >= BLOK:
            self.blokken.append(bytes(self._huidig))
            self._huidig = bytearray()

    def finish(self, exc: BaseException | None = None) -> None:
        if self._huidig:
            self.blokken.append(bytes(self._huidig))


def _opmaken(types: list | None, rijen) -> list[bytes]:
    """The data of a COPY FROM STDIN (binary when `types`, else text) of `rijen` (tuples in
    column order), formatted by psycopg without sending it (its documented `Copy(cursor,
    writer=…)`): signature, rows and trailer, as `copy.write_row` would send them."""
    connection.ensure_connection()
    cursor = connection.connection.cursor()  # only for its adapters: it sends nothing
    if types and "bytea" in types:
        # The dumper psycopg picks for the declared type bytea is its DB-API `Binary` one, in
        # Python (one call per value); the C dumper for bytes makes the same bytes.
        cursor.adapters.register_dumper(bytes, BytesBinaryDumper)
    uit = _Blokken()
    try:
        with Copy(cursor, binary=bool(types), writer=uit) as copy:
            if types:
                copy.set_types(types)
            deque(map(copy.write_row, rijen), maxlen=0)  # the loop in C
    finally:
        cursor.close()
    return uit.blokken


def _pakker(attnames: list[str]):
    """A function giving a row's values of `attnames` as a tuple (itemgetter: one C call)."""
    if len(attnames) == 1:
        naam = attnames[0]
        return lambda r: (r[naam],)
    return operator.itemgetter(*attnames)


def _gegeven(rows: list[dict], attnames: list[str]) -> set[str]:
    """The attnames some row gives (the union of the rows' keys, among `attnames`).

    The first row's keys, plus each other column looked up row by row until a row has it:
    the union of every row's keys walks ~100,000 dicts scattered through memory (0.5 s of
    CPU per first import, measured), while a column no row gives is one C-level scan."""
    eerste = rows[0]
    gegeven = {a for a in attnames if a in eerste}
    for a in attnames:
        if a not in gegeven and any(map(operator.contains, rows, repeat(a))):
            gegeven.add(a)
    return gegeven


def sleutels_nemen(model, aantal: int, *verder) -> list[int] | list[list[int]]:
    """`aantal` new primary keys for rows the caller writes later with `bulk_insert` (so it
    can link other rows to them first); on other databases none (bulk_create assigns them).

    More pairs (`sleutels_nemen(Leerling, 10, Plaatsing, 12)`): a list of key lists, one
    statement for all. Inside `bulk_achtergrond.achtergrond()` every read waits for the COPY
    running at that moment, so two reads cost two such waits and one costs one."""
    paren = [(model, aantal), *zip(verder[::2], verder[1::2], strict=True)]
    nodig = [(m, n) for m, n in paren if connection.vendor == "postgresql" and n >= COPY_VANAF]
    genomen = dict(zip((m for m, _ in nodig), _sequenties(nodig), strict=True))
    sleutels = [genomen.get(m, []) for m, _ in paren]
    return sleutels if verder else sleutels[0]


def _sequentie(model, aantal: int) -> list[int]:
    return _sequenties([(model, aantal)])[0]


def _sequenties(paren: list[tuple]) -> list[list[int]]:
    """Per (model, aantal): `aantal` new values of the sequence behind the model's primary
    key, ascending; one statement for all pairs."""
    if not paren:
        return []
    delen, params = [], []
    for model, aantal in paren:
        # The sequence looked up once (an InitPlan), not per value: pg_get_serial_sequence per
        # row was ~85% of this statement; and one array instead of `aantal` result rows.
        delen.append(
            "(SELECT array_agg(nextval((SELECT pg_get_serial_sequence(%s, %s)::regclass))) "
            "FROM generate_series(1, %s))"
        )
        params += [model._meta.db_table, model._meta.pk.column, aantal]
    # A sequence depends on no queued COPY: no need to wait for them (bulk_achtergrond).
    with bulk_achtergrond.zonder_wachten(), connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(delen), params)
        return [sorted(waarden) for waarden in cursor.fetchone()]


# Column types whose binary form psycopg makes from the values we pass (str, int, bool, date,
# aware datetime, UUID). jsonb is sent as bytes in its binary form: in a binary COPY the server
# reads each column with the column's own type, the declared type only picks psycopg's dumper.
_BINAIR = {"int2", "int4", "int8", "bool", "date", "timestamptz", "varchar", "text", "uuid"}
_types_cache: dict[tuple, dict[str, str]] = {}


def _kolomtypes(table: str) -> dict[str, str]:
    sleutel = (connection.alias, table)
    if sleutel not in _types_cache:
        with bulk_achtergrond.zonder_wachten(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = "
                "a.atttypid WHERE a.attrelid = %s::regclass AND a.attnum > 0",
                [table],
            )
            _types_cache[sleutel] = dict(cursor.fetchall())
    return _types_cache[sleutel]


def _binary_types(table: str, columns: list[str]) -> list | None:
    """The types to declare for a binary COPY into these columns, or None (text COPY) when a
    column has a type outside `_BINAIR` (e.g. inet, which wants ipaddress objects)."""
    soort = _kolomtypes(table)
    types = ["bytea" if soort.get(c) == "jsonb" else soort.get(c) for c in columns]
    return types if set(types) <= _BINAIR | {"bytea"} else None


def _alleen_null(table: str, fields: list, rows: list[dict], defaults: dict) -> set[str]:
    """Columns of a type binary COPY cannot take that are NULL in every row: left out, they
    are NULL all the same (e.g. the access log's ip for an import, which has no request)."""
    soort = _kolomtypes(table)
    return {
        f.attname
        for f in fields
        if soort.get(f.column) not in _BINAIR | {"jsonb"}
        and defaults[f.attname] is None
        and all(row.get(f.attname) is None for row in rows)
    }


def bulk_set(model, fields: list[str], rows: dict[int, tuple], *, batch_size: int = 5000) -> None:
    """Give many rows (primary key → values of `fields`) each their own values.

    On PostgreSQL one `UPDATE … FROM unnest(arrays)` per batch, a join on the key; Django's
    bulk_update sends a CASE branch per row, which is slow to plan and run for thousands.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        objs = [model(pk=pk, **dict(zip(fields, vals, strict=True))) for pk, vals in rows.items()]
        model.objects.bulk_update(objs, fields, batch_size=500)
        return
    meta = model._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(f) for f in fields]
    sql = (
        "UPDATE {table} AS t SET {sets} FROM unnest({arrays}) AS v(pk, {names}) WHERE t.{pk} = v.pk"
    )
    sql = sql.format(
        table=quote(meta.db_table),
        sets=", ".join(f"{quote(f.column)} = v.c{i}" for i, f in enumerate(columns)),
        arrays=", ".join(f"%s::{f.rel_db_type(connection)}[]" for f in [meta.pk, *columns]),
        names=", ".join(f"c{i}" for i in range(len(columns))),
        pk=quote(meta.pk.column),
    )
    items = list(rows.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), batch_size):
            batch = items[start : start + batch_size]
            params = [[pk for pk, _ in batch]]
            params += [[vals[i] for _, vals in batch] for i in range(len(columns))]
            cursor.execute(sql, params)
