"""The rows every save reads and writes, by plain statements: the page with its latest revision, a new
page, the new revision, and the page's pointer to it.

They do what Page.objects.filter(...).first(), Page.objects.create(...), Revision.objects.create(...) and
Page.save(update_fields=[...]) do, and return or fill in the same model instances: each field prepares the
value it writes, the ORM's own converters read each value back, the view stamp moves as Page.save moves
it, and a new page sends the pre_save and post_save signals Model.save sends. What they leave out is the
ORM building its statements and instances on every call, which cost several times what the database takes
to run them. No receiver listens for the other writes (the wiki's hook is signals.revision_saved, which
the save action sends; pagecache.page_saved acts only on a page created, deleted, restored or renamed, and
update_current does none of these). Every write that moves a view stamp announces it as Page.save does
(stampcache.py).
"""

from django.db.models import signals

from ..plainsql import db as _db
from ..plainsql import fetch_one as _fetch_one
from ..plainsql import instance as _instance
from ..plainsql import reader as _reader
from . import stampcache
from .models import Page, Revision, stamp_now


def page_with_latest(title: str) -> Page | None:
    """The page called `title` with its latest revision loaded (page.latest), by one statement; None when
    there is no such page."""
    connection = _db(Page)
    page_columns, _, _ = _reader(Page, connection)
    revision_columns, _, _ = _reader(Revision, connection)
    pages, revisions = Page._meta.db_table, Revision._meta.db_table
    row = _fetch_one(
        connection,
        f"SELECT {page_columns}, {revision_columns} FROM {pages} "
        f"LEFT JOIN {revisions} ON {revisions}.id = {pages}.latest_id WHERE {pages}.title = %s",
        [title],
    )
    if row is None:
        return None
    split = len(Page._meta.concrete_fields)
    page = _instance(connection, Page, row[:split])
    page.latest = _instance(connection, Revision, row[split:]) if page.latest_id is not None else None
    return page


def page_for_update(title: str) -> Page | None:
    """The page called `title`, its row locked until the transaction ends (SELECT … FOR UPDATE, which the
    ORM sends to the database it writes to)."""
    connection = _db(Page, write=True)
    columns, _, _ = _reader(Page, connection)
    sql = f"SELECT {columns} FROM {Page._meta.db_table} WHERE title = %s"
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    row = _fetch_one(connection, sql + lock, [title])
    return _instance(connection, Page, row) if row is not None else None


def revision(revision_id: int) -> Revision:
    connection = _db(Revision)
    columns, _, _ = _reader(Revision, connection)
    sql = f"SELECT {columns} FROM {Revision._meta.db_table} WHERE id = %s"
    row = _fetch_one(connection, sql, [revision_id])
    if row is None:
        raise Revision.DoesNotExist(f"No revision {revision_id}.")
    return _instance(connection, Revision, row)


def _insert(new) -> None:
    """Write the unsaved instance `new` (one INSERT, each field preparing its value as in Model.save) and
    give it its id."""
    model = type(new)
    connection = _db(model, write=True)
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    values = [field.get_db_prep_save(field.pre_save(new, True), connection) for field in fields]
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(model._meta.pk.column)}"
    )
    new.pk = _fetch_one(connection, sql, values)[0]
    new._state.adding = False
    new._state.db = connection.alias


def insert_revision(new: Revision) -> None:
    """Write the unsaved revision `new` and give it its id (Revision.save refuses only updates)."""
    _insert(new)


def create_page(title: str, namespace: str, touched_at) -> Page:
    """Page.objects.create(...) by one plain INSERT, with the view stamp Page.save gives a new page and the
    pre_save and post_save signals Model.save sends (pagecache.page_saved touches the pages linking to the
    new title). An IntegrityError when the title is taken, as from the ORM."""
    page = Page(title=title, namespace=namespace, touched_at=touched_at, view_stamp=stamp_now())
    using = _db(Page, write=True).alias
    signals.pre_save.send(sender=Page, instance=page, raw=False, using=using, update_fields=None)
    _insert(page)
    stampcache.stamps_moved([page.pk])  # as Page.save announces it
    signals.post_save.send(
        sender=Page, instance=page, created=True, update_fields=None, raw=False, using=using
    )
    return page


def update_current(page: Page, latest: Revision, redirect_to: str, touched_at) -> None:
    """Point `page` at its new latest revision, with its redirect target and touched time, and move its view
    stamp on as Page.save does (to now, or one past the stored stamp if that is later), by one UPDATE."""
    connection = _db(Page, write=True)
    greatest = "MAX" if connection.vendor == "sqlite" else "GREATEST"
    touched = Page._meta.get_field("touched_at").get_db_prep_save(touched_at, connection)
    (page.view_stamp,) = _fetch_one(
        connection,
        f"UPDATE {Page._meta.db_table} SET latest_id = %s, redirect_to = %s, touched_at = %s, "
        f"view_stamp = {greatest}(view_stamp + 1, %s) WHERE id = %s RETURNING view_stamp",
        [latest.pk, redirect_to, touched, stamp_now(), page.pk],
    )
    stampcache.stamps_moved([page.pk])  # as Page.save announces it
    page.latest, page.redirect_to, page.touched_at = latest, redirect_to, touched_at


def count_recent_revisions(author_id: int, since) -> int:
    """How many revisions the author has written since `since` (the edit rate limit; index author,
    timestamp)."""
    connection = _db(Revision)
    timestamp = Revision._meta.get_field("timestamp").get_db_prep_value(since, connection)
    sql = f"SELECT COUNT(*) FROM {Revision._meta.db_table} WHERE author_id = %s AND timestamp >= %s"
    return _fetch_one(connection, sql, [author_id, timestamp])[0]


TITLES_AT_ONCE = 500  # well under every SQLite build's limit on parameters


def live_titles(titles: set[str]) -> set[str]:
    """Which of `titles` are pages that exist now (not deleted): the red and blue links of a page shown
    right after its save."""
    found: set[str] = set()
    ordered = sorted(titles)
    with _db(Page).cursor() as cursor:
        for start in range(0, len(ordered), TITLES_AT_ONCE):
            chunk = ordered[start : start + TITLES_AT_ONCE]
            cursor.execute(
                f"SELECT title FROM {Page._meta.db_table} "
                f"WHERE deleted_at IS NULL AND title IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            found.update(title for (title,) in cursor.fetchall())
    return found
