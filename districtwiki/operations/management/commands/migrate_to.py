from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError

from districtwiki.operations import migrate_to


class Command(BaseCommand):
    help = (
        "Move this SQLite wiki into an empty PostgreSQL database: migrate it, copy every row, verify counts "
        "and checksums, rebuild search. Stop the server first. See docs/migrate-to-postgresql.md."
    )
    requires_system_checks = []

    def create_parser(self, prog_name, subcommand, **kwargs):
        return super().create_parser(prog_name, "migrate-to", **kwargs)  # as it is typed (cli.COMMAND_NAMES)

    def add_arguments(self, parser):
        parser.add_argument(
            "url", help="the target, e.g. postgres://districtwiki:PASSWORD@127.0.0.1:5432/wiki"
        )

    def handle(self, *args, url: str, **options):
        try:
            report = migrate_to.migrate_to(url, self.say, self.stdout)
        except migrate_to.VerificationFailed as error:
            self.write_table(error.tables)
            raise CommandError(str(error)) from None
        except migrate_to.MigrateError as error:
            raise CommandError(str(error)) from None
        self.write_table(report.tables)
        self.say(f"Search index rebuilt on the target: {report.indexed_pages:,} pages indexed.")
        self.say(
            f"Done: {len(report.tables)} tables, {report.rows:,} rows copied from the {report.source} to the "
            f"{report.target}; every row count and checksum matches."
        )
        hidden = " (with the real password)" if urlsplit(url).password is not None else ""
        self.say(
            f"Next: set DATABASE_URL={migrate_to.shown_url(url)}{hidden} where the wiki runs, and start it. "
            "Uploads stay in DISTRICTWIKI_DATA_DIR/uploads."
        )

    def say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()  # progress lines, as they happen, also when the output goes to a log file

    def write_table(self, tables: list[migrate_to.TableCheck]) -> None:
        width = max([len("table"), *(len(check.table) for check in tables)])
        self.say(f"{'table':<{width}}  {'source rows':>11}  {'target rows':>11}  checksum")
        for check in tables:
            verdict = "ok" if check.ok else "DIFFERS"
            self.say(f"{check.table:<{width}}  {check.source.rows:>11,}  {check.target.rows:>11,}  {verdict}")
