"""`districtwiki import FORMAT SOURCE …`: bring pages in from another wiki (formats.IMPORTERS)."""

from django.core.management.base import BaseCommand

from districtwiki.interchange import formats


class Command(BaseCommand):
    help = "Bring pages in from another wiki or a folder: districtwiki import FORMAT SOURCE."

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="format", required=True, metavar="FORMAT")
        for name, module in formats.importers().items():
            module.add_import_arguments(kinds.add_parser(name, help=module.IMPORT_HELP))

    def handle(self, *args, format: str, **options):
        formats.importers()[format].run_import(options, self.stdout)
