"""Backup and restore: a round trip brings the whole wiki back; a damaged archive changes nothing.

Runs on whichever database the suite runs on. The backup reads the live database from another connection,
so the tests commit their data (transactional tests). Restores go into a second, empty site: a SQLite file
or a PostgreSQL database made for the test and dropped after it.
"""

import hashlib
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tarfile
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import time_machine
from django.contrib.auth.hashers import check_password
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from PIL import Image

from conftest import PASSWORD, make_user
from districtwiki import progress
from districtwiki.accounts.models import User
from districtwiki.content.models import StarterPage
from districtwiki.operations import backup
from districtwiki.operations.databases import PostgresDatabase, SqliteDatabase, find_tool
from districtwiki.wiki import actions, search
from districtwiki.wiki.models import FileUpload, Page, Revision
from districtwiki.wiki.uploads import upload_file

pytestmark = pytest.mark.django_db(transaction=True)


@dataclass
class Site:
    database: SqliteDatabase | PostgresDatabase
    media_root: Path


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def wiki(make_page, media_root):
    """Three accounts, a page with two revisions, a starter page, an image and a text upload."""
    alice, bob = make_user("alice"), make_user("bob", role="trusted")
    first = make_page("Network basics", "Switches and **devices**.", author=alice)
    make_page("Network basics", "Switches, routers and **devices**. [[E-Rate]]", author=bob,
              base_revision=first.revision.pk)  # fmt: skip
    starter = make_page("E-Rate", "Apply for **E-Rate** every year.")
    StarterPage.objects.create(
        page=starter.page,
        loaded_text=starter.revision.text,
        loaded_sha1=starter.revision.sha1,
        loaded_revision=starter.revision,
    )
    upload_file("Diagram.png", ContentFile(png_bytes(), name="Diagram.png"), alice)
    upload_file("Notes.txt", ContentFile(b"closet 2: switch\n", name="Notes.txt"), alice)


def configured_site(settings) -> Site:
    return Site(backup.configured_database(), Path(settings.MEDIA_ROOT))


@pytest.fixture
def archive(wiki, settings, tmp_path) -> Path:
    site = configured_site(settings)
    return backup.create_backup(tmp_path / "wiki.tar.gz", site.database, site.media_root).path


def postgres_admin_run(sql: str) -> None:
    params = connection.settings_dict
    with psycopg.connect(
        dbname="postgres", user=params["USER"] or None, password=params["PASSWORD"] or None,
        host=params["HOST"] or None, port=params["PORT"] or None, autocommit=True,
    ) as admin:  # fmt: skip
        admin.execute(sql)


@pytest.fixture
def empty_site(tmp_path):
    """A second site with nothing in it, on the suite's kind of database."""
    folder = tmp_path / "restored"
    folder.mkdir()
    if connection.vendor == "sqlite":
        yield Site(SqliteDatabase(folder / "districtwiki.sqlite3"), folder / "uploads")
        return
    name = f"districtwiki_restore_{uuid.uuid4().hex[:12]}"
    postgres_admin_run(f'CREATE DATABASE "{name}"')
    try:
        yield Site(PostgresDatabase({**connection.settings_dict, "NAME": name}), folder / "uploads")
    finally:
        postgres_admin_run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def restore(archive: Path, site: Site) -> backup.RestoreReport:
    return backup.restore_backup(archive, site.database, site.media_root)


def stored_files(folder: Path) -> list[Path]:
    return sorted(backup.files_under(folder))


def assert_nothing_written(site: Site) -> None:
    assert site.database.contents().counts == {"pages": 0, "revisions": 0, "users": 0, "uploads": 0}
    if isinstance(site.database, SqliteDatabase):
        assert not site.database.path.exists()
    else:
        assert site.database.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'") == []
    assert stored_files(site.media_root) == []
    assert [p.name for p in site.media_root.parent.iterdir() if p.name.startswith(".districtwiki")] == []


def refusal(archive: Path, site: Site) -> str:
    with pytest.raises(backup.BackupError) as refused:
        restore(archive, site)
    message = str(refused.value)
    assert "\n" not in message
    assert message.endswith("Nothing was changed.")
    return message


