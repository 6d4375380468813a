"""`districtwiki export markdown DIR`: every page as a Markdown file, uploads beside them, and an index.

Names follow markdown_names (subpages as folders, safe on every system); each file's front matter carries the
title, categories, last revision, its time and author, merged into the page's own block (markdown_front).
`districtwiki import markdown DIR` reads the folder back.
"""

import shutil
from pathlib import Path
from urllib.parse import quote

from django.db.models import Prefetch

from districtwiki import progress
from districtwiki.wiki.models import CategoryMembership, FileUpload, Page

from . import markdown_front
from .markdown_names import NameBook, inside
from .offline.target import staged

EXPORT_HELP = "Write every page as a Markdown file (subpages as folders), with its uploads and an index."
INDEX_NAME = "_index.md"


def add_export_arguments(parser) -> None:
    parser.add_argument("target", metavar="DIR", help="a new or empty folder to write into")
    parser.add_argument(
        "--force", action="store_true", help="replace an earlier export in DIR (never any other folder)"
    )


def exported_pages():
    return (
        Page.objects.live()
        .filter(latest__isnull=False)
        .select_related("latest")
        .prefetch_related(
            Prefetch("categories", queryset=CategoryMembership.objects.order_by("category")),
            Prefetch("uploads", queryset=FileUpload.objects.order_by("-id")),
        )
        .order_by("title")
    )


def run_export(options: dict, stdout) -> None:
    target = Path(options["target"]).expanduser()
    pages = exported_pages()
    book = NameBook(".md")
    entries = []
    with staged(target, options["force"], "markdown") as root:
        with progress.track("Exporting pages", total=pages.count(), unit="pages", stream=stdout) as bar:
            for page in pages.iterator(chunk_size=200):
                path = book.path(page.title)
                write_page(root, path, page)
                entries.append((page.title, path))
                bar.advance()
        (root / INDEX_NAME).write_text(index_text(entries), encoding="utf-8")
    stdout.write(f"Wrote {progress.count(len(entries), 'pages')} to {target}.")


def write_page(root: Path, path: str, page: Page) -> None:
    revision = page.latest
    text = markdown_front.merged(
        revision.text,
        page.title,
        [membership.category for membership in page.categories.all()],
        revision.pk,
        revision.timestamp,
        revision.author_name,
    )
    file = inside(root, path)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text + "\n", encoding="utf-8")
    uploads = list(page.uploads.all())
    if uploads:
        with uploads[0].file.open("rb") as source, inside(root, path.removesuffix(".md")).open("wb") as out:
            shutil.copyfileobj(source, out)


def index_text(entries: list[tuple[str, str]]) -> str:
    lines = ["# All pages", ""]
    lines += [f"- [{_label(title)}]({quote(path, safe='/~')})" for title, path in entries]
    return "\n".join(lines) + "\n"


def _label(title: str) -> str:
    return title.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
