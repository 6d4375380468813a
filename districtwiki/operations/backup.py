"""Backing up a wiki to one archive and restoring it into an empty one (docs/backup.md).

The functions take the database and the uploads folder explicitly, so the commands are thin wrappers around
them for the configured site and the tests can restore into a second, throw-away site.

Backup order matters: the database snapshot is taken first and the uploads copied after it. An upload writes
its file before its row commits, and files are never rewritten (they are stored under their checksum), so
every upload row in the snapshot finds its file in the archive; files uploaded after the snapshot ride along
unreferenced and do no harm.
"""

import hashlib
import importlib.metadata
import os
import shutil
import signal
import tarfile
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connections
from django.utils import timezone

from ..progress import NO_PROGRESS, Interrupted, Tracker
from .archive import (
    DATABASE_DIR,
    FORMAT,
    FORMAT_VERSION,
    UPLOADS_DIR,
    ArchiveWriter,
    member_path,
    one_line,
    read_archive,
)
from .databases import BackupError, Contents, database_for

__all__ = ["BackupError", "configured_database", "create_backup", "restore_backup", "verify_backup"]

NOTHING_CHANGED = "Nothing was changed."
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def configured_database():
    """The site's own database, as Django is connected to it (under test: the test database)."""
    return database_for(connections["default"].settings_dict)


def districtwiki_version() -> str:
    try:
        return importlib.metadata.version("districtwiki")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


# --- Reports -----------------------------------------------------------------------------------------------


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


COUNTED = ("pages", "revisions", "users", "uploads")


def describe_counts(counts: dict) -> str:
    return ", ".join(plural(counts.get(key, 0), key.rstrip("s")) for key in COUNTED)


def human_size(size: float) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000
    raise AssertionError("unreachable")


def missing_uploads(rows: list[tuple[str, str]], sha1_of) -> list[str]:
    """The stored names of uploads whose file is absent or differs from the sha1 in its row."""
    return [name for name, sha1 in rows if sha1_of(name) != sha1]


def missing_warning(missing: list[str], where: str) -> str:
    shown = ", ".join(missing[:3]) + (", …" if len(missing) > 3 else "")
    return f"Warning: {plural(len(missing), 'upload')} missing or damaged {where}: {shown}"


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size: int
    manifest: dict

    def summary(self) -> str:
        files = plural(self.manifest["upload_files"], "file")
        return (
            f"Wrote {self.path} ({human_size(self.size)}): "
            f"{describe_counts(self.manifest['counts'])} ({files} under uploads/)."
        )

    def warning(self) -> str:
        missing = self.manifest["uploads_missing"]
        return missing_warning(missing, "in MEDIA_ROOT (the archive has what was there)") if missing else ""


@dataclass(frozen=True)
class RestoreReport:
    archive: Path
    target: str
    manifest: dict
    contents: Contents
    missing: list[str]

    def summary(self) -> str:
        made = f"made {self.manifest['created_at']} by districtwiki {self.manifest['districtwiki_version']}"
        counts = describe_counts(self.contents.counts)
        return f"Restored {self.archive} ({made}) into {self.target}: {counts}."

    def warning(self) -> str:
        return missing_warning(self.missing, "after the restore") if self.missing else ""


def check_summary(archive: Path, manifest: dict) -> str:
    vendor = VENDOR_NAMES.get(manifest["database"].get("vendor"), "unknown database")
    members = plural(len(manifest["members"]), "member")
    return (
        f"{archive} is a complete districtwiki backup (made {manifest.get('created_at')}, {vendor}): "
        f"{describe_counts(manifest.get('counts', {}))}; {members} verified."
    )


# --- Backup ------------------------------------------------------------------------------------------------


def create_backup(
    destination: Path, database, media_root: Path, force: bool = False, tracker: Tracker | None = None
) -> BackupReport:
    """Write one archive of `database` and every file under `media_root` to `destination`.

    `destination` may be a folder, which gets a dated file name. The archive is written to <name>.tmp and
    renamed only when complete, so a file with the final name is always a whole backup: an error or Ctrl+C
    removes the .tmp. `tracker` (districtwiki.progress) counts the files added: the database, then uploads.
    """
    tracker = tracker or NO_PROGRESS
    destination = archive_path(Path(destination).absolute())
    if destination.parent.resolve().is_relative_to(Path(media_root).resolve()):
        raise BackupError(f"write the archive outside {media_root}: inside it, the backup would hold itself.")
    refuse_overwrite(destination, force)
    partial = destination.with_name(destination.name + ".tmp")
    try:
        with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".districtwiki-backup-") as scratch:
            dump = Path(scratch) / database.dump_name
            manifest = write_archive(partial, database, dump, Path(media_root), tracker)
        refuse_overwrite(destination, force)  # someone may have made it meanwhile
        os.replace(partial, destination)
        sync_folder(destination.parent)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup failed ({one_line(str(error))}); no archive was written.") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupReport(destination, destination.stat().st_size, manifest)