def repack(archive: Path, change) -> Path:
    """A copy of `archive` whose members (name → bytes) `change` has edited, in a well-formed .tar.gz."""
    with tarfile.open(archive, "r:gz") as tar:
        members = {member.name: tar.extractfile(member).read() for member in tar}
    change(members)
    tampered = archive.with_name("tampered.tar.gz")
    with tarfile.open(tampered, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return tampered


def edit_manifest(edit):
    def change(members):
        manifest = json.loads(members["manifest.json"])
        edit(manifest)
        members["manifest.json"] = json.dumps(manifest).encode()

    return change


def upload_member(members) -> str:
    return next(name for name in members if name.endswith("Notes.txt"))


def search_index_ids(site: Site, word: str) -> list[int]:
    # Joined with the pages: the suite's flush between tests empties the pages but not the index table.
    if connection.vendor == "sqlite":
        match = f"wiki_page.id = wiki_search_index.rowid WHERE wiki_search_index MATCH '{word}'"
    else:
        match = f"wiki_page.id = wiki_search_index.page_id WHERE document @@ plainto_tsquery('{word}')"
    rows = site.database.query(f"SELECT wiki_page.id FROM wiki_search_index JOIN wiki_page ON {match}")
    return [page_id for (page_id,) in rows]


# --- The round trip ----------------------------------------------------------------------------------------


def test_restore_brings_back_every_page_and_revision_with_text_and_html(archive, empty_site):
    restore(archive, empty_site)

    pages = [(p.pk, p.title, p.latest_id) for p in Page.objects.order_by("pk")]
    assert empty_site.database.query("SELECT id, title, latest_id FROM wiki_page ORDER BY id") == pages
    revisions = list(Revision.objects.order_by("pk").values_list("pk", "page_id", "text", "html", "sha1"))
    restored = "SELECT id, page_id, text, html, sha1 FROM wiki_revision ORDER BY id"
    assert empty_site.database.query(restored) == revisions
    assert len(revisions) == 5  # two of Network basics, E-Rate, and the two file pages


def test_restored_accounts_sign_in_with_their_passwords(archive, empty_site):
    restore(archive, empty_site)

    accounts = dict(empty_site.database.query("SELECT username, password FROM accounts_user"))
    assert set(accounts) == {"alice", "bob", "page-maker"}
    assert check_password(PASSWORD, accounts["alice"])
    assert not check_password("wrong password", accounts["alice"])


def test_restored_uploads_are_byte_identical_and_match_their_sha1(archive, empty_site, media_root):
    restore(archive, empty_site)

    rows = empty_site.database.query("SELECT file, sha1 FROM wiki_fileupload ORDER BY id")
    assert len(rows) == 2
    for name, sha1 in rows:
        restored = (empty_site.media_root / name).read_bytes()
        assert restored == (media_root / name).read_bytes()
        assert hashlib.sha1(restored).hexdigest() == sha1


def test_restored_starter_page_records_point_at_their_revisions(archive, empty_site):
    restore(archive, empty_site)

    starter = StarterPage.objects.get()
    restored = empty_site.database.query(
        "SELECT p.title, s.loaded_sha1, s.loaded_revision_id FROM content_starterpage s "
        "JOIN wiki_page p ON p.id = s.page_id"
    )
    assert restored == [("E-Rate", starter.loaded_sha1, starter.loaded_revision_id)]


def test_restored_search_index_finds_pages(archive, empty_site):
    restore(archive, empty_site)

    assert search_index_ids(empty_site, "routers") == [Page.objects.get(title="Network basics").pk]


def test_manifest_counts_match_the_restored_database(archive, empty_site):
    report = restore(archive, empty_site)

    expected = {"pages": 4, "revisions": 5, "users": 3, "uploads": 2}
    assert report.manifest["counts"] == expected
    assert empty_site.database.contents().counts == expected
    assert report.missing == []


def test_manifest_records_format_version_vendor_time_and_every_members_checksum(wiki, settings, tmp_path):
    site = configured_site(settings)
    with time_machine.travel(datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC), tick=False):
        report = backup.create_backup(tmp_path / "wiki.tar.gz", site.database, site.media_root)

    manifest = report.manifest
    assert manifest["format"] == "districtwiki-backup"
    assert manifest["format_version"] == 1
    assert manifest["districtwiki_version"] == backup.districtwiki_version()
    assert manifest["created_at"] == "2026-05-04T03:02:01Z"
    assert manifest["database"]["vendor"] == connection.vendor
    with tarfile.open(report.path, "r:gz") as tar:
        contents = {m.name: tar.extractfile(m).read() for m in tar if m.name != "manifest.json"}
    assert set(manifest["members"]) == set(contents)
    assert len([name for name in contents if name.startswith("uploads/")]) == 2
    for name, data in contents.items():
        assert manifest["members"][name] == {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def test_restore_command_brings_a_flushed_site_back(archive, media_root):
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root)
    output = io.StringIO()

    call_command("restore", str(archive), stdout=output)

    progress_line, summary = output.getvalue().splitlines()
    assert re.fullmatch(r"Read: 3 files in \d+ s \([\d,]+/s\)\.", progress_line)
    assert summary.startswith(f"Restored {archive} (made ")
    assert summary.endswith(": 4 pages, 5 revisions, 3 users, 2 uploads.")
    assert User.objects.get(username="alice").check_password(PASSWORD)
    assert Page.objects.get(title="Network basics").latest.text.startswith("Switches, routers")
    assert [hit.title for hit in search.search_pages("routers").hits] == ["Network basics"]
    for upload in FileUpload.objects.all():
        assert hashlib.sha1((media_root / upload.file.name).read_bytes()).hexdigest() == upload.sha1


