"""Rooms: the conversation (server-rendered, paged backwards), posting through a plain form, message and
room moderation, standing rooms (state chapters and topics) and their unread markers.

The live layer attaches to the same page: the list is #messages (aria-live), each message #m<id> with
data-id, the form #message-form. Every action here also works without JavaScript: POST, then a redirect.
"""

from django.contrib import messages as flash
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from districtwiki.community.states import OUTSIDE_US, STATES
from districtwiki.paging import answer_bad_pages, positive_int
from districtwiki.wiki.views.errors import translate_errors

from .. import access, actions, chat, forms
from ..models import ChatMessage, Room, RoomMembership

MESSAGES_PER_PAGE = 50


# --- The conversation, as every room page shows it -------------------------------------------------------


def room_context(request, room: Room) -> dict:
    """What the room part of a page needs (templates/events/_room.html)."""
    user = request.user
    before = positive_int(request, "before")
    shown = chat.messages_before(room, user, before, MESSAGES_PER_PAGE + 1)
    older = len(shown) > MESSAGES_PER_PAGE
    shown = shown[1:] if older else shown
    membership = (
        RoomMembership.objects.filter(room=room, user=user).first() if user.is_authenticated else None
    )
    entries = chat.payloads(shown, user)
    last_read = membership.last_read_id if membership else None
    for entry, message in zip(entries, shown, strict=True):
        entry["unread"] = last_read is not None and entry["id"] > last_read
        entry["created"], entry["own"] = (
            message.created_at,
            user.is_authenticated and message.author_id == user.pk,
        )
        entry["editable"] = (
            entry["own"] and not message.deleted_at and not message.hidden_at and recent(message)
        )
    if membership is not None and shown and before is None:
        chat.mark_read(room, user, shown[-1].pk)
    moderator = chat.is_moderator(room, user)
    return {
        "room": room,
        "entries": entries,
        "first_unread": next((entry["id"] for entry in entries if entry["unread"]), None),
        "older_url": f"?before={shown[0].pk}#messages" if older and shown else None,
        "newer_url": newer_url(room, shown, before),
        "is_moderator": moderator,
        "posting_refusal": access.posting_refusal(room, user),
        "closed": chat.closed_sentence(room),
        "mute": chat.active_mute(room, user) if user.is_authenticated else None,
        "questions": chat.question_queue(room) if moderator else [],
        "reply_to": reply_target(request, room),
        "membership": membership,
        "room_url": chat.room_url(room),
        "zone": forms.viewer_zone(request),
        "log": room.log.select_related("actor").order_by("-id")[:10] if moderator else [],
    }


def recent(message: ChatMessage) -> bool:
    return timezone.now() - message.created_at <= chat.EDIT_WINDOW


def newer_url(room: Room, shown: list[ChatMessage], before: int | None) -> str | None:
    """Paging back, a way forward again: the latest messages."""
    return f"{chat.room_url(room)}#messages" if before is not None else None


def reply_target(request, room: Room) -> ChatMessage | None:
    raw = request.GET.get("reply_to", "").strip()
    if not raw.isdigit() or len(raw) > 18:
        return None
    return ChatMessage.objects.filter(
        pk=int(raw), room=room, hidden_at__isnull=True, deleted_at__isnull=True
    ).first()


def post_from_form(request, room: Room):
    """The plain form's POST: store the message, then show it after a redirect; a refusal re-renders the
    page with the sentence and the text kept (the caller renders)."""
    forms.remember_browser_zone(request)
    message = chat.post_message(
        room,
        request.user,
        request.POST.get("text", ""),
        reply_to_id=request.POST.get("reply_to") or None,
        is_question=request.POST.get("is_question") == "on",
    )
    return redirect(f"{chat.room_url(room)}#m{message.pk}")


# --- Standing rooms ------------------------------------------------------------------------------------


