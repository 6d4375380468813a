"""The backup archive: a gzip-compressed tar holding the database, the uploads and a manifest.

    database/districtwiki.sqlite3   (SQLite)  or  database/districtwiki.pgdump   (PostgreSQL, pg_dump custom)
    uploads/<path under MEDIA_ROOT>  every uploaded file
    manifest.json                   written last: it holds the sha256 of every other member

Reading is one pass that checks every member's name before a byte of it is written anywhere, hashes every
member, and only then compares the whole against the manifest. Nothing read from an archive is trusted
until that comparison passes; the caller stages members in a scratch folder and moves them into place only
afterwards.
"""

import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from .databases import BackupError

FORMAT = "districtwiki-backup"
FORMAT_VERSION = 1
READABLE_VERSIONS = {1}
MANIFEST = "manifest.json"
DATABASE_DIR = "database"
UPLOADS_DIR = "uploads"
MAX_MANIFEST_BYTES = 64 * 1024 * 1024  # ~150 bytes per member: room for hundreds of thousands of uploads
CHUNK = 1024 * 1024
# What a damaged or cut-off .tar.gz raises while it is read (BadGzipFile is an OSError).
UNREADABLE = (tarfile.TarError, EOFError, zlib.error, OSError)


class Hasher:
    """Wraps a binary file: everything read through it is hashed on the way."""

    def __init__(self, raw, *algorithms: str):
        self.raw = raw
        self.hashes = {name: hashlib.new(name) for name in algorithms}
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size)
        for digest in self.hashes.values():
            digest.update(chunk)
        self.size += len(chunk)
        return chunk

    def hexdigest(self, name: str) -> str:
        return self.hashes[name].hexdigest()


class ArchiveWriter:
    """Adds members to an open tar and remembers each one's size and sha256 for the manifest."""

    def __init__(self, tar: tarfile.TarFile):
        self.tar = tar
        self.members: dict[str, dict] = {}

    def add_file(self, name: str, path: Path) -> Hasher | None:
        """Add the file at `path` as `name`; None if it vanished before it could be read."""
        try:
            source = path.open("rb")
        except FileNotFoundError:
            return None
        with source:
            status = os.fstat(source.fileno())
            info = self._info(name, status.st_size, int(status.st_mtime))
            reader = Hasher(source, "sha256", "sha1")
            self.tar.addfile(info, reader)
        self.members[name] = {"size": info.size, "sha256": reader.hexdigest("sha256")}
        return reader

    def add_manifest(self, manifest: dict, mtime: int) -> None:
        data = json.dumps(manifest, indent=1, sort_keys=True).encode()
        self.tar.addfile(self._info(MANIFEST, len(data), mtime), io.BytesIO(data))

    def _info(self, name: str, size: int, mtime: int) -> tarfile.TarInfo:
        # Owner and mode are not worth carrying between machines: restore writes files as its own user.
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = size, mtime, 0o600
        return info


# --- Reading and verifying ---------------------------------------------------------------------------------


def member_path(name: str) -> PurePosixPath:
    """The member's path if it is one a districtwiki backup may hold, else a refusal."""
    path = PurePosixPath(name)
    unsafe = (
        not name
        or "\x00" in name
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in name.split("/"))
    )
    if unsafe:
        raise BackupError(f"the archive holds an unsafe member {name!r} (absolute, or reaching outside).")
    top = path.parts[0]
    shape_ok = (
        name == MANIFEST
        or (top == DATABASE_DIR and len(path.parts) == 2)
        or (top == UPLOADS_DIR and len(path.parts) >= 2)
    )
    if not shape_ok:
        raise BackupError(f"the archive holds an unexpected member {name!r}.")
    return path