# --- Backing up while the wiki is busy ---------------------------------------------------------------------


class BusyEditor(threading.Thread):
    """Keeps saving pages on its own database connection until told to stop."""

    def __init__(self, author):
        super().__init__(daemon=True)
        self.author, self.saves, self.error = author, 0, None
        self.stop, self.progress = threading.Event(), threading.Condition()

    def run(self):
        try:
            while not self.stop.is_set():
                actions.save_revision(f"Busy page {self.saves}", "Saved while a backup runs.", self.author)
                with self.progress:
                    self.saves += 1
                    self.progress.notify_all()
        except Exception as error:  # reported by the test, which would otherwise wait in vain
            self.error = error
            with self.progress:
                self.progress.notify_all()
        finally:
            connection.close()

    def wait_for(self, saves: int) -> None:
        with self.progress:
            assert self.progress.wait_for(lambda: self.saves >= saves or self.error, timeout=60)
        assert self.error is None, self.error


def test_backup_while_pages_are_saved_is_consistent_and_restores(wiki, settings, tmp_path, empty_site):
    editor = BusyEditor(make_user("busy", role="admin"))  # admins are not rate-limited
    editor.start()
    try:
        editor.wait_for(3)
        site = configured_site(settings)
        report = backup.create_backup(tmp_path / "busy.tar.gz", site.database, site.media_root)
        editor.wait_for(editor.saves + 3)
    finally:
        editor.stop.set()
        editor.join(timeout=60)
    assert editor.error is None

    if connection.vendor == "sqlite":
        with tarfile.open(report.path, "r:gz") as tar:
            tar.extract("database/districtwiki.sqlite3", tmp_path / "unpacked", filter="data")
        snapshot = sqlite3.connect(tmp_path / "unpacked" / "database" / "districtwiki.sqlite3")
        assert snapshot.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        snapshot.close()
    restored = restore(report.path, empty_site)
    assert restored.contents.counts == report.manifest["counts"]
    assert 5 + 3 <= report.manifest["counts"]["revisions"] < Revision.objects.count()


# --- The backup command ------------------------------------------------------------------------------------


def test_backup_command_counts_files_then_prints_one_line_with_path_size_and_counts(wiki, tmp_path):
    output = io.StringIO()
    call_command("backup", str(tmp_path / "wiki.tar.gz"), stdout=output)

    progress_line, line = output.getvalue().splitlines()
    # The database and 2 uploads:
    assert re.fullmatch(r"Archived: 3 files in \d+ s \([\d,]+/s\)\.", progress_line)
    assert line.startswith(f"Wrote {tmp_path / 'wiki.tar.gz'} (")
    assert " KB): 4 pages, 5 revisions, 3 users, 2 uploads (2 files under uploads/)." in line


def test_backup_refuses_to_overwrite_an_existing_file_without_force(wiki, tmp_path):
    existing = tmp_path / "wiki.tar.gz"
    existing.write_bytes(b"an older backup")

    with pytest.raises(CommandError) as refused:
        call_command("backup", str(existing))

    assert str(refused.value) == f"{existing} already exists; use --force to replace it."
    assert existing.read_bytes() == b"an older backup"


def test_backup_with_force_replaces_an_existing_file(wiki, tmp_path):
    existing = tmp_path / "wiki.tar.gz"
    existing.write_bytes(b"an older backup")

    call_command("backup", str(existing), "--force", stdout=io.StringIO())

    assert backup.verify_backup(existing)["counts"]["pages"] == 4


