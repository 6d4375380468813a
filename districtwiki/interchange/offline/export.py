"""`districtwiki export html DIR` (or FILE.zip): a static copy of the wiki to read offline.

Every page is its latest revision's stored HTML with links rewritten (offline.links), in a file named as in
the Markdown export (subpages in folders), plus a page per category, the files, our stylesheet, an index
and a search page whose index is a script file (pages opened from file:// may not fetch anything, but may
load a script beside them). Nothing in the copy asks any server for anything.
"""

import functools
import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from districtwiki import progress
from districtwiki.wiki import icons
from districtwiki.wiki.models import CategoryMembership, FileUpload, Page
from districtwiki.wiki.titles import InvalidTitle, normalize_title

from ..markdown_export import exported_pages
from ..markdown_names import NameBook, inside, relative_href
from . import links
from .target import staged

EXPORT_HELP = "Write a static copy for reading offline (from a USB stick or any web server), with search."
WIKI_STATIC = Path(__file__).resolve().parents[2] / "static" / "districtwiki"
OWN_STATIC = Path(__file__).resolve().parent / "static"
STATIC_FOLDER = "_static"
# Of each page's text in the search index: its opening, where what it is about is said, and a bounded size
# (2,000 pages make an index of about 10 MB).
SEARCH_TEXT_CHARS = 5_000


def add_export_arguments(parser) -> None:
    parser.add_argument("target", metavar="DIR|FILE.zip", help="a new or empty folder, or a .zip file")
    parser.add_argument("--category", metavar="NAME", help="copy only the pages in this category")
    parser.add_argument(
        "--force", action="store_true", help="replace an earlier export at the target (never anything else)"
    )


@dataclass
class Copy:
    """What goes into the copy and where."""

    site_name: str
    made: str
    paths: links.Paths
    categories: dict[str, list[str]] = field(default_factory=dict)  # name → member titles
    search: list[dict] = field(default_factory=list)


def run_export(options: dict, stdout) -> None:
    target = Path(options["target"]).expanduser()
    pages = _selected(options.get("category"))
    copy = plan(pages)
    with staged(target, options["force"], "html") as root:
        _copy_static(root)
        with progress.track("Writing pages", total=pages.count(), unit="pages", stream=stdout) as bar:
            for page in pages.iterator(chunk_size=200):
                write_page(root, copy, page)
                bar.advance()
        written = {entry["title"] for entry in copy.search}
        for name in copy.categories:
            _write_category(root, copy, name, written)
        _write_index(root, copy)
        _write_search(root, copy)
    stdout.write(f"Wrote {progress.count(len(copy.search), 'pages')} to {target}.")


def _selected(category: str | None):
    pages = exported_pages()
    if not category:
        return pages
    category = category.removeprefix("Category:").removeprefix("category:")
    try:
        name = normalize_title(f"Category:{category}").partition(":")[2]
    except InvalidTitle as error:
        raise CommandError(f"“{category}” cannot be a category name: {error}") from None
    members = Page.objects.live().filter(categories__category=name)
    files = _files_shown_by(members)
    selected = pages.filter(pk__in=members) | pages.filter(title__in=[f"Category:{name}", *files])
    if not members.exists():
        raise CommandError(f"No page is in the category “{name}”: nothing to copy.")
    return selected.distinct()


def _files_shown_by(members) -> set[str]:
    """File: titles the pages link to or show (the stored HTML names each in data-file or /file/ links)."""
    titles = set()
    for fragment in members.values_list("latest__html", flat=True).iterator():
        for match in links.TAG.finditer(fragment or ""):
            attributes = links.attributes_of(match)
            for value in (attributes.get(name, "") for name in ("data-file", "href", "src")):
                title = value if value.startswith("File:") else links.title_of(value)
                if title.startswith("File:"):
                    titles.add(title)
    return titles


def plan(pages) -> Copy:
    """Every page's path, decided before any is written so that links between them resolve."""
    book = NameBook(".html", reserved=("index.html", "search.html"))
    titles = list(pages.values_list("title", flat=True))
    page_paths = {title: book.path(title) for title in titles}
    selected = pages.values("pk")
    memberships = CategoryMembership.objects.filter(page__in=selected)
    categories: dict[str, list[str]] = {}
    for name, title in memberships.order_by("category", "page__title").values_list("category", "page__title"):
        categories.setdefault(name, []).append(title)
    for name in categories:
        page_paths.setdefault(f"Category:{name}", book.path(f"Category:{name}"))
    uploaded = set(FileUpload.objects.filter(page__in=selected).values_list("page__title", flat=True))
    files = {title: path.removesuffix(".html") for title, path in page_paths.items() if title in uploaded}
    made = timezone.localtime().strftime("%-d %B %Y")
    return Copy(settings.SITE_NAME, made, links.Paths(page_paths, files), categories)


