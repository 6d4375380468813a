"""Where an export is written: a folder (or a .zip) that appears whole or not at all.

The export is written into a staging folder beside the target and renamed into place at the end, so an
error or Ctrl+C leaves nothing half-written. A target that exists and is not empty is refused; with
`--force` it is replaced, but only when it is an earlier districtwiki export (it holds MARKER), so that a
mistyped path never deletes someone's own folder.
"""

import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

from districtwiki import progress

MARKER = ".districtwiki-export"


def check_folder(target: Path, force: bool) -> None:
    if not target.parent.is_dir():
        raise CommandError(f"The folder {target.parent} does not exist: create it first.")
    if target.exists() and not target.is_dir():
        raise CommandError(f"{target} exists and is not a folder: choose a new folder.")
    if target.is_dir() and any(target.iterdir()):
        if not force:
            raise CommandError(
                f"{target} is not empty: choose a new folder, or add --force to replace an earlier export."
            )
        if not (target / MARKER).is_file():
            raise CommandError(
                f"{target} is not empty and is not an earlier districtwiki export, "
                "so --force leaves it alone."
            )


def check_zip(target: Path, force: bool) -> None:
    if not target.parent.is_dir():
        raise CommandError(f"The folder {target.parent} does not exist: create it first.")
    if target.exists() and (target.is_dir() or not force):
        raise CommandError(f"{target} already exists: choose a new name, or add --force to replace the file.")


@contextmanager
def staged(target: Path, force: bool, kind: str) -> Iterator[Path]:
    """A fresh folder to write the export into; on success it becomes `target` (a folder or a .zip)."""
    as_zip = target.suffix.lower() == ".zip"
    (check_zip if as_zip else check_folder)(target, force)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    try:
        try:
            yield staging
        except progress.Interrupted:
            # The job's own line says work is kept; an export keeps nothing, so say what is true.
            raise progress.Interrupted(
                f"Stopped by Ctrl+C: nothing was written to {target}; run the export again to make it."
            ) from None
        (staging / MARKER).write_text(
            json.dumps({"format": kind, "written": timezone.now().isoformat()}) + "\n", encoding="utf-8"
        )
        if as_zip:
            _zip_into_place(staging, target)
        else:
            _rename_into_place(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _rename_into_place(staging: Path, target: Path) -> None:
    if not target.exists():
        staging.rename(target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _zip_into_place(staging: Path, target: Path) -> None:
    handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(staging.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(staging).as_posix())
        os.replace(partial, target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
