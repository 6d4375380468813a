from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from districtwiki import progress
from districtwiki.operations import backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty database and data dir, after verifying all of it; "
        "--check only verifies. See docs/backup.md."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive written by `districtwiki backup`")
        parser.add_argument("--check", action="store_true", help="verify the archive, restore nothing")

    def handle(self, *args, file: str, check: bool, **options):
        try:
            if check:
                with self.tracking("Verifying the archive", "the archive was not fully checked.") as bar:
                    manifest = backup.verify_backup(Path(file), bar)
                self.stdout.write(backup.check_summary(Path(file).absolute(), manifest))
                return
            # The restore writes underneath Django: no connection of ours may hold the old state open.
            connections.close_all()
            database, media_root = backup.configured_database(), Path(settings.MEDIA_ROOT)
            stopped = f"{backup.NOTHING_CHANGED[:-1].lower()}; run the command again."
            with self.tracking("Verifying and unpacking the archive", stopped) as bar:
                report = backup.restore_backup(Path(file), database, media_root, bar)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        finally:
            connections.close_all()
        self.stdout.write(report.summary())
        if report.warning():
            self.stderr.write(report.warning())

    def tracking(self, label: str, stopped: str):
        # The count is of archive members (the database and each upload); the total is in the manifest,
        # which comes last, so the line gives the count and the rate.
        return progress.track(label, unit="files", stream=self.stdout, stopped_note=stopped, done_verb="Read")
