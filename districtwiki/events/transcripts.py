"""An ended event's conversation as a wiki page, saved through the wiki core's save action by the system
account: `Events/<date> <title>`. A recurring series (office hours) gets one page per session that had a
conversation: the messages since the session before it, under that session's date. Each page has the
event's details, the questions and their answers first, then the conversation in order with the names a
signed-out reader sees, in [[Category:Events]] and the event's own category. Hidden and deleted messages
are left out. It is an ordinary page afterwards: members improve it.

Message text is members' Markdown. Each message is quoted as a blockquote, so that whatever it opens (a code
fence, a list) ends with the message, and category links inside it are turned into plain links, so that a
message cannot file the transcript anywhere.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count

from districtwiki.content.loader import system_author
from districtwiki.discussions.postmarkup import MARKDOWN_SPECIALS
from districtwiki.wiki import actions as wiki_actions
from districtwiki.wiki import people
from districtwiki.wiki.models import Page
from districtwiki.wiki.titles import FORBIDDEN_CHARACTERS, normalize_title

from .models import ChatMessage, Event

CATEGORY_LINK = re.compile(r"\[\[\s*(category\s*:)", re.IGNORECASE)
# Room for the parts after the conversation (questions come first), under the wiki's page size limit.
SIZE_MARGIN = 8 * 1024
SUMMARY = "Transcript of the live event"


@dataclass(frozen=True)
class Session:
    """What one transcript covers: the session's times, and the messages after `after_id` posted no later
    than `through` (None: up to now)."""

    starts_at: datetime
    ends_at: datetime
    after_id: int = 0
    through: datetime | None = None


def whole_event(event: Event) -> Session:
    return Session(event.starts_at, event.ends_at)


def transcript_title(event: Event, session: Session) -> str:
    zone = ZoneInfo(event.time_zone)
    day = session.starts_at.astimezone(zone).date().isoformat()
    clean = "".join(" " if char in FORBIDDEN_CHARACTERS or char in "/:" else char for char in event.title)
    base = normalize_title(f"Events/{day} {' '.join(clean.split())}"[:240])
    title, number = base, 2
    while Page.objects.filter(title=title).exists():
        title, number = f"{base} ({number})", number + 1
    return title


def session_messages(event: Event, session: Session) -> list[ChatMessage]:
    """The session's messages as the transcript shows them: hidden and deleted ones left out."""
    messages = ChatMessage.objects.filter(room=event.room, pk__gt=session.after_id)
    if session.through is not None:
        messages = messages.filter(created_at__lte=session.through)
    return list(
        messages.filter(hidden_at__isnull=True, deleted_at__isnull=True)
        .select_related("author", *people.related("author"))
        .annotate(vote_count=Count("votes"))
        .order_by("id")
    )


def last_message_id(event: Event, session: Session) -> int:
    """The newest message the session takes in, hidden or not: where the next session's transcript begins."""
    messages = ChatMessage.objects.filter(room=event.room, pk__gt=session.after_id)
    if session.through is not None:
        messages = messages.filter(created_at__lte=session.through)
    return messages.order_by("-id").values_list("id", flat=True).first() or session.after_id


def write_transcript(event: Event, session: Session | None = None) -> Page:
    """Save the transcript page (in the caller's transaction) and return it."""
    session = session or whole_event(event)
    messages = session_messages(event, session)
    title = transcript_title(event, session)
    text = transcript_text(event, session, messages)
    return wiki_actions.save_revision(title, text, system_author(), None, SUMMARY).page


def transcript_text(event: Event, session: Session, messages: list[ChatMessage]) -> str:
    zone = ZoneInfo(event.time_zone)
    head = details(event, session, zone)
    questions = questions_part(messages, zone)
    tail = closing(event)
    budget = settings.MAX_PAGE_BYTES - SIZE_MARGIN - len((head + questions + tail).encode())
    return head + questions + conversation(messages, zone, budget) + tail


