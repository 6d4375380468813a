from django.core.management.base import BaseCommand

from districtwiki.wiki import search


class Command(BaseCommand):
    help = "Rebuild the full-text search index from every live page's latest revision."

    def handle(self, *args, **options):
        count = search.rebuild_index()
        self.stdout.write(f"Indexed {count} pages.")
