"""File names for page titles: safe on Windows, macOS and Linux, and reversible.

A title's `/` makes folders (`Policies/Acceptable use` → `Policies/Acceptable use.md`). In each segment,
what one of the three systems refuses or treats specially is written `%XX` (UTF-8 bytes, as in URLs): the
characters `<>:"/\\|?*`, control characters, `%` and `~` themselves, a leading `.` (hidden files, `..`),
a trailing `.` or space (Windows drops them) and the first letter of a reserved device name (`CON`, `NUL`,
`COM1`…). Decoding undoes exactly that, so every name reads back as its title.

Two titles that differ only in case (`Wi-fi` and `Wi-Fi`) would be one file on a case-insensitive disk:
the later one gets a `~2` suffix (and a segment too long for a file name, 255 bytes, is cut and given a
`~h` and a hash). `~` is always escaped in a segment, so a suffix is never part of a title; an export's
front matter carries the exact title in any case.

Namespace pages live in folders whose names no title can take (titles never contain `_`):
`File:Logo.png` → `_files/Logo.png.md` beside the file's bytes `_files/Logo.png`, and `Category:X` →
`_categories/X.md`.
"""

import functools
import hashlib
import os
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote

from districtwiki.wiki.titles import namespace_of

UNSAFE = set('<>:"/\\|?*%~') | {chr(code) for code in range(32)} | {"\x7f"}
RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)")
MAX_SEGMENT_BYTES = 200  # below the 255-byte limit, with room for ".md", ".html" and a ~N suffix
NAMESPACE_FOLDERS = {"File": "_files", "Category": "_categories"}
FOLDER_NAMESPACES = {folder: namespace for namespace, folder in NAMESPACE_FOLDERS.items()}
SUFFIX = re.compile(r"(?:~[0-9a-z]+)+$")


class UnsafePath(ValueError):
    """A path that would lead outside the folder it belongs to."""


def _escape(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode())


def encode_segment(segment: str) -> str:
    """One title segment as a file name (without suffix or extension)."""
    chars = [_escape(char) if char in UNSAFE else char for char in segment]
    if chars and chars[0] == ".":
        chars[0] = _escape(".")
    if chars and chars[-1] in (".", " "):
        chars[-1] = _escape(chars[-1])
    if RESERVED.match(segment):
        chars[0] = _escape(chars[0])
    return "".join(chars)


def decode_segment(name: str) -> str:
    """The title segment a file name stands for (its extension already removed)."""
    return unquote(SUFFIX.sub("", name), errors="replace")


def _shorten(name: str) -> str:
    if len(name.encode()) <= MAX_SEGMENT_BYTES:
        return name
    digest = hashlib.sha1(name.encode()).hexdigest()[:8]
    cut = name.encode()[: MAX_SEGMENT_BYTES - 12].decode("utf-8", errors="ignore")
    cut = re.sub(r"%[0-9A-F]?$", "", cut)  # never cut an escape in half
    return f"{cut}~h{digest}"


def title_segments(title: str) -> list[str]:
    """The folders and file stem of a title, namespace folder first."""
    namespace = namespace_of(title)
    if namespace:
        return [NAMESPACE_FOLDERS[namespace], *title.partition(":")[2].split("/")]
    return title.split("/")


def _folded(name: str) -> str:
    """What a case- and normalisation-insensitive disk (Windows, macOS) sees of a name."""
    return unicodedata.normalize("NFC", name).casefold()


class NameBook:
    """Gives every title of one export its relative path, keeping apart names that one disk would take
    for the same: case and Unicode form (Windows, macOS), and a folder against a file of that name (the
    folder of `A.md/Sub` against the page `A`'s `A.md`, or a file's bytes `_files/X.png` against the folder
    of `File:X.png/Notes`)."""

    def __init__(self, extension: str, reserved: tuple[str, ...] = ()):
        """`reserved`: names at the top that the export writes itself (`index.html`)."""
        self.extension = extension
        self._taken: set[tuple[str, str]] = {("", _folded(name)) for name in reserved}  # (folder, name)
        self._names: dict[tuple[str, str, tuple[str, ...]], str] = {}

    def _name(self, folder: str, segment: str, endings: tuple[str, ...]) -> str:
        """The name for `segment` in `folder`, free with each of `endings` ("" for a folder or bytes)."""
        known = self._names.get((folder, segment, endings))
        if known is not None:
            return known
        base = _shorten(encode_segment(segment))
        name, number = base, 1
        while any((folder, _folded(name + ending)) in self._taken for ending in endings):
            number += 1
            name = f"{base}~{number}"
        self._taken.update((folder, _folded(name + ending)) for ending in endings)
        self._names[(folder, segment, endings)] = name
        return name

    def path(self, title: str) -> str:
        """`Policies/Acceptable use.md` for `Policies/Acceptable use` (always with `/`)."""
        segments = title_segments(title)
        folder = ""
        parts = []
        for segment in segments[:-1]:
            parts.append(self._name(folder, segment, ("",)))
            folder = "/".join(parts)
        # A file's bytes are written beside its page, under the page's name without the extension.
        endings = (self.extension, "") if namespace_of(title) == "File" else (self.extension,)
        parts.append(self._name(folder, segments[-1], endings) + self.extension)
        return "/".join(parts)


def title_from_path(relative: str) -> str:
    """The title a relative path (`Policies/Acceptable use.md`) stands for when it carries none itself."""
    # macOS may hand back names in decomposed form (NFD); titles are typed, and stored, composed.
    parts = unicodedata.normalize("NFC", relative).replace("\\", "/").split("/")
    stem, _ = os.path.splitext(parts[-1])
    segments = [decode_segment(part) for part in parts[:-1]] + [decode_segment(stem)]
    namespace = FOLDER_NAMESPACES.get(parts[0]) if len(parts) > 1 else None
    if namespace:
        return f"{namespace}:{'/'.join(segments[1:])}"
    return "/".join(segments)


def inside(root: Path, relative: str) -> Path:
    """`root / relative`, or UnsafePath when it would be anywhere but under root."""
    target = (root / relative).resolve()
    base = root.resolve()
    if target == base or base not in target.parents:
        raise UnsafePath(f"“{relative}” leads outside {root}.")
    return target


@functools.lru_cache(maxsize=8192)  # a page links to the same few pages many times
def relative_href(from_path: str, to_path: str) -> str:
    """The relative URL from the file `from_path` to the file `to_path` (both relative to the root)."""
    start = os.path.dirname(from_path) or "."
    return quote(os.path.relpath(to_path, start).replace(os.sep, "/"), safe="/~")
