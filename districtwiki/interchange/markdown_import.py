"""`districtwiki import markdown DIR`: a folder of Markdown files into the wiki.

Reads an export of ours (`districtwiki export markdown`), an Obsidian vault, or a GitHub or Wiki.js wiki.
Every file is read and checked before anything is written (its encoding, front matter, title, size and the
files it links to): a bad file stops the import with one line naming it and the wiki is unchanged. Then the
files it links to are uploaded through the upload checks and each page is saved through the wiki's save
action, one transaction per page, as the named author. Importing the same folder again changes nothing.

Only regular files inside DIR are read: symbolic links are skipped (and reported), and links in pages that
point outside the folder are left as they are.
"""

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.management.base import CommandError
from django.db.models import Q

from districtwiki import progress
from districtwiki.accounts.models import User
from districtwiki.wiki import actions, frontmatter, uploads
from districtwiki.wiki.models import Page
from districtwiki.wiki.titles import InvalidTitle, normalize_title

from . import markdown_front, markdown_links
from .markdown_names import FOLDER_NAMESPACES, UnsafePath, decode_segment, inside, title_from_path

IMPORT_HELP = "Bring in a folder of Markdown files: an export, an Obsidian vault, a GitHub or Wiki.js wiki."
SUMMARY = "Imported from a Markdown folder"
SKIPPED_NAMES = {"_index.md", "_sidebar.md", "_footer.md"}  # our index; GitHub wikis' side bar and footer
# A file is read whole, so it is refused before reading when it is far past what a page may hold.
READ_FACTOR = 4


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    files_uploaded: int = 0
    files_unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [
            f"Pages: {self.created:,} created, {self.updated:,} updated, {self.unchanged:,} unchanged.",
            f"Files: {self.files_uploaded:,} uploaded, {self.files_unchanged:,} unchanged.",
        ]
        lines += [f"Skipped {item}" for item in self.skipped]
        lines += [f"Warning: {item}" for item in self.warnings]
        return lines


@dataclass
class Source:
    """One Markdown file of the folder, read and checked."""

    path: str  # relative, with /
    title: str


def add_import_arguments(parser) -> None:
    parser.add_argument("source", metavar="DIR", help="the folder to read")
    parser.add_argument(
        "--author", metavar="USERNAME", help="who the revisions are saved as (default: the first admin)"
    )
    parser.add_argument(
        "--hyphens-as-spaces",
        action="store_true",
        help="file names use - for spaces, as a GitHub wiki's do (Disaster-plan.md is “Disaster plan”)",
    )


def run_import(options: dict, stdout) -> None:
    root = Path(options["source"]).expanduser()
    if not root.is_dir():
        raise CommandError(f"{root} does not exist or is not a folder.")
    author = import_author(options.get("author"))
    report = Report()
    markdown, others = scan(root, report)
    with progress.track("Checking files", total=2 * len(markdown), unit="files", stream=stdout) as bar:
        sources = []
        for path in markdown:
            sources.append(read_source(root, path, options.get("hyphens_as_spaces", False)))
            bar.advance()
        folder = markdown_links.Folder(_unique_titles(sources), others)
        namer = FileNamer(folder)
        _exported_files(folder, namer)
        for source in sources:
            page_text(root, source, folder, namer)  # checked, not kept: read again when saved
            bar.advance()
        _check_files(root, namer.used)
    write(root, sources, folder, namer, author, report, stdout)
    for line in report.lines():
        stdout.write(line)


def import_author(username: str | None) -> User:
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active member called “{username}”.")
        return user
    admins = User.objects.filter(Q(role=User.Role.ADMIN) | Q(is_superuser=True), is_active=True)
    user = admins.order_by("id").first()
    if user is None:
        raise CommandError("The wiki has no admin to import as: create one, or name a member with --author.")
    return user


# --- Reading and checking -----------------------------------------------------------------------------


def scan(root: Path, report: Report) -> tuple[list[str], set[str]]:
    """The folder's Markdown files and its other regular files, as sorted relative paths."""
    markdown, others = [], set()
    for folder, dirs, files in os.walk(root, followlinks=False):
        base = Path(folder)
        relative = base.relative_to(root).as_posix()
        for name in list(dirs):
            if (base / name).is_symlink():
                report.skipped.append(f"{_join(relative, name)}: a symbolic link")
            if name.startswith(".") or (base / name).is_symlink():
                dirs.remove(name)  # .obsidian, .git, .trash and links are not walked into
        for name in sorted(files):
            path = _join(relative, name)
            if name.startswith("."):
                continue
            if (base / name).is_symlink() or not (base / name).is_file():
                report.skipped.append(f"{path}: a symbolic link or not a regular file")
            elif name.lower().endswith(markdown_links.MARKDOWN_EXTENSIONS):
                if name.lower() not in SKIPPED_NAMES:
                    markdown.append(path)
            else:
                others.add(path)
    return sorted(markdown), others


def _join(folder: str, name: str) -> str:
    return name if folder in ("", ".") else f"{folder}/{name}"


