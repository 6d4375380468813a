"""Lists shown a page at a time (?page=N), for the wiki and every feature: the same links and the same
400 with a sentence for a page number that is not one or past the end."""

import functools
from urllib.parse import urlencode

from django.core.paginator import Paginator

from districtwiki.errors import error_page


class BadPage(ValueError):
    """A query parameter that is not a usable number; the message says why."""

    status = 400


def answer_bad_pages(view):
    """Answer BadPage with the error page (the wiki's translate_errors does the same)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadPage as error:
            return error_page(request, error.status, str(error))

    return wrapped


def positive_int(request, name: str) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    # isascii: "²".isdigit() is true but int("²") fails; the length cap keeps int() cheap.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 12 and int(raw) >= 1):
        raise BadPage(f"“{name}” must be a whole number from 1 up, not “{raw[:40]}”.")
    return int(raw)


def query_url(request, **changes) -> str:
    """This page's URL with some query parameters replaced (None removes one)."""
    params = {key: value for key, value in request.GET.items() if key not in changes}
    params.update({key: value for key, value in changes.items() if value is not None})
    return "?" + urlencode(params) if params else request.path


def paginate(request, items, per_page: int):
    """The requested ?page= of `items`, with links to its neighbours; a page past the end is a 400."""
    paginator = Paginator(items, per_page)
    number = positive_int(request, "page") or 1
    if number > paginator.num_pages:
        raise BadPage(f"There is no page {number} of this list: it has {paginator.num_pages}.")
    page = paginator.page(number)
    page.previous_url = query_url(request, page=page.previous_page_number()) if page.has_previous() else None
    page.next_url = query_url(request, page=page.next_page_number()) if page.has_next() else None
    return page