@require_GET
@translate_errors
def room_list(request):
    user = request.user
    rooms = (
        Room.objects.exclude(kind=Room.Kind.EVENT)
        .annotate(message_count=Count("messages"))
        .order_by("kind", "name")
    )
    visible = [room for room in rooms if access.can_read(room, user)]
    joined = {}
    if user.is_authenticated:
        for membership in RoomMembership.objects.filter(user=user):
            joined[membership.room_id] = membership.last_read_id
    unread = unread_counts(visible, joined)
    state = access.member_state(user)
    has_state_room = state and any(room.kind == Room.Kind.STATE and room.state == state for room in visible)
    context = {
        "topic_rooms": [room for room in visible if room.kind == Room.Kind.TOPIC],
        "state_rooms": [room for room in visible if room.kind == Room.Kind.STATE],
        "joined": joined,
        "unread": unread,
        "my_state": state if state in STATES and state != OUTSIDE_US else "",
        "my_state_name": STATES.get(state, ""),
        "can_open_state_room": bool(state) and state != OUTSIDE_US and not has_state_room,
        "is_admin": user.is_authenticated and user.is_wiki_admin and user.is_active,
    }
    return render(request, "events/room_list.html", context)


def unread_counts(rooms: list[Room], joined: dict[int, int]) -> dict[int, int]:
    if not joined:
        return {}
    condition = Q()
    for room_id, last_read in joined.items():
        condition |= Q(room_id=room_id, pk__gt=last_read)
    counts = (
        ChatMessage.objects.filter(condition, deleted_at__isnull=True)
        .values("room_id")
        .annotate(total=Count("id"))
    )
    return {row["room_id"]: row["total"] for row in counts}


@require_http_methods(["GET", "POST"])
@answer_bad_pages
@translate_errors
def room_page(request, slug):
    room = access.get_room(slug, request.user)
    error, status = "", 200
    if request.method == "POST":
        try:
            return post_from_form(request, room)
        except chat.ChatError as refusal:
            error, status = str(refusal), refusal.status
    context = room_context(request, room) | {"error": error, "text": request.POST.get("text", "")}
    return render(request, "events/room.html", context, status=status)


@require_POST
@translate_errors
def open_state_room(request):
    if not access.is_signed_in(request.user):
        raise PermissionDenied("Sign in to join your state chapter's room.")
    state = access.member_state(request.user)
    if not state:
        raise actions.EventError("Set your state in your profile first: each state chapter has its room.")
    room = actions.state_room(state, request.user)
    chat.join_room(room, request.user)
    flash.success(request, f"You joined the {room.name} room.")
    return redirect(chat.room_url(room))


@require_POST
@translate_errors
def join(request, slug):
    room = access.get_room(slug, request.user)
    chat.join_room(room, request.user)
    flash.success(request, f"You joined {room.name}: it shows your unread messages.")
    return redirect(chat.room_url(room))


@require_POST
@translate_errors
def leave(request, slug):
    room = access.get_room(slug, request.user)
    chat.leave_room(room, request.user)
    flash.success(request, f"You left {room.name}.")
    return redirect("/events/rooms/")


@require_POST
@translate_errors
def create_topic_room(request):
    room = actions.create_topic_room(
        request.user, request.POST.get("name", ""), request.POST.get("description", "")
    )
    flash.success(request, f"The room {room.name} is open.")
    return redirect(chat.room_url(room))


# --- Moderating a room ----------------------------------------------------------------------------------


def any_room(slug: str, user) -> Room:
    room = Room.objects.filter(slug=slug).first()
    if room is None or not access.can_read(room, user):
        raise Http404(f"There is no room called “{slug[:80]}”.")
    return room


