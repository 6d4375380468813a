from django.core.management.base import BaseCommand

from districtwiki import progress
from districtwiki.wiki import search

# The index is rebuilt in one transaction: Ctrl+C rolls it back, so the old index stays whole.
STOPPED = "the search index was left as it was before; run the command again to rebuild it."


class Command(BaseCommand):
    help = "Rebuild the full-text search index from every live page's latest revision."

    def handle(self, *args, **options):
        tracking = progress.track("Reindexing pages", unit="pages", stream=self.stdout, stopped_note=STOPPED)
        with tracking as bar:
            bar.set_total(search.articles_to_index().count())
            count = search.rebuild_index(bar.advance)
        # migrate-to reads this line from the child process it runs reindex in.
        self.stdout.write(f"Indexed {count} pages.")
