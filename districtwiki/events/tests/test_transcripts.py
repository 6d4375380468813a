"""Ending an event writes its transcript: an ordinary wiki page by the system account, questions first, then
the conversation, without hidden or deleted messages; ending twice writes nothing."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from districtwiki.community.models import Profile, Visibility
from districtwiki.events import actions, chat
from districtwiki.events.models import Event
from districtwiki.wiki.models import CategoryMembership, Page, Revision

from .conftest import make_event


@pytest.fixture
def conversation(event, alice, bob, dave):
    question = chat.post_message(event.room, alice, "How do we file **Form 471**?", is_question=True)
    answer = chat.post_message(event.room, bob, "Through the EPC portal.")
    chat.mark_answered(question, answer, bob)
    hidden = chat.post_message(event.room, dave, "buy cheap watches")
    chat.hide_message(hidden, bob, "spam")
    gone = chat.post_message(event.room, dave, "oops wrong room")
    chat.delete_message(gone, dave)
    chat.post_message(event.room, dave, "Thanks all")
    return event


def test_end_writes_transcript_page(conversation, bob):
    event = actions.end_event(conversation, bob)
    assert event.status == Event.Status.ENDED and event.transcript is not None
    assert event.transcript.title == "Events/2027-01-14 E-Rate Q&A"
    revision = Revision.objects.get(page=event.transcript)
    assert revision.author.username == "districtwiki"
    text = revision.text
    assert text.index("## Questions and answers") < text.index("## Conversation")
    assert "Through the EPC portal." in text and "Thanks all" in text
    assert "buy cheap watches" not in text and "oops wrong room" not in text


def test_transcript_categories(conversation, bob):
    Event.objects.filter(pk=conversation.pk).update(category="E-Rate")
    conversation.refresh_from_db()
    page = actions.end_event(conversation, bob).transcript
    assert set(CategoryMembership.objects.filter(page=page).values_list("category", flat=True)) == {
        "Events",
        "E-Rate",
    }


def test_message_cannot_file_transcript_in_a_category(event, alice, bob):
    chat.post_message(event.room, alice, "[[Category:Spam]] and ```")
    page = actions.end_event(event, bob).transcript
    assert set(CategoryMembership.objects.filter(page=page).values_list("category", flat=True)) == {"Events"}
    assert "[[Category:Events]]" in page.latest.text  # the unclosed fence did not swallow it


def test_transcript_uses_names_signed_out_readers_see(event, alice, bob):
    Profile.objects.create(
        user=alice, display_name="Alice Private", display_name_visibility=Visibility.MEMBERS
    )
    chat.post_message(event.room, alice, "hello")
    text = actions.end_event(event, bob).transcript.latest.text
    assert "Alice Private" not in text and "**alice**" in text


def test_transcript_links_linked_pages(event, bob, make_page):
    page = make_page("E-Rate", "About").page
    event.pages.add(page)
    text = actions.end_event(event, bob).transcript.latest.text
    assert "[[E-Rate]]" in text


def test_ending_twice_writes_nothing(conversation, bob):
    actions.end_event(conversation, bob)
    revisions = Revision.objects.count()
    again = actions.end_event(Event.objects.get(pk=conversation.pk), bob)
    assert Revision.objects.count() == revisions and again.status == Event.Status.ENDED


def test_member_cannot_end(event, alice):
    with pytest.raises(Exception) as caught:
        actions.end_event(event, alice)
    assert "hosts and admins" in str(caught.value)
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED and not Page.objects.exists()


def test_same_title_same_day_gets_its_own_page(bob, frozen):
    first = actions.end_event(make_event(bob), bob)
    second = actions.end_event(make_event(bob), bob)
    assert second.transcript.title == f"{first.transcript.title} (2)"


def test_end_due_command_honours_grace(bob, frozen, settings):
    settings.EVENT_GRACE_MINUTES = 30
    event = make_event(bob)  # ends 50 minutes after NOW
    frozen.shift(timedelta(minutes=70))
    call_command("events", "end-due")
    event.refresh_from_db()
    assert event.status == Event.Status.SCHEDULED
    frozen.shift(timedelta(minutes=15))
    call_command("events", "end-due")
    event.refresh_from_db()
    assert event.status == Event.Status.ENDED and event.transcript


def test_no_posting_after_end(event, alice, bob):
    actions.end_event(event, bob)
    with pytest.raises(chat.ChatError) as caught:
        chat.post_message(Event.objects.get(pk=event.pk).room, alice, "late")
    assert caught.value.status == 403


def test_worker_pass_ends_due_events(bob, frozen, settings):
    from districtwiki.notifications import worker

    settings.EVENT_GRACE_MINUTES = 30
    event = make_event(bob)
    frozen.shift(timedelta(minutes=90))
    worker.run_pass()
    event.refresh_from_db()
    assert event.status == Event.Status.ENDED and event.transcript
