"""Model rows by plain statements, for the few queries that run on every save or request: the ORM's
building of a statement and of its instances costs several times what the database takes to run it.

reader() gives a model's columns as the ORM selects them; instance() makes the model instance the ORM
would make of a row (each value through the converters the ORM applies, then Model.from_db); db() is the
connection the ORM would use. Callers write the statement around them (wiki/sqlrows.py: the save's pages
and revisions; accounts: an API token with its member).
"""

from functools import lru_cache

from django.db import connections, router


def db(model, write: bool = False):
    """The connection the ORM would use for `model` (the database router's choice: a write goes to the
    primary and marks the request as one that wrote, for read-your-writes; replicas.py), as the wrapper of
    this thread, not the proxy django.db.connection, which a cache cannot key on."""
    return connections[router.db_for_write(model) if write else router.db_for_read(model)]


@lru_cache(maxsize=16)
def reader(model, wrapper) -> tuple[str, list[str], list[tuple]]:
    """(the table's columns for a SELECT, their attribute names, (position, column, converters) of each
    column that has converters) for `model` on the connection `wrapper` (one per thread: its converters
    are its own)."""
    quote = wrapper.ops.quote_name
    fields = model._meta.concrete_fields
    columns = ", ".join(f"{quote(model._meta.db_table)}.{quote(field.column)}" for field in fields)
    converters = []
    for position, field in enumerate(fields):
        column = field.get_col(model._meta.db_table)
        if found := wrapper.ops.get_db_converters(column) + column.get_db_converters(wrapper):
            converters.append((position, column, tuple(found)))
    return columns, [field.attname for field in fields], converters


def instance(connection, model, values):
    """A model instance from `values` in the order of reader()'s columns, as the ORM builds it from a row."""
    _, names, converters = reader(model, connection)
    values = list(values)
    for position, column, functions in converters:
        for function in functions:
            values[position] = function(values[position], column, connection)
    return model.from_db(connection.alias, names, values)


def fetch_one(connection, sql: str, params: list):
    """The first row of `sql` (%s placeholders) on `connection`, or None."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()
