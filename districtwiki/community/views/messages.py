"""Private messages: the inbox, a conversation, writing to a member, blocking and reporting.

Only the two members of a conversation can open it; anyone else, admins included, gets a 404 (not a 403,
which would confirm that the conversation exists). No page here shows an e-mail address.
"""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import messaging, moderation, rendering
from ..forms import MessageForm
from ..models import Block, Conversation
from ..visibility import display_name_for, is_former_member
from .common import find_member, paginate, translate_errors

INBOX_PER_PAGE = 25
MESSAGES_SHOWN = 50


@login_required
@require_GET
@translate_errors
def inbox(request):
    user = request.user
    unread = Count("messages", filter=Q(messages__read_at__isnull=True) & ~Q(messages__sender=user))
    conversations = (
        Conversation.objects.involving(user)
        .select_related("member_a__profile", "member_b__profile")
        .annotate(unread=unread)
        .order_by("-last_message_at", "-id")
    )
    listing = paginate(request, conversations, INBOX_PER_PAGE)
    rows = [inbox_row(conversation, user) for conversation in listing.object_list]
    blocks = (
        Block.objects.filter(blocker=user).select_related("blocked__profile").order_by("blocked__username")
    )
    blocked = [(block.blocked.get_username(), display_name_for(block.blocked, user)) for block in blocks]
    context = {"listing": listing, "rows": rows, "blocked": blocked}
    return render(request, "community/inbox.html", context)


def inbox_row(conversation: Conversation, user) -> dict:
    other = conversation.other_party(user)
    return {
        "conversation": conversation,
        "name": display_name_for(other, user),
        "unread": conversation.unread,
    }


@login_required
@require_http_methods(["GET", "POST"])
@translate_errors
def conversation_view(request, conversation_id: int):
    conversation = messaging.conversation_for(request.user, conversation_id)
    if request.method == "GET":
        messaging.mark_read(conversation, request.user)
        return render_conversation(request, conversation, MessageForm())
    form = MessageForm(request.POST)
    if not form.is_valid():
        return render_conversation(request, conversation, form, status=400)
    try:
        messaging.reply(request.user, conversation, form.cleaned_data["body"])
    except messaging.MessagingError as error:
        form.add_error(None, str(error))
        return render_conversation(request, conversation, form, status=error.status)
    flash.success(request, "Your message is sent.")
    return redirect(conversation.get_absolute_url() + "#latest")


def render_conversation(request, conversation: Conversation, form, status: int = 200):
    user = request.user
    other = conversation.other_party(user)
    shown = conversation.messages.select_related("sender").order_by("-id")
    before = request.GET.get("before", "").strip()
    if before.isdigit():
        shown = shown.filter(id__lt=int(before))
    shown = list(shown[: MESSAGES_SHOWN + 1])
    older = shown[MESSAGES_SHOWN] if len(shown) > MESSAGES_SHOWN else None
    shown = list(reversed(shown[:MESSAGES_SHOWN]))
    # Sanitised when sent (rendering.render); only the red/blue state of wiki links is decided now.
    bodies = [mark_safe(html) for html in rendering.resolved_many([message.html for message in shown])]
    context = {
        "conversation": conversation,
        "other": other,
        "other_name": display_name_for(other, user),
        "other_is_former": is_former_member(other),
        "messages_shown": list(zip(shown, bodies, strict=True)),
        "older_before": shown[0].pk if older else None,
        "form": form,
        "blocked": messaging.has_blocked(user, other),
    }
    return render(request, "community/conversation.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@translate_errors
def new_message(request, username: str):
    recipient = find_member(username, request.user)
    if recipient.pk == request.user.pk:
        raise messaging.MessagingError("You cannot send a message to yourself.")
    existing = messaging.find_conversation(request.user, recipient)
    if request.method == "GET" and existing is not None:
        return redirect(existing.get_absolute_url() + "#reply")
    form = MessageForm(request.POST if request.method == "POST" else None)
    context = {
        "recipient": recipient,
        "recipient_name": display_name_for(recipient, request.user),
        "form": form,
    }
    if request.method == "GET":
        return render(request, "community/new_message.html", context)
    if not form.is_valid():
        return render(request, "community/new_message.html", context, status=400)
    try:
        message = messaging.send_message(request.user, recipient, form.cleaned_data["body"])
    except messaging.MessagingError as error:
        form.add_error(None, str(error))
        return render(request, "community/new_message.html", context, status=error.status)
    flash.success(request, "Your message is sent.")
    return redirect(message.conversation.get_absolute_url() + "#latest")


@login_required
@require_POST
@translate_errors
def report_message(request, message_id: int):
    report = messaging.report_message(request.user, message_id, request.POST.get("reason", ""))
    flash.success(request, "Thank you: the moderators will look at the message you reported.")
    return redirect(report.message.conversation.get_absolute_url())


def back_to(request, default: str) -> str:
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if target.startswith("/") and allowed else default


@login_required
@require_POST
@translate_errors
def block(request, username: str):
    member = find_member(username, request.user)
    messaging.block(request.user, member)
    flash.success(
        request, f"You blocked {display_name_for(member, request.user)}: no messages pass between you now."
    )
    return redirect(back_to(request, f"/members/{member.get_username()}"))


@login_required
@require_POST
@translate_errors
def unblock(request, username: str):
    member = find_member(username, request.user)
    if not messaging.unblock(request.user, member):
        raise messaging.MessagingError("You had not blocked this member.")
    flash.success(request, f"You unblocked {display_name_for(member, request.user)}.")
    return redirect(back_to(request, f"/members/{member.get_username()}"))


@login_required
@require_GET
@translate_errors
def message_reports(request):
    if not moderation.is_moderator(request.user):
        raise Http404("There is nothing at this address.")
    listing = paginate(request, moderation.reports_for(request.user), INBOX_PER_PAGE)
    return render(request, "community/message_reports.html", {"listing": listing})


@login_required
@require_GET
def message_report(request, report_id: int):
    report = moderation.reports_for(request.user).filter(pk=report_id).first()
    if report is None:
        raise Http404("There is no message report with that number.")
    return render(request, "community/message_report.html", {"report": report})
