"""The notification list, reading a notification, the settings page and the digest's unsubscribe link.

Unsubscribing takes one click in the e-mail and then one button: the link's GET only shows the question,
because mail scanners and link previews fetch links in e-mails by themselves and would otherwise
unsubscribe members who never clicked. Mail clients that offer their own unsubscribe button use the
List-Unsubscribe-Post header (RFC 8058) and POST straight to the same address.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..errors import error_page
from ..paging import paginate
from ..wiki import people
from ..wiki.views.errors import translate_errors
from . import actions, sections, tokens
from .forms import SettingsForm
from .models import Notification

LIST_PAGE_SIZE = 50
NEW_FEED_TOKEN_SESSION_KEY = "notifications:new-feed-token"


def own_notification(user, notification_id: int) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, user=user).first()
    if notification is None:
        raise Http404("You have no notification with that number.")
    return notification


def is_local_path(url: str) -> bool:
    """A path on this site ("/wiki/X"), never another host ("//evil.example", "https://…", "/\\evil")."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None)


# --- The list


@require_GET
@login_required
@translate_errors
def notification_list(request):
    notifications = Notification.objects.filter(user=request.user)
    notifications = notifications.select_related("actor", *people.related("actor"))
    listing = paginate(request, notifications, LIST_PAGE_SIZE)
    for notification in listing.object_list:
        notification.shown_text = shown_text(notification, request.user)
    return render(request, "notifications/list.html", {"listing": listing})


def shown_text(notification: Notification, viewer) -> str:
    """The stored sentence names its actor by username ("alice mentioned you in …"); the list names them as
    the viewer may see them, as everywhere else."""
    actor = notification.actor
    if actor is None or not notification.text.startswith(actor.get_username() + " "):
        return notification.text
    rest = notification.text[len(actor.get_username()) :]
    return people.name_for(actor, viewer) + rest


@require_POST
@login_required
def mark_read(request, notification_id: int):
    actions.mark_read(own_notification(request.user, notification_id))
    back = request.POST.get("next", "")
    return HttpResponseRedirect(back if is_local_path(back) else reverse("notifications:list"))


@require_POST
@login_required
def mark_all_read(request):
    count = actions.mark_all_read(request.user)
    if count:
        messages.success(request, f"Marked {count} notification{'' if count == 1 else 's'} read.")
    else:
        messages.info(request, "You had no unread notifications.")
    return redirect("notifications:list")


@require_GET
@login_required
def go(request, notification_id: int):
    """Follow a notification's link, marking it read."""
    notification = own_notification(request.user, notification_id)
    if not is_local_path(notification.url):
        return error_page(
            request, 400, "This notification's link leads off this wiki, so it is not followed."
        )
    actions.mark_read(notification)
    return HttpResponseRedirect(notification.url)


# --- Settings


@require_http_methods(["GET", "POST"])
@login_required
def settings_page(request):
    current = actions.current_settings(request.user)
    form = SettingsForm(request.POST if request.method == "POST" else None, instance=current)
    if form.is_bound and form.is_valid():
        choices = form.cleaned_data
        actions.update_settings(
            request.user, choices["auto_watch"], choices["frequency"], choices["event_reminders"]
        )
        messages.success(request, "Saved your notification settings.")
        return redirect("notifications:settings")
    if form.is_bound:
        current = actions.current_settings(request.user)  # the form changed its instance; show what is saved
    new_token = request.session.pop(NEW_FEED_TOKEN_SESSION_KEY, None)
    context = {
        "form": form,
        "current": current,
        "new_feed_url": feed_url(request, new_token) if new_token else None,
        "sections": sections.shown_sections(request),
    }
    return render(request, "notifications/settings.html", context, status=400 if form.is_bound else 200)


def feed_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("notifications:watchlist_feed", args=[token]))


@require_POST
@login_required
def feed_regenerate(request):
    had_feed = actions.current_settings(request.user).has_feed
    request.session[NEW_FEED_TOKEN_SESSION_KEY] = actions.regenerate_feed_token(request.user)
    if had_feed:
        messages.success(request, "Made a new feed address. The old one no longer works.")
    else:
        messages.success(request, "Made your watchlist feed address.")
    return redirect("notifications:settings")


@require_POST
@login_required
def feed_revoke(request):
    actions.revoke_feed_token(request.user)
    messages.success(request, "Turned off your watchlist feed: its address no longer works.")
    return redirect("notifications:settings")


# --- Unsubscribing from the digest (no sign-in: the signed link is the credential)


# No CSRF check: the signed token, not a session, authorises this, and RFC 8058 one-click unsubscribes are
# POSTed by mail providers that have no CSRF cookie.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        user_id = tokens.user_id_from_unsubscribe_token(token)
    except tokens.InvalidUnsubscribeLink as error:
        return error_page(request, error.status, str(error))
    if not actions.account_exists(user_id):
        return error_page(request, 404, "The account this link was made for no longer exists.")
    if request.method == "GET":
        return render(request, "notifications/unsubscribe.html", {"token": token})
    actions.unsubscribe(user_id)
    return render(request, "notifications/unsubscribed.html")
