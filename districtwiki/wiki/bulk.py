"""Saving many pages at once, through the same save action as every edit.

save_pages() writes pages in chunks, one transaction each (each save a savepoint inside it, so a chunk costs
one commit instead of one per page), with the pages linking to a chunk's new pages touched by one UPDATE at
its end (pagecache.linking_touched_together). While a chunk is written, a worker process renders the next
one's Markdown (and the words the search index keeps of it), on the machine's other core; the save finds
the text already rendered (markup.rendered_ahead) and stores the same revision, links, categories, search
text and notifications as a save made alone. On SQLite the writing connection caches BULK_CACHE_KB of the
database meanwhile (the indexes it updates on every page), and the setting's size again afterwards.
"""

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, ExitStack, contextmanager
from itertools import islice

from django.conf import settings
from django.db import connection, transaction

from . import actions, markup, pagecache
from .search.spellings import joined_words
from .search.text import plain_text

CHUNK_SIZE = 200
BULK_CACHE_KB = 16_384

# What features write once per chunk instead of once per save: context managers entered inside the chunk's
# transaction, whose end writes what waited (notifications: the authors' auto-watches).
_per_chunk: list[Callable[[], AbstractContextManager]] = []


def once_per_chunk(context: Callable[[], AbstractContextManager]) -> None:
    """Enter `context()` around each chunk's saves (a feature's AppConfig.ready)."""
    if context not in _per_chunk:
        _per_chunk.append(context)


def save_pages(
    pages: Iterable[tuple[str, str]], author, summary: str = "", chunk_size: int = CHUNK_SIZE
) -> int:
    """Save each (title, text) as a new revision by `author`; the number of pages saved. An error (a
    WikiError of one save) rolls back the chunk it happened in and stops there: the chunks before stay."""
    saved = 0
    with ProcessPoolExecutor(max_workers=1) as worker, _larger_cache():
        for chunk, renders in _rendered_ahead(_chunks(pages, chunk_size), worker):
            with transaction.atomic(), pagecache.linking_touched_together(), ExitStack() as stack:
                for context in _per_chunk:
                    stack.enter_context(context())
                stack.enter_context(markup.rendered_ahead(renders))
                for title, text in chunk:
                    actions.save_revision(title, text, author, None, summary)
            saved += len(chunk)
    return saved


@contextmanager
def _larger_cache():
    if connection.vendor != "sqlite":
        yield
        return
    _cache_kb(BULK_CACHE_KB)
    try:
        yield
    finally:
        _cache_kb(settings.SQLITE_CACHE_KB)


def _cache_kb(kilobytes: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA cache_size=-{kilobytes}")


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    items = iter(items)
    while chunk := list(islice(items, size)):
        yield chunk


def _rendered_ahead(chunks: Iterator[list], worker) -> Iterator[tuple[list, dict]]:
    """Each chunk with its texts rendered by the worker, which starts on the next chunk before this one
    is given. The first chunk is rendered by the saves themselves, while the worker starts on the second."""
    current, renders = next(chunks, None), {}
    while current is not None:
        following = next(chunks, None)
        started = worker.submit(_render_chunk, following) if following is not None else None
        yield current, renders
        current, renders = following, started.result() if started is not None else {}


def _render_chunk(chunk: list[tuple[str, str]]) -> dict[str, markup.Rendered]:
    """In the worker: each text rendered as the save would, with the text the search index keeps of it."""
    renders = markup.render_each([actions.normalize_text(text) for _, text in chunk])
    for rendered in renders.values():
        rendered.search_text = plain_text(rendered.html)
        rendered.search_joined = joined_words(rendered.search_text)
    return renders
