"""The REST API (django-ninja): one router per resource, errors translated in errors.py.

The OpenAPI document is served at /api/v1/openapi.json. Ninja's interactive docs are off: they load
their scripts from a CDN, which the Content-Security-Policy (and our no-CDN rule) forbids.
"""

from ninja import NinjaAPI

from . import errors
from .routers import campaigns, categories, changes, events, pages, programs, search, survey_results, surveys

DESCRIPTION = """\
Read and edit districtwiki pages.

Titles in paths use underscores or spaces (`Acceptable_use_policy`) and may contain `/` for subpages.
A page is at `/pages/{title}`, its history, diffs and backlinks at `/history/{title}`, `/diff/{title}` and
`/backlinks/{title}`: the title is always the rest of the path, whatever it ends with. The older addresses
`/pages/{title}/history`, `/diff` and `/backlinks` keep their meaning and are deprecated; because of them, a
page whose title ends in `/history`, `/diff` or `/backlinks` is read with `GET /pages?title=…`.
Reads need no account unless the wiki is private. Writes need `Authorization: Bearer <token>` (a personal
API token from your account settings), or the browser session plus the `X-CSRFToken` header.

Live events are at `/events` (upcoming, one event, schedule, close) and a room's messages at
`/rooms/{room}/messages` (read after an id, post).

The advocacy hub's surveys are at `/surveys` (list), `/surveys/{slug}` (questions) and
`/surveys/{slug}/response` (a member's answers: PUT, replaced whole on each revision).

Funding programs are at `/programs` (paged, filtered by `level`, `state` and `status`), one program with its
yearly amounts, status history and impact report totals at `/programs/{slug}`, and what districts report it
paid for (totals per state and the reports) at `/programs/{slug}/impact`.

The advocacy hub's campaigns are at `/campaigns` (filter by `status` and `state`) and `/campaigns/{slug}`:
the ask, its deadline, state, linked program and signature count (never the signers).

Every error is `{"detail": "<message>"}`. A save sends the revision it started from (`base_revision`);
if others saved since, the edit is merged, or answered with 409 and the overlapping regions.
"""


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="districtwiki",
        version="1",
        description=DESCRIPTION,
        docs_url=None,
        urls_namespace="api",
    )
    errors.install(api)
    api.add_router("/pages", pages.router)
    api.add_router("/", pages.views_router)
    api.add_router("/search", search.router)
    api.add_router("/recent", changes.router)
    api.add_router("/categories", categories.router)
    api.add_router("/events", events.events_router)
    api.add_router("/rooms", events.rooms_router)
    api.add_router("/surveys", surveys.router)
    # /surveys/{slug}/results: a second router under the same prefix.
    api.add_router("/surveys", survey_results.router)
    api.add_router("/programs", programs.router)
    api.add_router("/campaigns", campaigns.router)
    return api


api = build_api()
