"""Loading the shipped starter pages into the wiki, and keeping them current across releases.

A page no person has edited since it was loaded follows the shipped text. A page people have edited keeps
their text; the newer shipped text waits beside it, and a member merges it in one click (the core's
three-way merge, with the text that was loaded as the base).
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.db import transaction

from districtwiki.notifications.models import NotificationSettings
from districtwiki.wiki import actions, uploads
from districtwiki.wiki.models import Page
from districtwiki.wiki.titles import normalize_title

from .models import StarterPage

CONTENT_DIR = Path(__file__).resolve().parent
PAGES_DIR = CONTENT_DIR / "pages"
FILES_DIR = CONTENT_DIR / "files"
SYSTEM_USERNAME = "districtwiki"


@dataclass
class ShippedPage:
    title: str
    text: str
    path: Path

    @property
    def sha1(self) -> str:
        return hashlib.sha1(self.text.encode()).hexdigest()


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.pending or self.files)

    def summary(self) -> str:
        return (
            f"{len(self.created)} pages created, {len(self.updated)} updated, "
            f"{len(self.pending)} with a newer version waiting for a merge, {len(self.files)} files added"
        )


def title_for(path: Path) -> str:
    """`Templates__Asset_inventory.md` → `Templates/Asset inventory`."""
    return normalize_title(path.stem.replace("__", "/"))


def shipped_pages() -> list[ShippedPage]:
    return [
        ShippedPage(title_for(path), actions.normalize_text(path.read_text(encoding="utf-8")), path)
        for path in sorted(PAGES_DIR.glob("*.md"))
    ]


def shipped_files() -> list[Path]:
    return sorted(path for path in FILES_DIR.iterdir() if path.is_file() and not path.name.startswith("."))


def system_author():
    """The account that loads shipped content: an admin no one can sign in as."""
    User = get_user_model()
    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is None:
        user = User(username=SYSTEM_USERNAME, role=User.Role.ADMIN, email_confirmed=True)
        user.set_unusable_password()
        user.save()
        # No one reads this account's notifications: it must not watch the pages it loads.
        NotificationSettings.objects.create(
            user=user, auto_watch=False, frequency=NotificationSettings.Frequency.NEVER
        )
    return user


def load(advance: Callable[[], None] = lambda: None) -> LoadReport:
    """Load every shipped page and file; running it again changes nothing. Each page is its own
    transaction, so an interrupted load keeps what it loaded. `advance` is called once per page and file."""
    report = LoadReport()
    author = system_author()
    # One query tells which shipped texts are already here, so a start-up with nothing new stays fast.
    known = {
        (title, sha1)
        for title, loaded, pending in StarterPage.objects.values_list(
            "page__title", "loaded_sha1", "pending_sha1"
        )
        for sha1 in (loaded, pending)
        if sha1
    }
    for shipped in shipped_pages():
        if (shipped.title, shipped.sha1) not in known:
            load_page(shipped, author, report)
        advance()
    for path in shipped_files():
        load_file(path, author, report)
        advance()
    return report


def shipped_count() -> int:
    """How many pages and files `load` goes through."""
    return len(list(PAGES_DIR.glob("*.md"))) + len(shipped_files())


def load_page(shipped: ShippedPage, author, report: LoadReport) -> None:
    with transaction.atomic():
        page = Page.objects.select_for_update().filter(title=shipped.title).first()
        starter = StarterPage.objects.filter(page=page).first() if page else None
        if page is None:
            result = actions.save_revision(shipped.title, shipped.text, author, None, "Starter page")
            StarterPage.objects.create(
                page=result.page,
                loaded_text=shipped.text,
                loaded_sha1=shipped.sha1,
                loaded_revision=result.revision,
            )
            report.created.append(shipped.title)
        elif page.is_deleted or (starter and shipped.sha1 in (starter.loaded_sha1, starter.pending_sha1)):
            return
        elif starter is None:
            # Someone wrote a page of this title before it shipped: theirs stays, ours waits for a merge.
            StarterPage.objects.create(
                page=page,
                loaded_text="",
                loaded_sha1="",
                pending_text=shipped.text,
                pending_sha1=shipped.sha1,
            )
            report.pending.append(shipped.title)
        elif page.latest_id == starter.loaded_revision_id:
            update_unedited(page, starter, shipped, author)
            report.updated.append(shipped.title)
        else:
            starter.pending_text, starter.pending_sha1 = shipped.text, shipped.sha1
            starter.save(update_fields=["pending_text", "pending_sha1"])
            report.pending.append(shipped.title)


def update_unedited(page: Page, starter: StarterPage, shipped: ShippedPage, author) -> None:
    try:
        result = actions.save_revision(
            page.title, shipped.text, author, page.latest_id, "Updated starter page"
        )
        starter.loaded_revision = result.revision
    except actions.NoChange:
        pass
    starter.loaded_text, starter.loaded_sha1 = shipped.text, shipped.sha1
    starter.pending_text = starter.pending_sha1 = ""
    starter.save()


def load_file(path: Path, author, report: LoadReport) -> None:
    title = normalize_title("File:" + path.name)
    if Page.objects.filter(title=title).exists():
        return
    with path.open("rb") as handle:
        uploads.upload_file(path.name, File(handle, name=path.name), author, "Attachment of a starter page.")
    report.files.append(title)


def merge_update(page: Page, user) -> actions.SaveResult | None:
    """Fold the waiting shipped text into the page as people left it; EditConflict when both changed the
    same lines (nothing is saved then)."""
    starter = StarterPage.objects.filter(page=page).first()
    if starter is None or not starter.has_update:
        raise actions.WikiError(f"“{page.title}” has no newer starter version waiting.")
    with transaction.atomic():
        try:
            result = actions.save_revision(
                page.title,
                starter.pending_text,
                user,
                starter.loaded_revision_id,
                "Merged the newer version of this starter page",
            )
            starter.loaded_revision = result.revision
        except actions.NoChange:
            result = None  # the page already says what the newer version says
        starter.loaded_text, starter.loaded_sha1 = starter.pending_text, starter.pending_sha1
        starter.pending_text = starter.pending_sha1 = ""
        starter.save()
    return result
