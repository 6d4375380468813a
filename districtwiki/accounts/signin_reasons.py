"""Why a signed-out visitor was sent to the sign-in page, told in one sentence above the form.

The sentence comes from a fixed table, never from the request: either a `reason` key from REASONS (for a
link whose `next` alone does not say it, such as "Watch" on a page, which returns to the page), or the
first prefix of the `next` path listed in NEXT_PREFIXES. Every login_required view and
redirect_to_login already sends `next`, so they need no change. Anything else (an unknown key, a path
that matches nothing) shows no sentence.
"""

from urllib.parse import urlsplit

from django.conf import settings

REASONS = {
    "watch": "Sign in to watch this page: you will hear when it changes.",
    "edit": "Sign in to edit this page.",
    "discuss": "Sign in to take part in the discussion.",
    "message": "Sign in to send a message.",
}

# (path prefix, sentence), most specific first; a prefix ending without "/" also matches the path alone.
NEXT_PREFIXES = (
    ("/edit/", "Sign in to edit this page."),
    ("/special/upload", "Sign in to upload a file."),
    ("/watch/", REASONS["watch"]),
    ("/members/messages/new/", REASONS["message"]),
    ("/members/messages/", "Sign in to see your messages."),
    ("/members/block/", "Sign in to block a member."),
    ("/members/unblock/", "Sign in to unblock a member."),
    ("/notifications/settings", "Sign in to change how you are notified."),
    ("/notifications/", "Sign in to see your notifications."),
    ("/accounts/settings/", "Sign in to see your settings."),
    ("/accounts/profile/", "Sign in to edit your profile."),
    ("/accounts/invitations/", "Sign in to invite people."),
    ("/talk/", "Sign in to start a discussion or join one."),
    ("/discussions/posts/", "Sign in to edit your post."),
    ("/discussions/", "Sign in to reply in this discussion."),
    ("/special/report", "Sign in to report something to the moderators."),
)
EXACT_PATHS = {
    "/members/": "Sign in to see the member directory.",
}
PRIVATE_WIKI_REASON = "This wiki is for its members: sign in to read it."


def reason_for(next_url: str, key: str = "") -> str:
    """The sentence for this sign-in, or "" when there is nothing to say. `next_url` must already be a
    safe, same-site target (accounts.views.safe_next)."""
    if key in REASONS:
        return REASONS[key]
    path = urlsplit(next_url).path if next_url else ""
    if path in EXACT_PATHS:
        return EXACT_PATHS[path]
    for prefix, sentence in NEXT_PREFIXES:
        if path.startswith(prefix) or path == prefix.rstrip("/"):
            return sentence
    if settings.PRIVATE_WIKI and path:
        return PRIVATE_WIKI_REASON
    return ""