def archive_path(destination: Path) -> Path:
    if destination.is_dir():
        return destination / f"districtwiki-backup-{timezone.now():%Y%m%dT%H%M%SZ}.tar.gz"
    if not destination.parent.is_dir():
        raise BackupError(f"the folder {destination.parent} does not exist; no archive was written.")
    return destination


def refuse_overwrite(destination: Path, force: bool) -> None:
    if destination.exists() and not force:
        raise BackupError(f"{destination} already exists; use --force to replace it.")


def write_archive(partial: Path, database, dump: Path, media_root: Path, tracker: "Tracker") -> dict:
    created_at = timezone.now()
    contents, details = database.snapshot(dump)
    database_member = f"{DATABASE_DIR}/{database.dump_name}"
    # The archive holds password hashes and e-mail addresses: readable by its owner only.
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        with tarfile.open(fileobj=file, mode="w:gz", compresslevel=6) as tar:
            writer = ArchiveWriter(tar)
            uploads = sorted(files_under(media_root))  # listed after the snapshot: see the module's docstring
            tracker.set_total(1 + len(uploads))
            writer.add_file(database_member, dump)
            tracker.advance()
            sha1s = add_uploads(writer, media_root, uploads, tracker)
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "districtwiki_version": districtwiki_version(),
                "created_at": created_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
                "database": {"vendor": database.vendor, "member": database_member, **details},
                "migrations": contents.migrations,
                "counts": contents.counts,
                "upload_files": len(sha1s),
                "uploads_missing": missing_uploads(contents.uploads, sha1s.get),
                "members": writer.members,
            }
            writer.add_manifest(manifest, int(created_at.timestamp()))
        file.flush()
        os.fsync(file.fileno())
    return manifest


def add_uploads(
    writer: ArchiveWriter, media_root: Path, uploads: list[Path], tracker: "Tracker"
) -> dict[str, str]:
    """Add the files `uploads` under `media_root`; their sha1 by name relative to it (as FileUpload.file
    stores it)."""
    sha1s = {}
    for path in uploads:
        name = path.relative_to(media_root).as_posix()
        added = writer.add_file(f"{UPLOADS_DIR}/{name}", path)
        if added is not None:
            sha1s[name] = added.hexdigest("sha1")
        tracker.advance()
    return sha1s


def files_under(folder: Path) -> Iterator[Path]:
    for parent, _, names in os.walk(folder):
        for name in names:
            path = Path(parent) / name
            if path.is_file() and not path.is_symlink():
                yield path


def sync_folder(folder: Path) -> None:
    # Makes the rename itself durable, not only the file's bytes.
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --- Verify and restore ------------------------------------------------------------------------------------


def verify_backup(archive: Path, tracker: Tracker | None = None) -> dict:
    """Read the whole archive and check every member against the manifest; the manifest. Writes nothing."""
    return read_archive(Path(archive).absolute(), stage=None, advance=(tracker or NO_PROGRESS).advance)


