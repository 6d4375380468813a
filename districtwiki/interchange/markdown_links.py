"""Links in Markdown from elsewhere, turned into the wiki's own.

- `[label](Other%20page.md#part)`, `[label](../Policies/Phones)` (GitHub wikis leave out `.md`) and Wiki.js's
  `[label](/en/policies/phones)`: when the target is a page of the folder, `[[Title#part|label]]`.
- `![alt](img/photo.png)` and `[label](forms/request.pdf)`: the file is uploaded, and the link becomes
  `![alt](File:Photo.png)` or `[[File:Request.pdf|label]]`.
- Obsidian's `[[Note]]` (found by name anywhere in the vault) becomes `[[Folder/Note]]`; its embeds
  `![[photo.png]]` become `[[File:Photo.png]]`.

Fenced code is left as it is. Each pattern excludes the brackets that open another candidate and line
breaks, so the scan from one `[` ends at the next one: linear in the page's length.
"""

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from districtwiki.wiki.titles import InvalidTitle, normalize_title

MARKDOWN_EXTENSIONS = (".md", ".markdown")
LINK = re.compile(r'(!?)\[([^\[\]\n]{0,1000})\]\(<?([^()\s<>]{1,2000})>?(?:[ \t]+"[^"\n]{0,500}")?\)')
WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]{1,1000})\]\]")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass
class Folder:
    """What a Markdown folder holds: its pages' titles by path, and the other files one may link to."""

    titles: dict[str, str]  # "Policies/Phones.md" → "Policies/Phones"
    files: set[str]  # "img/photo.png": regular files inside the folder, not Markdown
    by_name: dict[str, str] = field(default_factory=dict)  # Obsidian: "Phones" → "Policies/Phones"
    files_by_name: dict[str, str] = field(default_factory=dict)  # "photo.png" → "img/photo.png"
    known: set[str] = field(default_factory=set)

    def __post_init__(self):
        self.known = set(self.titles.values())
        names: dict[str, list[str]] = {}
        for path, title in self.titles.items():
            names.setdefault(posixpath.splitext(posixpath.basename(path))[0].casefold(), []).append(title)
        self.by_name = {name: titles[0] for name, titles in names.items() if len(titles) == 1}
        for path in sorted(self.files):
            self.files_by_name.setdefault(posixpath.basename(path).casefold(), path)


@dataclass
class Converted:
    text: str
    files: dict[str, str] = field(default_factory=dict)  # path of a file in the folder → its File: title


def convert(text: str, page_path: str, folder: Folder, file_title) -> Converted:
    """The page's text with links to the folder's pages and files in the wiki's form.

    `file_title(path)` gives the File: title a file of the folder will have."""
    result = Converted(text)
    pieces, fenced = [], ""
    for line in text.split("\n"):
        fence = FENCE.match(line)
        if fence and (not fenced or fence.group(1).startswith(fenced)):
            fenced = "" if fenced else fence.group(1)[0] * 3
        elif not fenced:
            line = _convert_line(line, page_path, folder, file_title, result)
        pieces.append(line)
    result.text = "\n".join(pieces)
    return result


def _convert_line(line, page_path, folder, file_title, result) -> str:
    if "](" in line:
        line = LINK.sub(lambda match: _markdown_link(match, page_path, folder, file_title, result), line)
    if "[[" in line:
        line = WIKILINK.sub(lambda match: _wikilink(match, folder, file_title, result), line)
    return line


def _markdown_link(match: re.Match, page_path, folder: Folder, file_title, result: Converted) -> str:
    image, label, href = match.group(1), match.group(2), match.group(3)
    if SCHEME.match(href) or href.startswith(("#", "//")):
        return match.group(0)
    target, _, section = unquote(href).partition("#")
    path = _resolve(page_path, target)
    if path is None:
        return match.group(0)
    title = _page_at(path, folder)
    if title is not None and not image:
        return wikilink(title, section, label)
    if path in folder.files:
        name = result.files.setdefault(path, file_title(path))
        return f"![{label}]({name})" if image else wikilink(name, "", label)
    return match.group(0)


def _resolve(page_path: str, target: str) -> str | None:
    """The folder-relative path a link points at, or None when it points outside the folder."""
    if not target:
        return None
    if target.startswith("/"):  # Wiki.js: from the wiki's root
        path = posixpath.normpath(target.lstrip("/"))
    else:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), target))
    if path.startswith("../") or path in ("..", ".") or path.startswith("/"):
        return None
    return path


def _page_at(path: str, folder: Folder) -> str | None:
    if path in folder.titles:
        return folder.titles[path]
    for extension in MARKDOWN_EXTENSIONS:
        if path + extension in folder.titles:
            return folder.titles[path + extension]
    return None


def _wikilink(match: re.Match, folder: Folder, file_title, result: Converted) -> str:
    embed, inner = match.group(1), match.group(2)
    target, bar, label = inner.partition("|")
    target, _, section = target.partition("#")
    found = folder.files_by_name.get(posixpath.basename(target.strip()).casefold())
    if found and not target.strip().lower().endswith(MARKDOWN_EXTENSIONS):
        name = result.files.setdefault(found, file_title(found))
        # Obsidian's `![[photo.png|300]]` gives a width, not a label.
        return f"[[{name}]]" if embed or not bar else f"[[{name}|{label}]]"
    title = _known_title(target.strip().removesuffix(".md"), folder)
    if title is None:
        return match.group(0)
    return wikilink(title, section, label if bar else "")


def _known_title(target: str, folder: Folder) -> str | None:
    try:
        title = normalize_title(target)
    except InvalidTitle:
        return None
    if title in folder.known:
        return title
    return folder.by_name.get(posixpath.basename(target).casefold())


def wikilink(title: str, section: str = "", label: str = "") -> str:
    target = f"{title}#{section}" if section else title
    if label and label != title:
        return f"[[{target}|{label}]]"
    return f"[[{target}]]"
