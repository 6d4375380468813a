"""`districtwiki import mediawiki FILE`: a MediaWiki XML dump (Special:Export or dumpBackup.php --full,
export format 0.10 or 0.11, plain, .gz or .bz2) with every revision, its time, author and summary.

Main, template, category and other pages become pages (a category page is the category's description);
talk pages become discussion threads on their page; File: pages bring their files in with --files; user
pages with --user-pages. Authors become placeholder accounts (authors.py). The report lists what could not
be converted. Running it again adds nothing; an interrupted run continues where it stopped.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from districtwiki import progress

from .dump import Dump
from .pages import Importer
from .report import Report

IMPORT_HELP = "a MediaWiki XML dump (.xml, .xml.gz, .xml.bz2) with full history"
DEFAULT_REPORT = "mediawiki-import-report.txt"


def add_import_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE", help="the dump: .xml, .xml.gz or .xml.bz2")
    parser.add_argument(
        "--files", metavar="DIR", type=Path, help="MediaWiki's images directory, to bring the files in"
    )
    parser.add_argument("--user-pages", action="store_true", help="also import User: pages")
    parser.add_argument(
        "--report",
        metavar="PATH",
        type=Path,
        default=Path(DEFAULT_REPORT),
        help=f"where to write the import report (default: {DEFAULT_REPORT})",
    )


def run_import(options: dict, stdout) -> Report:
    files = options.get("files")
    if files is not None and not files.is_dir():
        raise CommandError(f"--files {files} is not a directory.")
    dump = Dump(Path(options["file"]))
    report = Report(source=dump.source)
    try:
        with progress.track("Importing revisions", unit="revisions", stream=stdout) as tracker:
            Importer(dump, report, files, options.get("user_pages", False), tracker).run()
    finally:
        dump.close()
    for line in report.lines():
        stdout.write(line)
    report.write(options["report"])
    stdout.write(f"Report written to {options['report']}.")
    return report
