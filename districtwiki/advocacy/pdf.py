"""The brief as a PDF, rendered on the server by WeasyPrint (it needs Debian's Pango: see the Makefile).

Nothing is fetched from the network: the document's base address is a name that cannot resolve, and the
URL fetcher answers only for the site's own static files (found through Django's staticfiles finders, so
it works before and after collectstatic); any other address in the page (an image in an ask's Markdown,
say) is refused and left out of the PDF.

A rendered PDF is cached under a hash of its HTML, so that downloading the same brief again costs a
template render, not a layout (`cached_brief`).

One page: the brief is rendered at the density briefs.py estimated, and at the next denser one while it
takes more than one page. The campaign's own text is bounded so that the regular density fits; the denser
ones are room for the sections other parts of the hub contribute.
"""

import hashlib
import logging
import mimetypes
from collections.abc import Callable

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache

from .briefs import DENSITIES

logger = logging.getLogger(__name__)

BASE_URL = "https://brief.invalid/"  # .invalid never resolves (RFC 2606)
CACHE_SECONDS = 24 * 3600


def static_path(url: str) -> str | None:
    """The file behind one of our static URLs, or None for any other address."""
    prefix = BASE_URL.rstrip("/") + settings.STATIC_URL
    if not url.startswith(prefix):
        return None
    relative = url[len(prefix) :].split("?")[0].split("#")[0]
    if not relative or ".." in relative.split("/"):
        return None
    found = finders.find(relative)
    return found if isinstance(found, str) else None


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = static_path(url)
            if path is None:
                raise ValueError(f"not fetched: a brief uses only the site's own static files ({url[:100]})")
            with open(path, "rb") as file:
                body = file.read()
            mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": mime})

    return StaticOnlyFetcher()


def render_pdf(html: str) -> tuple[bytes, int]:
    """The PDF of one HTML document and its number of pages."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher()).render()
    return document.write_pdf(), len(document.pages)


def render_brief(html_at: Callable[[str], str], density: str) -> bytes:
    """The brief's PDF: `html_at(density)` is the document at a density, tried from `density` down until
    it fits on one page (the densest is kept if nothing fits, and the overflow is logged)."""
    pdf, pages = b"", 0
    for level in DENSITIES[DENSITIES.index(density) :]:
        pdf, pages = render_pdf(html_at(level))
        if pages == 1:
            return pdf
    logger.warning("A brief took %d pages even at the densest layout", pages)
    return pdf


def cached_brief(html_at: Callable[[str], str], density: str) -> bytes:
    """render_brief, kept in the cache under a hash of the document it starts from: rendering costs up to a
    second of CPU, and the same brief is downloaded again and again; any change to what it shows (a
    signature, an edit, a contributed section, the date) changes the document and so the key."""
    key = "advocacy:brief-pdf:" + hashlib.sha256(html_at(density).encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        body = render_brief(html_at, density)
        cache.set(key, body, CACHE_SECONDS)
    return body
