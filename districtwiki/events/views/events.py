"""/events/: the list (live now, this week, later, past with transcripts), an event with its room, the
event form (schedule and edit), RSVP, cancelling and ending."""

from datetime import timedelta

from django.contrib import messages as flash
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from districtwiki.community.states import OUTSIDE_US, STATES
from districtwiki.paging import answer_bad_pages, paginate
from districtwiki.wiki.views.errors import translate_errors

from .. import access, actions, chat, forms, listing
from ..models import RSVP, Event
from .rooms import post_from_form, room_context

PAST_PER_PAGE = 20
MAX_FILTER = 100


def filters(request) -> dict:
    category = " ".join(request.GET.get("category", "").split())[:MAX_FILTER]
    state = request.GET.get("state", "").strip().upper()[:2]
    if state and (state not in STATES or state == OUTSIDE_US):
        raise actions.EventError(f"“{state}” is not a state chapter: use a two-letter code such as IA.")
    return {"category": category, "state": state}


@require_GET
@answer_bad_pages
@translate_errors
def event_list(request):
    chosen = filters(request)
    events = listing.visible_events(request.user).select_related("transcript")
    if chosen["category"]:
        events = events.filter(category=chosen["category"])
    if chosen["state"]:
        events = events.filter(state=chosen["state"])
    now = timezone.now()
    coming = listing.upcoming(events, now)
    week_end = now + timedelta(days=7)
    context = {
        "live": [o for o in coming if o.is_live(now)],
        "this_week": [o for o in coming if not o.is_live(now) and o.starts_at < week_end],
        "later": [o for o in coming if o.starts_at >= week_end],
        "past": paginate(request, listing.past(events, now), PAST_PER_PAGE),
        "chosen": chosen,
        "categories": categories(request.user),
        "states": sorted((code, name) for code, name in STATES.items() if code != OUTSIDE_US),
        "zone": forms.viewer_zone(request),
        "can_create": access.is_trusted_or_admin(request.user),
    }
    return render(request, "events/list.html", context)


def categories(user) -> list[str]:
    names = listing.visible_events(user).exclude(category="").values_list("category", flat=True)
    return sorted(set(names.order_by()[:500]))


@require_http_methods(["GET", "POST"])
@answer_bad_pages
@translate_errors
def event_page(request, event_id):
    event = access.get_event(event_id, request.user)
    error, status = "", 200
    if request.method == "POST":
        try:
            return post_from_form(request, event.room)
        except chat.ChatError as refusal:
            error, status = str(refusal), refusal.status
    context = event_context(request, event) | room_context(request, event.room)
    context |= {"error": error, "text": request.POST.get("text", "")}
    return render(request, "events/event.html", context, status=status)


def event_context(request, event: Event) -> dict:
    user, now = request.user, timezone.now()
    zone = forms.viewer_zone(request)
    occurrence = listing.next_occurrence(event, now)
    mine = (
        RSVP.objects.filter(event=event, user=user).values_list("answer", flat=True).first()
        if user.is_authenticated
        else None
    )
    return {
        "event": event,
        "occurrence": occurrence,
        "is_live": occurrence is not None and occurrence.is_live(now),
        "zone": zone,
        "event_zone": event.time_zone,
        "hosts": list(event.hosts.order_by("username")),
        "moderators": list(event.moderators.order_by("username")),
        "pages": list(event.pages.order_by("title")),
        "counts": actions.rsvp_counts(event),
        "my_rsvp": mine,
        "answers": RSVP.Answer.choices,
        "can_manage": access.can_manage_event(event, user),
        "description_html": event.description_html,
        "session_transcripts": session_transcripts(event),
    }


def session_transcripts(event: Event) -> list:
    """A series' latest session transcripts, newest first (a one-off event has its one transcript)."""
    if not event.rrule:
        return []
    sessions = event.sessions.exclude(page=None).select_related("page").order_by("-starts_at")
    return [session.page for session in sessions[:12]]


@require_http_methods(["GET", "POST"])
@translate_errors
def create_event(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    access.check_can_create_event(request.user)
    zone = forms.viewer_zone(request)
    values = {"time_zone": zone.key, "audience": Event.Audience.EVERYONE}
    if request.method == "POST":
        forms.remember_browser_zone(request)
        try:
            event = actions.create_event(request.user, actions.clean_details(request.POST, new=True))
        except actions.EventError as refusal:
            return render_form(request, request.POST, None, str(refusal), refusal.status)
        flash.success(request, f"“{event.title}” is scheduled; its room is open below.")
        return redirect(event.get_absolute_url())
    return render_form(request, values, None)


@require_http_methods(["GET", "POST"])
@translate_errors
def edit_event(request, event_id):
    event = access.get_event(event_id, request.user)
    access.check_can_manage_event(event, request.user)
    if request.method == "POST":
        forms.remember_browser_zone(request)
        try:
            actions.update_event(event, request.user, actions.clean_details(request.POST, new=False))
        except actions.EventError as refusal:
            return render_form(request, request.POST, event, str(refusal), refusal.status)
        flash.success(request, "The event is updated.")
        return redirect(event.get_absolute_url())
    return render_form(request, forms.event_values(event, forms.viewer_zone(request)), event)


def render_form(request, values, event: Event | None, error: str = "", status: int = 200):
    context = {
        "values": values,
        "event": event,
        "error": error,
        "zones": forms.COMMON_ZONES,
        "audiences": Event.Audience.choices,
        "states": sorted((code, name) for code, name in STATES.items() if code != OUTSIDE_US),
        "zone_chosen": bool(event) or request.method == "POST",
    }
    return render(request, "events/event_form.html", context, status=status)


@require_POST
@translate_errors
def rsvp(request, event_id):
    event = access.get_event(event_id, request.user)
    answer = actions.set_rsvp(event, request.user, request.POST.get("answer", ""))
    flash.success(request, f"You answered: {answer.get_answer_display().lower()}.")
    return redirect(event.get_absolute_url())


@require_POST
@translate_errors
def cancel(request, event_id):
    event = access.get_event(event_id, request.user)
    actions.cancel_event(event, request.user)
    flash.success(request, "The event is cancelled; everyone who said they would come has been told.")
    return redirect(event.get_absolute_url())


@require_POST
@translate_errors
def end(request, event_id):
    event = access.get_event(event_id, request.user)
    was_ended = event.status == Event.Status.ENDED
    event = actions.end_event(event, request.user)
    if not was_ended:
        flash.success(request, f"The event has ended; its transcript is the page “{event.transcript.title}”.")
    return redirect(event.get_absolute_url())
