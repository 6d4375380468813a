"""A member's own data: the download of everything the site holds about them, and account deletion.

Each app that holds personal data has a `privacy` module with `export(user) -> dict` and `erase(user)`;
this module calls every one that is installed, and handles the parts that belong to no such app: the
account row, the wiki (revisions, watches, log entries, uploads), pathway progress and API tokens.

Deleting an account erases the profile, messages the member sent, notifications, watches, pathway
progress and API tokens; edits and posts stay, attributed to "former member". The user row is kept but
scrubbed (a "former-member-<id>" username, no e-mail, no usable password, inactive) rather than deleted, so
that rows pointing at it (log entries, uploads, the other side of a conversation) keep a valid reference
without naming anyone, and a later sign-up cannot take over the old identity's history. The old username is
retired (accounts/retired.py): no one can sign up with it again, so a mention, bookmark or e-mail that still
carries it can never lead to someone else. Wherever the member was named, views say "former member"
(User.public_name), and the cached page views that named them are refreshed (pagecache.touch_pages_naming).
"""

import importlib
import secrets

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from districtwiki.accounts import throttling
from districtwiki.accounts.models import FORMER_MEMBER, FORMER_USERNAME_PREFIX, LoginFailure
from districtwiki.accounts.retired import retire_username
from districtwiki.content.models import PathwayStep
from districtwiki.wiki.actions import rename_in_summaries
from districtwiki.wiki.models import FileUpload, LogEntry, Revision, Watch
from districtwiki.wiki.pagecache import touch_pages_naming

from .privacy import iso

PRIVACY_MODULES = {
    "advocacy": "districtwiki.advocacy.privacy",
    "community": "districtwiki.community.privacy",
    "discussions": "districtwiki.discussions.privacy",
    "events": "districtwiki.events.privacy",
    "notifications": "districtwiki.notifications.privacy",
    "signup": "districtwiki.accounts.privacy",
}


def privacy_modules():
    """(label, module) for every installed app that has a privacy module; imported lazily, so that an app
    that is not (yet) part of the site is simply skipped."""
    for label, module_name in PRIVACY_MODULES.items():
        if not apps.is_installed(module_name.rpartition(".")[0]):
            continue
        try:
            yield label, importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise


# --- Export


def export_all(user) -> dict:
    data = {
        "exported_at": iso(timezone.now()),
        "account": export_account(user),
        "wiki": export_wiki(user),
        "pathway_progress": export_pathways(user),
    }
    for label, module in privacy_modules():
        data[label] = module.export(user)
    return data


def export_account(user) -> dict:
    return {
        "username": user.get_username(),
        "email": user.email,
        "email_confirmed": user.email_confirmed,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "role": user.role,
        "date_joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
        "api_tokens": [
            {
                "name": t.name,
                "starts_with": t.hint,
                "created_at": iso(t.created_at),
                "last_used_at": iso(t.last_used_at),
            }
            for t in user.api_tokens.order_by("id")
        ],
    }


def export_wiki(user) -> dict:
    revisions = Revision.objects.filter(author=user).select_related("page").order_by("id")
    return {
        "edits": [
            {
                "revision": r.pk,
                "page": r.page.title,
                "timestamp": iso(r.timestamp),
                "summary": r.summary,
                "minor": r.minor,
                "size": r.size,
            }
            for r in revisions
        ],
        "watchlist": list(
            Watch.objects.filter(user=user).order_by("page__title").values_list("page__title", flat=True)
        ),
        "log_entries": [
            {"action": e.action, "page": e.page.title, "timestamp": iso(e.timestamp), "note": e.note}
            for e in LogEntry.objects.filter(user=user).select_related("page").order_by("id")
        ],
        "uploads": [
            {"file": u.page.title, "timestamp": iso(u.timestamp), "size": u.size, "comment": u.comment}
            for u in FileUpload.objects.filter(uploader=user).select_related("page").order_by("id")
        ],
    }


def export_pathways(user) -> list[dict]:
    steps = PathwayStep.objects.filter(user=user).order_by("pathway", "done_at")
    return [{"pathway": s.pathway, "page": s.title, "done_at": iso(s.done_at)} for s in steps]


# --- Deletion


def delete_account(user) -> None:
    """Erase the member's personal data and scrub the account, in one transaction."""
    with transaction.atomic():
        # Other apps first: the notifications app finds the member's name in others' notifications by the
        # username, which scrub_account then replaces.
        for _label, module in privacy_modules():
            module.erase(user)
        erase_wiki(user)
        erase_account_extras(user)
        scrub_account(user)


def erase_wiki(user) -> None:
    # Revision.save() refuses to touch a written revision (revisions are immutable history); this is the
    # one sanctioned change to one, made in bulk with QuerySet.update(), which does not call save(): the
    # text and time stay, only who wrote it becomes "former member".
    touch_pages_naming(user)  # before the authors change: it finds the pages by them
    Revision.objects.filter(author=user).update(author=None, author_name=FORMER_MEMBER)
    rename_in_summaries(user.get_username(), FORMER_MEMBER)
    Watch.objects.filter(user=user).delete()


def erase_account_extras(user) -> None:
    PathwayStep.objects.filter(user=user).delete()
    user.api_tokens.all().delete()
    logins = {throttling.login_key(user.get_username())}
    if user.email:
        logins.add(throttling.login_key(user.email))
    LoginFailure.objects.filter(username__in=logins).delete()


def scrub_account(user) -> None:
    retire_username(user.get_username())
    user.username = former_username(user)
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.set_unusable_password()  # also ends every other session: their auth hash no longer matches
    user.is_active = False
    user.is_superuser = False
    user.email_confirmed = False
    user.role = user.Role.MEMBER
    user.last_login = None
    user.save()


def former_username(user) -> str:
    username = f"{FORMER_USERNAME_PREFIX}{user.pk}"
    # Someone may have signed up with that very name; the old account must not collide with it.
    if get_user_model().objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
        username = f"{username}-{secrets.token_hex(4)}"
    return username