def test_backup_into_a_folder_names_the_archive_by_its_time(wiki, tmp_path):
    with time_machine.travel(datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC), tick=False):
        call_command("backup", str(tmp_path), stdout=io.StringIO())

    assert (tmp_path / "districtwiki-backup-20260504T030201Z.tar.gz").is_file()


def test_backup_archive_is_readable_by_its_owner_only(archive):
    assert archive.stat().st_mode & 0o777 == 0o600


def test_backup_into_a_missing_folder_is_refused(wiki, tmp_path):
    target = tmp_path / "no such folder" / "wiki.tar.gz"

    with pytest.raises(CommandError) as refused:
        call_command("backup", str(target))

    assert str(refused.value) == f"the folder {target.parent} does not exist; no archive was written."


def test_backup_into_the_uploads_folder_is_refused(wiki, media_root):
    with pytest.raises(CommandError) as refused:
        call_command("backup", str(media_root / "wiki.tar.gz"))

    assert str(refused.value).startswith(f"write the archive outside {media_root}: inside it")
    assert not (media_root / "wiki.tar.gz").exists()


def test_interrupted_backup_leaves_no_file_that_looks_complete(wiki, settings, tmp_path, monkeypatch):
    def disk_full(writer, media_root, uploads, tracker):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup, "add_uploads", disk_full)
    site = configured_site(settings)

    with pytest.raises(backup.BackupError) as failed:
        backup.create_backup(tmp_path / "wiki.tar.gz", site.database, site.media_root)

    assert str(failed.value) == "backup failed ([Errno 28] No space left on device); no archive was written."
    assert sorted(path.name for path in tmp_path.iterdir()) == ["media"]


def test_upload_missing_from_media_root_is_reported(wiki, media_root, tmp_path):
    notes = next(path for path in stored_files(media_root) if path.name == "Notes.txt")
    notes.unlink()
    output, errors = io.StringIO(), io.StringIO()

    call_command("backup", str(tmp_path / "wiki.tar.gz"), stdout=output, stderr=errors)

    manifest = backup.verify_backup(tmp_path / "wiki.tar.gz")
    assert manifest["uploads_missing"] == [notes.relative_to(media_root).as_posix()]
    assert errors.getvalue().startswith("Warning: 1 upload missing or damaged in MEDIA_ROOT")


# --- Verifying without restoring ---------------------------------------------------------------------------


def test_check_verifies_the_archive_and_restores_nothing(archive, empty_site, monkeypatch):
    output = io.StringIO()

    call_command("restore", "--check", str(archive), stdout=output)

    vendor = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL"
    progress_line, summary = output.getvalue().splitlines()
    assert re.fullmatch(r"Read: 3 files in \d+ s \([\d,]+/s\)\.", progress_line)
    assert summary.startswith(f"{archive} is a complete districtwiki backup (made ")
    assert f", {vendor}): 4 pages, 5 revisions, 3 users, 2 uploads; 3 members verified." in output.getvalue()
    assert_nothing_written(empty_site)


def test_check_refuses_a_damaged_archive(archive):
    tampered = repack(archive, lambda members: members.update({upload_member(members): b"changed"}))

    with pytest.raises(CommandError) as refused:
        call_command("restore", "--check", str(tampered))

    assert "does not match its sha256 in the manifest" in str(refused.value)


def test_cli_error_is_one_line_on_stderr_with_a_nonzero_exit(tmp_path):
    missing = tmp_path / "missing.tar.gz"
    done = subprocess.run(
        [sys.executable, "-m", "districtwiki.cli", "restore", "--check", str(missing)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert done.returncode != 0
    assert done.stderr == f"CommandError: {missing}: no such file.\n"
    assert done.stdout == ""


# --- Refusals: each changes nothing ------------------------------------------------------------------------


def test_archive_with_a_flipped_byte_is_refused(archive, empty_site):
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    archive.write_bytes(bytes(data))

    message = refusal(archive, empty_site)

    assert "damaged" in message or "incomplete" in message
    assert_nothing_written(empty_site)


def test_truncated_archive_is_refused(archive, empty_site):
    archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])

    message = refusal(archive, empty_site)

    assert message.startswith(f"{archive} is damaged or incomplete (")
    assert_nothing_written(empty_site)


def test_member_changed_after_the_backup_is_refused(archive, empty_site):
    tampered = repack(archive, lambda members: members.update({upload_member(members): b"closet 3\n"}))

    message = refusal(tampered, empty_site)

    assert "does not match its sha256 in the manifest" in message
    assert_nothing_written(empty_site)


