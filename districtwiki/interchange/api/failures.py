"""The wiki core's typed refusals as MediaWiki error codes: one table, so every module answers alike."""

from django.core.exceptions import PermissionDenied

from districtwiki.discussions.actions import ThreadLocked
from districtwiki.wiki import actions
from districtwiki.wiki.access import EmailNotConfirmed
from districtwiki.wiki.models import Page
from districtwiki.wiki.titles import InvalidTitle

from .errors import ApiError

CODES = [
    (actions.EditConflict, "editconflict"),
    (actions.RateLimited, "ratelimited"),
    (actions.PageTooLarge, "contenttoobig"),
    (actions.InvalidBase, "nosuchrevid"),
    (actions.TitleTaken, "articleexists"),
    (ThreadLocked, "permissiondenied"),
    (actions.WikiError, "badcontent"),
    (InvalidTitle, "invalidtitle"),
    (EmailNotConfirmed, "confirmemail"),
]


def translate(error: Exception, page: Page | None = None) -> ApiError:
    """The ApiError for an exception the core raised about `page` (None: a page still to be created)."""
    if isinstance(error, PermissionDenied) and not isinstance(error, EmailNotConfirmed):
        protected = page is not None and page.protection and not page.is_deleted
        return ApiError("protectedpage" if protected else "permissiondenied", str(error))
    for kind, code in CODES:
        if isinstance(error, kind):
            return ApiError(code, str(error))
    raise error


CORE_ERRORS = (actions.WikiError, PermissionDenied, InvalidTitle)