def restore_backup(
    archive: Path, database, media_root: Path, tracker: Tracker | None = None
) -> RestoreReport:
    """Restore `archive` into an empty `database` and `media_root`, after verifying all of it.

    Every refusal comes before anything is written. Uploads are moved into place first and the database
    last, in one transaction, so a failure of the database step can be undone by removing the new files.
    Ctrl+C is the same: before the database step it removes what was placed (KeyboardInterrupt passes
    through); once that step has begun it waits, so the restore lands whole or not at all. `tracker`
    (districtwiki.progress) counts the archive's members as they are verified and unpacked.
    """
    archive, media_root = Path(archive).absolute(), Path(media_root)
    advance = (tracker or NO_PROGRESS).advance
    try:
        refuse_unless_empty(database)
        with staging_folder(media_root) as stage:
            manifest = read_archive(archive, stage, advance)
            check_compatible(manifest, database)
            placed = place_uploads(stage / UPLOADS_DIR, media_root)
            with ctrl_c_waits():
                try:
                    database.restore(stage / member_path(manifest["database"]["member"]))
                except BaseException:
                    remove_placed(placed, media_root)
                    raise
    except BackupError as error:
        raise BackupError(f"{error} {NOTHING_CHANGED}") from None
    except OSError as error:  # e.g. no room or no permission for the staging folder
        raise BackupError(f"restore failed ({one_line(str(error))}). {NOTHING_CHANGED}") from None
    try:
        contents = database.contents()
        missing = missing_uploads(contents.uploads, lambda name: file_sha1(media_root / name))
    except KeyboardInterrupt:
        raise Interrupted(
            f"Stopped by Ctrl+C after the restore was complete: the {database} and the uploads are in place; "
            "only the closing check of the uploads against their records was skipped."
        ) from None
    return RestoreReport(archive, str(database), manifest, contents, missing)


@contextmanager
def ctrl_c_waits() -> Iterator[None]:
    """Ignore Ctrl+C during the block, which then completes or fails on its own (all or nothing).

    Only the main thread receives signals; elsewhere (a test's worker thread) this does nothing. Child
    processes (pg_restore) run in a session of their own, so the terminal's Ctrl+C does not reach them.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, lambda number, frame: None)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def refuse_unless_empty(database) -> None:
    counts = database.contents().counts
    if counts["pages"] or counts["users"]:
        held = f"{plural(counts['pages'], 'page')} and {plural(counts['users'], 'user')}"
        raise BackupError(
            f"the {database} already has {held}; restore only into an empty database "
            "(a new data dir, or a newly created PostgreSQL database)."
        )


def check_compatible(manifest: dict, database) -> None:
    vendor = manifest["database"].get("vendor")
    if vendor != database.vendor:
        raise BackupError(
            f"the archive holds a {VENDOR_NAMES.get(vendor, repr(vendor))} database but this wiki uses "
            f"{database.label}; restore it into {VENDOR_NAMES.get(vendor, 'the same kind of database')} "
            "(moving between database types is not supported)."
        )
    unknown = unknown_migrations(manifest.get("migrations", []))
    if unknown:
        raise BackupError(
            f"the archive was made by a newer districtwiki ({manifest.get('districtwiki_version')}; this is "
            f"{districtwiki_version()}, which lacks migration {unknown[0]}): upgrade districtwiki first."
        )
    database.check_can_restore(manifest["database"])


def unknown_migrations(applied: list[str]) -> list[str]:
    """Migrations of installed apps that the archive's database has and this code does not know."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    return [name for name in applied if name.split(".")[0] in loader.migrated_apps and name not in known]


@contextmanager
def staging_folder(media_root: Path) -> Iterator[Path]:
    # Beside MEDIA_ROOT, on the same disk, so that placing the uploads is a rename rather than a copy.
    parent = media_root.parent if media_root.parent.is_dir() else None
    with tempfile.TemporaryDirectory(dir=parent, prefix=".districtwiki-restore-") as folder:
        yield Path(folder)


def place_uploads(staged: Path, media_root: Path) -> list[Path]:
    """Move the verified uploads into `media_root`; the files that were not there before."""
    placed = []
    try:
        for source in sorted(files_under(staged)):
            target = media_root / source.relative_to(staged)
            existed = target.exists()
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(source, target)
            if not existed:
                placed.append(target)
    except OSError as error:
        remove_placed(placed, media_root)
        raise BackupError(f"could not place the uploads in {media_root} ({one_line(str(error))}).") from None
    except BaseException:  # Ctrl+C: the restore promises nothing changed
        remove_placed(placed, media_root)
        raise
    return placed


def remove_placed(placed: list[Path], media_root: Path) -> None:
    for path in placed:
        path.unlink(missing_ok=True)
        for folder in path.parents:
            if folder == media_root:
                break
            try:
                folder.rmdir()  # only if empty: folders that held anything before stay
            except OSError:
                break


def file_sha1(path: Path) -> str | None:
    try:
        with path.open("rb") as file:
            return hashlib.file_digest(file, "sha1").hexdigest()
    except FileNotFoundError:
        return None