def test_manifest_with_a_wrong_checksum_is_refused(archive, empty_site):
    def wrong_checksum(manifest):
        manifest["members"]["database/" + backup.configured_database().dump_name]["sha256"] = "0" * 64

    message = refusal(repack(archive, edit_manifest(wrong_checksum)), empty_site)

    assert f"'database/{backup.configured_database().dump_name}' does not match its sha256" in message
    assert_nothing_written(empty_site)


def test_member_reaching_outside_the_target_is_refused(archive, empty_site, tmp_path):
    message = refusal(repack(archive, lambda members: members.update({"../evil": b"x"})), empty_site)

    assert message == "the archive holds an unsafe member '../evil' (absolute, or reaching outside). " + (
        "Nothing was changed."
    )
    assert not (tmp_path / "evil").exists()
    assert_nothing_written(empty_site)


def test_member_with_an_absolute_path_is_refused(archive, empty_site, tmp_path):
    evil = tmp_path / "evil"
    message = refusal(repack(archive, lambda members: members.update({str(evil): b"x"})), empty_site)

    assert f"unsafe member '{evil}'" in message
    assert not evil.exists()
    assert_nothing_written(empty_site)


def test_member_the_manifest_does_not_list_is_refused(archive, empty_site):
    extra = repack(archive, lambda members: members.update({"uploads/files/extra.txt": b"x"}))

    message = refusal(extra, empty_site)

    assert "holds 'uploads/files/extra.txt', which its manifest does not list" in message
    assert_nothing_written(empty_site)


def test_member_missing_from_the_archive_is_refused(archive, empty_site):
    message = refusal(repack(archive, lambda members: members.pop(upload_member(members))), empty_site)

    assert "is incomplete:" in message
    assert "Notes.txt', listed in its manifest, is missing" in message
    assert_nothing_written(empty_site)


def test_missing_archive_file_is_refused(tmp_path, empty_site):
    missing = tmp_path / "missing.tar.gz"

    assert refusal(missing, empty_site) == f"{missing}: no such file. Nothing was changed."
    assert_nothing_written(empty_site)


def test_file_that_is_not_a_backup_is_refused(tmp_path, empty_site):
    other = tmp_path / "photos.tar.gz"
    with tarfile.open(other, "w:gz") as tar:
        tar.addfile(tarfile.TarInfo("uploads/photo.jpg"), io.BytesIO(b""))

    message = refusal(other, empty_site)

    assert message.startswith(f"{other} has no manifest.json: it is incomplete, or not a districtwiki backup")
    assert_nothing_written(empty_site)


def test_unknown_format_version_is_refused(archive, empty_site):
    newer = repack(archive, edit_manifest(lambda manifest: manifest.update(format_version=2)))

    message = refusal(newer, empty_site)

    assert "is backup format version 2; this districtwiki reads version 1" in message
    assert_nothing_written(empty_site)


def test_archive_of_the_other_kind_of_database_is_refused(archive, empty_site):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    swapped = repack(archive, edit_manifest(lambda manifest: manifest["database"].update(vendor=other)))

    message = refusal(swapped, empty_site)

    assert "restore it into" in message
    assert "(moving between database types is not supported)" in message
    assert_nothing_written(empty_site)


def test_archive_from_a_newer_districtwiki_is_refused(archive, empty_site):
    newer = repack(archive, edit_manifest(lambda manifest: manifest["migrations"].append("wiki.9999_future")))

    message = refusal(newer, empty_site)

    assert "lacks migration wiki.9999_future): upgrade districtwiki first" in message
    assert_nothing_written(empty_site)


def test_restore_into_a_database_with_pages_is_refused(archive, media_root):
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(archive))

    assert "already has 4 pages and 3 users; restore only into an empty database" in str(refused.value)
    assert Page.objects.count() == 4


def test_failed_database_step_leaves_no_uploads_behind(archive, empty_site, monkeypatch):
    def refuse(dump):
        raise backup.BackupError("pg_restore failed: out of disk.")

    monkeypatch.setattr(empty_site.database, "restore", refuse)

    assert refusal(archive, empty_site) == "pg_restore failed: out of disk. Nothing was changed."
    assert_nothing_written(empty_site)


def test_missing_postgres_tool_says_what_to_install():
    with pytest.raises(backup.BackupError) as missing:
        find_tool("pg_dump-that-is-not-installed", server_major=15)

    assert str(missing.value) == (
        "pg_dump-that-is-not-installed was not found: install the PostgreSQL client tools "
        "(postgresql-client-15 on Debian and Ubuntu)."
    )


