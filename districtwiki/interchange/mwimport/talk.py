"""A MediaWiki talk page becomes discussion threads on its subject page: one thread per section of its
latest revision, the section's text (converted) as the first post, attributed to the author of the revision
that added the section, at that revision's time. A section already imported is not imported again."""

from __future__ import annotations

import re
from dataclasses import dataclass

from districtwiki.discussions import actions as discussions
from districtwiki.wiki.models import Page

from ..models import ImportedThread

SECTION = re.compile(r"^==(?!=)[ \t]*(.+?)[ \t]*==[ \t]*$", re.MULTILINE)
LEAD_SUBJECT = "Discussion"  # for text above the first section heading


@dataclass
class Section:
    subject: str
    text: str  # wikitext


@dataclass
class Origin:
    author: object
    author_name: str
    timestamp: object


def sections(text: str) -> list[Section]:
    found, headings = [], list(SECTION.finditer(text))
    lead = text[: headings[0].start()] if headings else text
    if lead.strip():
        found.append(Section(LEAD_SUBJECT, lead))
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        body = text[heading.end() : end]
        if body.strip():
            found.append(Section(_subject(heading.group(1)), body))
    return found


def _subject(heading: str) -> str:
    plain = re.sub(r"\[\[(?:[^|\]]*\|)?([^\]]*)\]\]|'{2,}", r"\1", heading)
    return " ".join(plain.split())[: discussions.MAX_SUBJECT_LENGTH] or LEAD_SUBJECT


def first_seen(revisions, author_of) -> dict[str, Origin]:
    """For each section subject, who added it and when: the first revision whose text has the heading."""
    origins: dict[str, Origin] = {}
    for revision in revisions:
        for section in sections(revision.text or ""):
            if section.subject not in origins:
                origins[section.subject] = author_of(revision)
    return origins


def import_thread(
    source: str, talk_title: str, page: Page, subject: str, markdown: str, origin: Origin
) -> bool:
    """One thread with its first post, written as it was; False if this section was imported before."""
    key = f"{talk_title}\n{subject}"[:500]
    if ImportedThread.objects.filter(source=source, key=key).exists():
        return False
    thread = discussions.import_thread(
        page, subject, markdown, origin.author, origin.author_name, origin.timestamp
    )
    ImportedThread.objects.create(source=source, key=key, thread=thread)
    return True
