"""`districtwiki export FORMAT TARGET …`: write the wiki out in another format (formats.EXPORTERS)."""

from django.core.management.base import BaseCommand

from districtwiki.interchange import formats


class Command(BaseCommand):
    help = "Write the wiki out for another wiki or for reading offline: districtwiki export FORMAT TARGET."

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="format", required=True, metavar="FORMAT")
        for name, module in formats.exporters().items():
            module.add_export_arguments(kinds.add_parser(name, help=module.EXPORT_HELP))

    def handle(self, *args, format: str, **options):
        formats.exporters()[format].run_export(options, self.stdout)