# --- Progress and Ctrl+C -----------------------------------------------------------------------------------


def interrupt_at(monkeypatch, count: int) -> None:
    """Ctrl+C, as the terminal delivers it, once a tracked job has counted `count` items."""
    advance = progress.Tracker.advance

    def advance_or_stop(tracker, amount=1):
        if tracker.done >= count:
            raise KeyboardInterrupt
        advance(tracker, amount)

    monkeypatch.setattr(progress.Tracker, "advance", advance_or_stop)


def test_backup_shows_plain_progress_lines_counting_files(wiki, tmp_path, monkeypatch):
    monkeypatch.setattr(progress, "PLAIN_INTERVAL", 0.0)  # a line at every file
    output = io.StringIO()
    call_command("backup", str(tmp_path / "wiki.tar.gz"), stdout=output)

    lines = output.getvalue().splitlines()
    assert [line.split(" (")[0] for line in lines[:3]] == [f"Backing up: {n} of 3 files" for n in (1, 2, 3)]
    assert lines[3].startswith("Archived: 3 files in ")
    assert lines[4].startswith("Wrote ")


def test_ctrl_c_during_backup_exits_130_and_leaves_no_archive(wiki, tmp_path, monkeypatch):
    interrupt_at(monkeypatch, 1)  # the database is in the archive, the uploads are not
    output = io.StringIO()
    with pytest.raises(progress.Interrupted) as stopped:
        call_command("backup", str(tmp_path / "wiki.tar.gz"), stdout=output)

    assert stopped.value.returncode == 130
    assert re.fullmatch(
        r"Stopped by Ctrl\+C: backing up stopped after 1 file in \d+ s \([\d,]+/s\); no archive was "
        r"written \(the partial \.tmp file was removed\); run the command again\.",
        str(stopped.value),
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["media"]
    assert output.getvalue() == ""


def test_ctrl_c_while_a_restore_unpacks_changes_nothing(archive, media_root, monkeypatch):
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root)
    interrupt_at(monkeypatch, 2)
    with pytest.raises(progress.Interrupted) as stopped:
        call_command("restore", str(archive), stdout=io.StringIO())

    assert stopped.value.returncode == 130
    message = str(stopped.value)
    assert message.startswith("Stopped by Ctrl+C: verifying and unpacking the archive stopped after 2 files")
    assert message.endswith("; nothing was changed; run the command again.")
    assert (Page.objects.count(), User.objects.count()) == (0, 0)
    assert not media_root.exists() or stored_files(media_root) == []
    assert [p.name for p in media_root.parent.iterdir() if p.name.startswith(".districtwiki")] == []


def test_ctrl_c_while_uploads_are_placed_removes_them_again(archive, empty_site, monkeypatch):
    move = shutil.move
    moved = []

    def move_then_stop(source, target):
        if moved:
            raise KeyboardInterrupt
        moved.append(move(source, target))

    monkeypatch.setattr(shutil, "move", move_then_stop)
    with pytest.raises(KeyboardInterrupt):
        restore(archive, empty_site)

    assert len(moved) == 1
    assert_nothing_written(empty_site)


def test_ctrl_c_during_the_database_step_waits_and_the_restore_lands_whole(archive, empty_site, monkeypatch):
    restore_database = empty_site.database.restore

    def restore_and_press_ctrl_c(dump):
        os.kill(os.getpid(), signal.SIGINT)  # handled (ignored) before the step is over
        restore_database(dump)

    monkeypatch.setattr(empty_site.database, "restore", restore_and_press_ctrl_c)
    report = restore(archive, empty_site)

    assert report.contents.counts == {"pages": 4, "revisions": 5, "users": 3, "uploads": 2}
    assert len(stored_files(empty_site.media_root)) == 2
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_after_the_database_step_says_the_restore_is_complete(archive, empty_site, monkeypatch):
    def stop(rows, sha1_of):
        raise KeyboardInterrupt

    monkeypatch.setattr(backup, "missing_uploads", stop)
    with pytest.raises(progress.Interrupted) as stopped:
        restore(archive, empty_site)

    assert stopped.value.returncode == 130
    assert str(stopped.value) == (
        f"Stopped by Ctrl+C after the restore was complete: the {empty_site.database} and the uploads are in "
        "place; only the closing check of the uploads against their records was skipped."
    )
    assert empty_site.database.contents().counts == {"pages": 4, "revisions": 5, "users": 3, "uploads": 2}
    assert len(stored_files(empty_site.media_root)) == 2