def _copy_static(root: Path) -> None:
    static = root / STATIC_FOLDER
    static.mkdir()
    for name in ("wiki.css", "page.css", "favicon.svg"):
        shutil.copyfile(WIKI_STATIC / name, static / name)
    for source in sorted(OWN_STATIC.iterdir()):
        shutil.copyfile(source, static / source.name)


def _context(copy: Copy, here: str, title: str, **extra) -> dict:
    root = relative_href(here, "x")[:-1]  # "" or "../../"
    return {
        "site_name": copy.site_name,
        "made": copy.made,
        "root": root,
        "title": title,
        "search_icon": drawn_icon("search"),
        "info_icon": drawn_icon("info"),
        **extra,
    }


@functools.cache
def drawn_icon(name: str) -> str:
    """An icon drawn in the page: the site's sprite and the stylesheet's masks are other files, which a
    page opened from file:// may not use (Chromium treats every file as its own origin)."""
    drawing = icons.shapes((icons.ICON_DIR / f"{name}.svg").read_text(encoding="utf-8"))
    return mark_safe(  # our own vendored icon file
        f'<svg class="icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" {icons.STROKE}>'
        f"{drawing}</svg>"
    )


def _write(root: Path, path: str, template: str, context: dict) -> None:
    file = inside(root, path)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(render_to_string(f"interchange/offline/{template}", context), encoding="utf-8")


def write_page(root: Path, copy: Copy, page: Page) -> None:
    here = copy.paths.pages[page.title]
    copy.paths.here = here
    revision = page.latest
    content = links.rewrite(revision.html, copy.paths)
    names = [membership.category for membership in page.categories.all()]
    category_links = [(name, copy.paths.href(copy.paths.pages[f"Category:{name}"])) for name in names]
    file_path = copy.paths.files.get(page.title)
    upload = page.uploads.all()[0] if page.uploads.all() else None
    if upload is not None:
        inside(root, file_path).parent.mkdir(parents=True, exist_ok=True)
        with upload.file.open("rb") as source, inside(root, file_path).open("wb") as out:
            shutil.copyfileobj(source, out)
    redirect = page.redirect_to and copy.paths.pages.get(page.redirect_to)
    context = _context(
        copy,
        here,
        page.title,
        content=content,
        categories=category_links,
        revision=revision,
        upload=upload,
        file_href=copy.paths.href(file_path) if upload else "",
        redirect_to=page.redirect_to,
        redirect_href=copy.paths.href(redirect) if redirect else "",
        members=_members(copy, page.title),
    )
    _write(root, here, "page.html", context)
    text = " ".join(strip_tags(revision.html).split())[:SEARCH_TEXT_CHARS]
    copy.search.append({"title": page.title, "path": here, "text": text})


def _members(copy: Copy, title: str) -> list[tuple[str, str]]:
    """A category's pages in the copy, each with its link from the category's file."""
    if not title.startswith("Category:"):
        return []
    members = copy.categories.get(title.removeprefix("Category:"), [])
    return [(member, copy.paths.href(copy.paths.pages[member])) for member in members]


def _write_category(root: Path, copy: Copy, name: str, written: set[str]) -> None:
    """A category with no page of its own in the copy: the list of its pages."""
    title = f"Category:{name}"
    if title in written:
        return
    here = copy.paths.pages[title]
    copy.paths.here = here
    _write(root, here, "category.html", _context(copy, here, title, members=_members(copy, title)))


def _write_index(root: Path, copy: Copy) -> None:
    copy.paths.here = "index.html"
    pages = sorted(
        (entry["title"], copy.paths.href(entry["path"]))
        for entry in copy.search
        if not entry["title"].startswith(("File:", "Category:"))
    )
    categories = [(name, copy.paths.href(copy.paths.pages[f"Category:{name}"])) for name in copy.categories]
    files = sorted((title[5:], copy.paths.href(path + ".html")) for title, path in copy.paths.files.items())
    context = _context(copy, "index.html", "All pages", pages=pages, categories=categories, files=files)
    _write(root, "index.html", "index.html", context)


def _write_search(root: Path, copy: Copy) -> None:
    _write(root, "search.html", "search.html", _context(copy, "search.html", "Search"))
    entries = json.dumps(copy.search, ensure_ascii=True, separators=(",", ":"))
    (root / STATIC_FOLDER / "search-index.js").write_text(
        f"window.districtwikiSearchIndex = {entries};\n", encoding="utf-8"
    )
