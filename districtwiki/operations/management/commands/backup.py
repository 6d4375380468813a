from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from districtwiki import progress
from districtwiki.operations import backup

STOPPED = "no archive was written (the partial .tmp file was removed); run the command again."


class Command(BaseCommand):
    help = (
        "Write one backup archive (.tar.gz): a consistent database snapshot, every upload and a manifest. "
        "Safe while the wiki is running. See docs/backup.md."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive to write, or a folder to write a dated archive into")
        parser.add_argument("--force", action="store_true", help="replace FILE if it already exists")

    def handle(self, *args, file: str, force: bool, **options):
        try:
            with progress.track(
                "Backing up", unit="files", stream=self.stdout, stopped_note=STOPPED, done_verb="Archived"
            ) as bar:
                report = backup.create_backup(
                    Path(file), backup.configured_database(), Path(settings.MEDIA_ROOT), force, bar
                )
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(report.summary())
        if report.warning():
            self.stderr.write(report.warning())