def open_inside(root: Path, path: str):
    """The file at `path` for reading in binary, refusing one that has become a symbolic link since the
    folder was scanned or that resolves to anywhere outside the folder."""
    try:
        inside(root, path)
        descriptor = os.open(root / path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except (UnsafePath, OSError) as error:
        raise CommandError(f"{path} cannot be read inside {root}: {error}") from None
    return os.fdopen(descriptor, "rb")


def read_text(root: Path, path: str) -> str:
    with open_inside(root, path) as file:
        size = os.fstat(file.fileno()).st_size
        limit = settings.MAX_PAGE_BYTES
        if size > limit * READ_FACTOR:
            raise CommandError(f"{path} is {size // 1024:,} KiB; a page may be at most {limit // 1024} KiB.")
        data = file.read()
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise CommandError(f"{path} is not UTF-8 text (byte {error.start:,}): save it as UTF-8.") from None


def read_source(root: Path, path: str, hyphens_as_spaces: bool = False) -> Source:
    header, _ = _header(path, read_text(root, path))
    from_path = title_from_path(path)
    if hyphens_as_spaces:
        from_path = from_path.replace("-", " ")
    return Source(path, _title(path, header.title or from_path))


def _header(path: str, text: str) -> tuple[markdown_front.Header, str]:
    try:
        return markdown_front.taken_apart(text)
    except frontmatter.InvalidFrontMatter as error:
        raise CommandError(f"{path}: {error}") from None


def _title(path: str, raw: str) -> str:
    try:
        return normalize_title(raw)
    except InvalidTitle as error:
        raise CommandError(f"{path}: the title “{raw[:100]}” cannot be used: {error}") from None


def _unique_titles(sources: list[Source]) -> dict[str, str]:
    seen: dict[str, str] = {}
    for source in sources:
        if source.title in seen:
            raise CommandError(
                f"{seen[source.title]} and {source.path} would both be the page “{source.title}”: "
                "give one of them another title."
            )
        seen[source.title] = source.path
    return {path: title for title, path in seen.items()}


class FileNamer:
    """The File: title each linked file will have, one file per title."""

    def __init__(self, folder: markdown_links.Folder):
        self.folder = folder
        self.used: dict[str, str] = {}  # path → File: title
        self._owners: dict[str, str] = {}

    def __call__(self, path: str) -> str:
        if path in self.used:
            return self.used[path]
        described = self.folder.titles.get(path + ".md", "")
        raw = described or decode_segment(path.rsplit("/", 1)[-1])
        try:
            title = uploads.file_title(raw)
        except InvalidTitle as error:
            raise CommandError(f"{path}: this file cannot be uploaded under its name: {error}") from None
        if self._owners.setdefault(title, path) != path:
            raise CommandError(
                f"{self._owners[title]} and {path} would both be “{title}”: rename one of them."
            )
        self.used[path] = title
        return title


def page_text(root: Path, source: Source, folder, namer: FileNamer, warnings: list[str] | None = None) -> str:
    """The text to save for `source`, checked as the save action will check it."""
    warnings = [] if warnings is None else warnings
    header, text = _header(source.path, read_text(root, source.path))
    if not header.ours:
        text = markdown_links.convert(text, source.path, folder, namer).text
        text = _with_categories(text, header.categories, source.path, warnings)
    text = actions.normalize_text(text)
    try:
        actions.check_text(text)
        actions.check_size(text)
        frontmatter.parse(text)
    except (actions.WikiError, frontmatter.InvalidFrontMatter) as error:
        raise CommandError(f"{source.path}: {error}") from None
    return text


def _with_categories(text: str, names: list[str], path: str, warnings: list[str]) -> str:
    links = []
    for name in names:
        try:
            category = normalize_title(f"Category:{name}")
        except InvalidTitle as error:
            warnings.append(f"{path}: the tag “{name[:100]}” cannot be a category ({error}); left out.")
            continue
        link = f"[[{category}]]"
        if link not in text and link not in links:
            links.append(link)
    return f"{text.rstrip()}\n\n" + "\n".join(links) if links else text


def _check_files(root: Path, files: dict[str, str]) -> None:
    for path, title in files.items():
        with open_inside(root, path) as handle:
            upload = File(handle, name=path.rsplit("/", 1)[-1])
            try:
                uploads.check_size(upload.size)
                uploads.inspect_content(upload, os.path.splitext(title)[1].lower())
            except actions.WikiError as error:
                raise CommandError(f"{path}: {error}") from None


# --- Writing ---------------------------------------------------------------------------------------------


def write(root: Path, sources, folder, namer: FileNamer, author, report: Report, stdout) -> None:
    files = dict(namer.used)
    total = len(files) + len(sources)
    with progress.track("Importing pages", total=total, unit="items", stream=stdout) as bar:
        for path, title in files.items():
            upload_file(root, path, title, author, report)
            bar.advance()
        for source in sources:
            save_page(page_text(root, source, folder, namer, report.warnings), source.title, author, report)
            bar.advance()


def _exported_files(folder, namer: FileNamer) -> None:
    """An export's `_files/`: each file is described by its page's .md beside it."""
    for path in sorted(folder.files):
        if path.split("/", 1)[0] in FOLDER_NAMESPACES and path + ".md" in folder.titles:
            namer(path)


def upload_file(root: Path, path: str, title: str, author, report: Report) -> None:
    page = Page.objects.filter(title=title).first()
    current = page.uploads.only("sha1").first() if page else None
    with open_inside(root, path) as handle:
        upload = File(handle, name=path.rsplit("/", 1)[-1])
        if current is not None and current.sha1 == _sha1(handle):
            report.files_unchanged += 1
            return
        try:
            uploads.upload_file(uploads.file_name(title), upload, author, SUMMARY)
        except actions.WikiError as error:
            raise CommandError(f"{path}: {error}") from None
    report.files_uploaded += 1


def _sha1(handle) -> str:
    digest = hashlib.file_digest(handle, "sha1").hexdigest()
    handle.seek(0)
    return digest


def save_page(text: str, title: str, author, report: Report) -> None:
    latest = Page.objects.filter(title=title).values_list("latest_id", flat=True).first()
    try:
        result = actions.save_revision(title, text, author, latest, SUMMARY)
    except actions.NoChange:
        report.unchanged += 1
        return
    except actions.WikiError as error:
        raise CommandError(f"“{title}”: {error}") from None
    if result.created:
        report.created += 1
    else:
        report.updated += 1
