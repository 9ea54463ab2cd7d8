"""Bulk inserts of plain tuples for the district-scale demo steps.

On PostgreSQL the rows go straight into ``COPY`` (psycopg 3 ``cursor.copy()``) without
building model instances: measured for issue 11, 60,000 supports cost 3.2 s of client CPU
through ``bulk_create`` and 0.1 s as tuples into COPY, and instances were most of the seed's
CPU. Elsewhere (SQLite) the tuples become instances for ``bulk_create``.

Columns the caller leaves out get the field's Python default, computed once, so a table is
filled exactly as ``bulk_create`` would; ``save()``, signals and triggers on UPDATE are not
involved either way (append-only tables accept inserts). Callers keep derived counts right
themselves (the wishes step recounts ``Wish.support_count`` afterwards).
"""

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model

BATCH_SIZE = 2000


def insert_rows(model: type[Model], columns: Sequence[str], rows: Iterable[tuple]) -> int:
    """Insert ``rows`` (tuples in the order of ``columns``, field attnames such as
    ``wish_id``) into ``model``'s table; returns the number of rows."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    given = {name: i for i, name in enumerate(columns)}
    unknown = set(given) - {f.attname for f in fields}
    if unknown:
        raise ValueError(f"not columns of {model.__name__}: {sorted(unknown)}")
    rest = [f for f in fields if f.attname not in given]
    defaults = tuple(f.get_default() for f in rest)
    if connection.vendor != "postgresql":
        built = [
            model(**dict(zip(columns, row, strict=True)), **dict(zip((f.attname for f in rest), defaults, strict=True)))
            for row in rows
        ]
        model.objects.bulk_create(built, batch_size=BATCH_SIZE)
        return len(built)
    quote = connection.ops.quote_name
    column_of = {f.attname: f.column for f in fields}
    names = ", ".join(quote(n) for n in [*(column_of[c] for c in columns), *(f.column for f in rest)])
    count = 0
    sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row + defaults)
            count += 1
    return count
