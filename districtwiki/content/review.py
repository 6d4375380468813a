"""Marking a page as reviewed: a new revision whose front matter carries today's date."""

import datetime

from districtwiki.wiki import access, actions, frontmatter
from districtwiki.wiki.models import Page


def mark_reviewed(page: Page, user, today: datetime.date) -> actions.SaveResult:
    access.check_trusted(user, "mark pages as reviewed")
    if frontmatter.parse(page.latest.text) is None:
        raise actions.WikiError(f"“{page.title}” has no front matter with a review date to update.")
    text = frontmatter.with_reviewed(page.latest.text, today)
    try:
        return actions.save_revision(page.title, text, user, page.latest_id, "Reviewed")
    except actions.NoChange:
        raise actions.WikiError(f"“{page.title}” was already marked reviewed today.") from None
