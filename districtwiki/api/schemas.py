"""The shapes the REST API reads and writes; the OpenAPI document is generated from these."""

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict

from districtwiki.wiki.models import Revision


class Error(Schema):
    """Every 4xx and 5xx answer: one sentence for the person who made the request."""

    detail: str


# --- Pages and revisions -------------------------------------------------------------------------------


class RevisionInfo(Schema):
    id: int
    timestamp: datetime
    author: str
    summary: str

    @staticmethod
    def of(revision: Revision) -> "RevisionInfo":
        return RevisionInfo(
            id=revision.pk,
            timestamp=revision.timestamp,
            author=revision.author_name,
            summary=revision.summary,
        )


class PageOut(Schema):
    title: str
    revision: RevisionInfo
    content: str = Field(description="The revision's Markdown source.")
    html: str = Field(description="Sanitised HTML; links to missing pages carry the class `new`.")


class SavedPage(PageOut):
    changed: bool = Field(
        description="False when the text sent was identical to the current revision: nothing was saved and "
        "`revision` is the current one."
    )
    merged_with: int | None = Field(
        description="When base_revision was no longer current, the revision this edit was merged with; "
        "`content` is then the merged text."
    )


def _storable_text(value: str) -> str:
    # Neither database can store NUL; a lone surrogate (valid in JSON, not in UTF-8) cannot be encoded.
    if "\x00" in value:
        raise ValueError("text cannot contain NUL characters (U+0000)")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode (it contains an unpaired surrogate)") from None
    return value


StorableText = Annotated[str, AfterValidator(_storable_text)]


class PageEdit(Schema):
    """A save. Strict: no numbers as text, no strings as numbers, no unknown fields."""

    model_config = ConfigDict(strict=True, extra="forbid")

    content: StorableText = Field(description="The whole new Markdown text of the page.")
    base_revision: int | None = Field(
        description="The revision the editor started from; null to create a new page. A stale base is "
        "merged three-way with what was saved since."
    )
    summary: StorableText = Field("", description="A short description of the change (500 characters kept).")
    minor: bool = False


class ConflictRegion(Schema):
    base: str
    theirs: str
    mine: str


class CurrentRevision(RevisionInfo):
    content: str

    @staticmethod
    def of(revision: Revision) -> "CurrentRevision":
        return CurrentRevision(**RevisionInfo.of(revision).model_dump(), content=revision.text)


class Conflict(Schema):
    detail: str
    current_revision: CurrentRevision
    conflicts: list[ConflictRegion]


class RevisionSummary(Schema):
    id: int
    parent_id: int | None
    timestamp: datetime
    author: str
    summary: str
    minor: bool
    size: int = Field(description="Size of the text in bytes (UTF-8).")


class History(Schema):
    title: str
    revisions: list[RevisionSummary] = Field(description="Newest first.")
    next_before: int | None = Field(
        description="Pass as ?before= for the next (older) page of revisions; null on the last page."
    )


class Diff(Schema):
    from_revision: int = Field(alias="from")
    to_revision: int = Field(alias="to")
    diff: str = Field(description="Unified diff of the two texts; empty when they are the same.")


class Backlinks(Schema):
    title: str
    backlinks: list[str] = Field(description="Titles of live pages linking here, in title order.")


# --- Listings ----------------------------------------------------------------------------------------


class SearchHit(Schema):
    title: str
    snippet: str


class SearchResults(Schema):
    query: str
    total: int
    total_is_estimate: bool = Field(
        False, description="True when `total` is an estimate, rounded: more matches than are counted."
    )
    hits: list[SearchHit]


class RecentChange(RevisionSummary):
    title: str


class RecentChanges(Schema):
    changes: list[RecentChange] = Field(description="Newest first.")


class CategoryCount(Schema):
    name: str
    count: int


class Categories(Schema):
    categories: list[CategoryCount] = Field(description="In name order.")


class Category(Schema):
    name: str
    count: int = Field(description="How many live pages are in the category.")
    members: list[str] = Field(description="Titles, in title order.")


# Far beyond any listing, and small enough that offset + limit stays a 64-bit integer in the database's
# LIMIT/OFFSET (a larger one was a 500).
MAX_OFFSET = 1_000_000_000

# Any request can be refused with 401 (a bad API token, or a private wiki without sign-in) and 400 (an
# invalid query parameter), so every operation documents both.
COMMON_ERRORS = {400: Error, 401: Error}