@require_POST
@translate_errors
def moderate_room(request, slug, action):
    room = any_room(slug, request.user)
    moderator, params = request.user, request.POST
    if action == "lock":
        chat.lock_room(room, moderator, params.get("reason", ""))
        flash.success(request, "The room is locked: nobody can post until it is unlocked.")
    elif action == "unlock":
        chat.unlock_room(room, moderator)
        flash.success(request, "The room is unlocked.")
    elif action == "slow-mode":
        room = chat.set_slow_mode(room, moderator, params.get("seconds", ""))
        seconds = room.slow_mode_seconds
        flash.success(
            request, f"Slow mode: one message every {seconds} seconds." if seconds else "Slow mode is off."
        )
    elif action == "mute":
        member = member_named(params.get("username", ""))
        chat.mute(room, member, moderator, params.get("minutes", ""), params.get("reason", ""))
        flash.success(request, f"{member.get_username()} is muted in this room.")
    elif action == "unmute":
        member = member_named(params.get("username", ""))
        chat.unmute(room, member, moderator)
        flash.success(request, f"{member.get_username()} can post again.")
    else:
        raise Http404("There is no such room action.")
    return redirect(chat.room_url(room))


def member_named(username: str):
    username = (username or "").strip().lstrip("@")
    member = get_user_model().objects.filter(username__iexact=username).first() if username else None
    if member is None:
        raise chat.ChatError(f"There is no member called “{username[:150]}”.")
    return member


# --- Acting on one message ------------------------------------------------------------------------------


def get_message(message_id: int, user) -> ChatMessage:
    message = ChatMessage.objects.select_related("room", "author").filter(pk=message_id).first()
    if message is None or not access.can_read(message.room, user):
        raise Http404(f"There is no message number {message_id}.")
    return message


def back_to_message(message: ChatMessage):
    return redirect(f"{chat.room_url(message.room)}#m{message.pk}")


@require_POST
@translate_errors
def act_on_message(request, message_id, action):
    message = get_message(message_id, request.user)
    user, params = request.user, request.POST
    if action == "hide":
        chat.hide_message(message, user, params.get("reason", ""))
        flash.success(request, "The message is hidden; members see that a moderator hid it.")
    elif action == "unhide":
        chat.unhide_message(message, user)
    elif action == "delete":
        chat.delete_message(message, user)
        flash.success(request, "Your message is deleted.")
    elif action == "vote":
        chat.upvote(message, user)
    elif action == "answered":
        raw = params.get("answer", "").strip()
        answer = get_message(chat.parse_message_id(raw, "answer"), user) if raw else None
        chat.mark_answered(message, answer, user)
    else:
        raise Http404("There is no such message action.")
    return back_to_message(message)


@require_http_methods(["GET", "POST"])
@translate_errors
def edit_message(request, message_id):
    message = get_message(message_id, request.user)
    error, status = "", 200
    if request.method == "POST":
        try:
            chat.edit_message(message, request.user, request.POST.get("text", ""))
            return back_to_message(message)
        except chat.ChatError as refusal:
            error, status = str(refusal), refusal.status
    elif message.author_id != request.user.pk:
        raise chat.NotAllowed("You can only edit your own messages.")
    context = {
        "message": message,
        "text": request.POST.get("text", message.text),
        "error": error,
        "room_url": chat.room_url(message.room),
        "max_chars": chat.MAX_MESSAGE_CHARS,
    }
    return render(request, "events/edit_message.html", context, status=status)


@require_http_methods(["GET", "POST"])
@translate_errors
def report_message(request, message_id):
    message = get_message(message_id, request.user)
    if not request.user.is_authenticated:
        raise chat.NotAllowed("Sign in to report a message to the moderators.")
    error, status = "", 200
    if request.method == "POST":
        try:
            chat.report_message(message, request.user, request.POST.get("reason", ""))
            flash.success(request, "Thank you: the moderators will look at your report.")
            return back_to_message(message)
        except chat.ChatError as refusal:
            error, status = str(refusal), refusal.status
    context = {
        "message": message,
        "payload": chat.message_payload(message, request.user),
        "error": error,
        "reason": request.POST.get("reason", ""),
        "room_url": chat.room_url(message.room),
    }
    return render(request, "events/report_message.html", context, status=status)