def details(event: Event, session: Session, zone: ZoneInfo) -> str:
    start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
    when = f"{start:%A} {start.day} {start:%B %Y}, {start:%H:%M}–{end:%H:%M} ({event.time_zone})"
    hosts = ", ".join(escape(name_of(host)) for host in event.hosts.order_by("username"))
    held = "one session of a recurring live event, held" if event.rrule else "a live event held"
    lines = [
        f"This is the transcript of **{escape(event.title)}**, {held} on {when}, "
        f"hosted by {hosts or 'the community'}. The conversation is kept as it happened; "
        "improve this page like any other (summarise it, link what it mentions).",
        "",
    ]
    if event.rrule and session.after_id:
        lines += ["It takes up the conversation where the transcript of the session before it ended.", ""]
    if event.description:
        lines += ["## About the event", "", quoted(event.description), ""]
    pages = list(event.pages.order_by("title").values_list("title", flat=True))
    if pages:
        lines += ["Related pages: " + ", ".join(f"[[{title}]]" for title in pages), ""]
    return "\n".join(lines) + "\n"


def questions_part(messages: list[ChatMessage], zone: ZoneInfo) -> str:
    by_id = {message.pk: message for message in messages}
    questions = sorted(
        (message for message in messages if message.is_question),
        key=lambda question: (question.answered_at is None, -question.vote_count, question.pk),
    )
    if not questions:
        return ""
    lines = ["## Questions and answers", ""]
    for question in questions:
        votes = (
            f", {question.vote_count} vote{'s' if question.vote_count != 1 else ''}"
            if question.vote_count
            else ""
        )
        lines += [
            f"**Question from {escape(name_of_message(question))}** ({time_of(question, zone)}{votes}):",
            "",
        ]
        lines += [quoted(question.text), ""]
        answer = by_id.get(question.answer_id) if question.answer_id else None
        if answer is not None:
            lines += [f"**Answer from {escape(name_of_message(answer))}** ({time_of(answer, zone)}):", ""]
            lines += [quoted(answer.text), ""]
        elif question.answered_at:
            lines += ["*Answered in the session.*", ""]
        else:
            lines += ["*Not answered during the event.*", ""]
    return "\n".join(lines) + "\n"


def conversation(messages: list[ChatMessage], zone: ZoneInfo, budget: int) -> str:
    lines = ["## Conversation", ""]
    if not messages:
        lines += ["*No messages were posted.*", ""]
    used = 0
    for index, message in enumerate(messages):
        heading = f"**{escape(name_of_message(message))}** ({time_of(message, zone)}):"
        entry = f"{heading}\n\n{quoted(message.text)}\n"
        used += len(entry.encode())
        if used > budget:
            rest = len(messages) - index
            lines += [f"*{rest} more messages did not fit on this page.*", ""]
            break
        lines.append(entry)
    return "\n".join(lines) + "\n"


def closing(event: Event) -> str:
    categories = ["Events"] + ([event.category] if event.category and event.category != "Events" else [])
    return "\n".join(f"[[Category:{name}]]" for name in categories) + "\n"


def name_of(user) -> str:
    return people.name_for(user, AnonymousUser())


def name_of_message(message: ChatMessage) -> str:
    return name_of(message.author) if message.author is not None else message.author_name


def time_of(message: ChatMessage, zone: ZoneInfo) -> str:
    return f"{message.created_at.astimezone(zone):%H:%M}"


def escape(text: str) -> str:
    return MARKDOWN_SPECIALS.sub(r"\\\1", text)


def neutralise(text: str) -> str:
    """Category links become plain links to the category (`[[:Category:X]]`), so they file nothing."""
    return CATEGORY_LINK.sub(r"[[:\1", text)


def quoted(text: str) -> str:
    return "\n".join(">" + (" " + line if line.strip() else "") for line in neutralise(text).splitlines())