def read_archive(archive: Path, stage: Path | None, advance: Callable[[], None] = lambda: None) -> dict:
    """Verify `archive` completely and return its manifest; with `stage`, also copy its members there.

    Raises BackupError, with one line saying what is wrong, for anything short of a complete, intact
    districtwiki backup. Nothing outside `stage` is written.
    """
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file.")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            manifest_bytes, found = _read_members(tar, stage, advance)
            _read_to_end(tar)
    except UNREADABLE as error:
        detail = one_line(str(error)) or type(error).__name__
        raise BackupError(f"{archive} is damaged or incomplete ({detail}).") from None
    if manifest_bytes is None:
        raise BackupError(f"{archive} has no {MANIFEST}: it is incomplete, or not a districtwiki backup.")
    manifest = parse_manifest(manifest_bytes, archive)
    compare_members(manifest, found, archive)
    return manifest


def _read_members(
    tar: tarfile.TarFile, stage: Path | None, advance: Callable[[], None]
) -> tuple[bytes | None, dict[str, str]]:
    manifest_bytes, found = None, {}
    for member in tar:
        path = member_path(member.name)
        if not member.isreg():
            raise BackupError(f"the archive holds {member.name!r}, which is not a regular file.")
        if member.name in found or (member.name == MANIFEST and manifest_bytes is not None):
            raise BackupError(f"the archive holds {member.name!r} twice.")
        source = tar.extractfile(member)
        if member.name == MANIFEST:
            if member.size > MAX_MANIFEST_BYTES:
                raise BackupError(f"the archive's {MANIFEST} is implausibly large ({member.size} bytes).")
            manifest_bytes = source.read()
            continue
        found[member.name] = _copy_member(source, stage / path if stage else None)
        advance()
    return manifest_bytes, found


def _copy_member(source, destination: Path | None) -> str:
    """The member's sha256, copying it to `destination` on the way when there is one."""
    reader = Hasher(source, "sha256")
    if destination is None:
        while reader.read(CHUNK):
            pass
        return reader.hexdigest("sha256")
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        with destination.open("xb") as target:
            shutil.copyfileobj(reader, target, CHUNK)
    except OSError as error:
        raise BackupError(f"could not unpack into {destination.parent}: {error.strerror or error}.") from None
    return reader.hexdigest("sha256")


def _read_to_end(tar: tarfile.TarFile) -> None:
    # The tar's end marker comes before gzip's trailer; reading on to the end makes gzip check its CRC
    # and length, which is what catches damage to the manifest (the one member without a listed checksum).
    stream = tar.fileobj
    if isinstance(stream, gzip.GzipFile):
        while stream.read(CHUNK):
            pass


def parse_manifest(data: bytes, archive: Path) -> dict:
    try:
        manifest = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BackupError(f"{archive}: {MANIFEST} is not valid JSON.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not a districtwiki backup ({MANIFEST} does not say {FORMAT!r}).")
    version = manifest.get("format_version")
    if version not in READABLE_VERSIONS:
        raise BackupError(
            f"{archive} is backup format version {version!r}; this districtwiki reads version "
            f"{', '.join(map(str, sorted(READABLE_VERSIONS)))}: install a newer districtwiki to restore it."
        )
    members, database = manifest.get("members"), manifest.get("database")
    if not isinstance(members, dict) or not isinstance(database, dict) or "member" not in database:
        raise BackupError(f"{archive}: {MANIFEST} lacks its list of members or its database entry.")
    return manifest


def compare_members(manifest: dict, found: dict[str, str], archive: Path) -> None:
    listed = manifest["members"]
    for name in sorted(found):
        if name not in listed:
            raise BackupError(f"{archive} holds {name!r}, which its manifest does not list.")
        if not isinstance(listed[name], dict) or listed[name].get("sha256") != found[name]:
            raise BackupError(f"{archive} is damaged: {name!r} does not match its sha256 in the manifest.")
    for name in sorted(listed):
        if name not in found:
            raise BackupError(f"{archive} is incomplete: {name!r}, listed in its manifest, is missing.")
    if manifest["database"]["member"] not in found:
        raise BackupError(f"{archive} holds no database.")


def one_line(text: str) -> str:
    return " ".join(text.split())
