"""Request builders shared by the API tests."""

import json
from urllib.parse import quote

from districtwiki.wiki.models import Page, Revision


def page_url(title: str, suffix: str = "") -> str:
    return "/api/v1/pages/" + quote(title.replace(" ", "_"), safe="/:") + suffix


def view_url(view: str, title: str) -> str:
    """A page's history, diff or backlinks: /api/v1/<view>/<title>."""
    return f"/api/v1/{view}/" + quote(title.replace(" ", "_"), safe="/:")


def put_page(client, title: str, body, **headers):
    """PUT a page; `body` is encoded as JSON unless it is already a str or bytes."""
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.put(page_url(title), data, content_type="application/json", **headers)


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def stored() -> tuple[int, int]:
    """How many pages and revisions exist: a refused request must leave both unchanged."""
    return Page.objects.count(), Revision.objects.count()
