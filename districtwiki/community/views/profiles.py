"""The profile editor, the member directory and a member's profile page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from districtwiki.wiki import access

from .. import actions, contributions, directory, messaging
from ..forms import DirectoryFilterForm, ProfileForm
from ..models import ExpertiseTag, Profile
from ..visibility import ProfileCard, card_for, visible_q
from .common import find_member, paginate, translate_errors

DIRECTORY_PER_PAGE = 25
TAG_SUGGESTIONS = 200


@login_required
@require_http_methods(["GET", "POST"])
def edit_profile(request):
    profile = actions.profile_for(request.user)
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=profile)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "community/profile_form.html", {"form": form}, status=400)
        actions.save_profile(form.save(commit=False), form.cleaned_data["expertise"])
        messages.success(request, "Your profile is saved. The home page now suggests pages for you.")
        return redirect(f"/members/{request.user.get_username()}")
    return render(request, "community/profile_form.html", {"form": form})


@login_required
@require_GET
@translate_errors
def member_directory(request):
    viewer = request.user
    form = DirectoryFilterForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "cards": [], "tags": []}
        return render(request, "community/directory.html", context, status=400)
    data = form.cleaned_data
    filters = directory.Filters(data["state"], data["district_size"], data["role"], data["expertise"])
    own = directory.own_profile(viewer)
    order = data["order"] or directory.default_order(own)
    listing = paginate(request, directory.directory(viewer, filters, order, own), DIRECTORY_PER_PAGE)
    context = {
        "form": form,
        "listing": listing,
        "cards": [card_for(profile, viewer) for profile in listing.object_list],
        "order": order,
        "filters": filters,
        "query": query_without_page(request),
        "tags": visible_tags(viewer),
        "has_profile": directory.has_something_to_match(own),
        "weights": directory.WEIGHTS,
    }
    return render(request, "community/directory.html", context)


def query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def visible_tags(viewer) -> list[str]:
    """Tags for the expertise filter's suggestions: only those on profiles whose expertise the viewer sees."""
    listed = Profile.objects.filter(user__is_active=True).filter(visible_q("expertise", viewer))
    tags = ExpertiseTag.objects.filter(profiles__in=listed).distinct().order_by("name")
    return list(tags.values_list("name", flat=True)[:TAG_SUGGESTIONS])


@require_GET
def member_profile(request, username: str):
    viewer = request.user
    member = find_member(username, viewer)
    is_owner = access.is_signed_in(viewer) and viewer.pk == member.pk
    context = {
        "member": member,
        "card": profile_card(member, viewer),
        "is_owner": is_owner,
        "can_message": access.is_signed_in(viewer) and not is_owner and member.is_active,
        "blocked": messaging.has_blocked(viewer, member),
        "edits": contributions.recent_edits(member),
        "threads": contributions.recent_threads(member),
        "posts": contributions.recent_posts(member),
        "watchlist": contributions.watchlist(member) if is_owner else None,
    }
    return render(request, "community/profile.html", context)


def profile_card(member, viewer) -> ProfileCard:
    profile = Profile.objects.filter(user=member).prefetch_related("expertise").first()
    if profile is None:
        return ProfileCard(username=member.get_username(), name=member.get_username())
    profile.user = member
    return card_for(profile, viewer, with_bio=True)
