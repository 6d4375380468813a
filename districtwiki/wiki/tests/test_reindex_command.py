from io import StringIO

from django.core.management import call_command

from districtwiki.wiki import search
from districtwiki.wiki.models import Page


def test_reindex_restores_a_cleared_index(make_page):
    make_page("Firewall rules", "Keep the firewall current.")
    make_page("Old name", "#REDIRECT [[Firewall rules]]")
    page = Page.objects.get(title="Firewall rules")
    search.unindex_page(page)
    assert search.search_pages("firewall").total == 0
    out = StringIO()
    call_command("reindex", stdout=out)
    assert out.getvalue().strip() == "Indexed 1 pages."
    assert [hit.title for hit in search.search_pages("firewall").hits] == ["Firewall rules"]
