"""Page tabs that features add to the core's (Read, Edit, History, Page info, …), with the count a tab may
show, such as a discussion's open threads.

The wiki core knows nothing of the features built on it. A feature registers its tab once, in its
AppConfig.ready() (`register_page_tab(PageTab(...))`); the page templates show every registered tab after
History, in the order they were registered. A tab's count is computed by the page view with the view's other
shared parts and cached with them under the page's view stamp (views/pages.py current_parts), so a feature
whose count changes must move the stamp on (pagecache.touch_pages, watch_fields).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from .models import Page


@dataclass(frozen=True)
class PageTab:
    name: str  # the `tab` value of the templates that mark it as the current tab
    label: str
    path: str  # the tab links to /<path>/<Title>
    count: Callable[[Page], int] | None = None  # one query at most: it runs on page views the cache misses
    count_label: str = "{}"  # how a count above zero is shown after the label, e.g. "{} open"


_tabs: dict[str, PageTab] = {}


def register_page_tab(tab: PageTab) -> None:
    """Add (or replace, by name) a feature's tab on every page."""
    _tabs[tab.name] = tab


def unregister_page_tab(name: str) -> None:
    _tabs.pop(name, None)


def page_tabs() -> list[PageTab]:
    return list(_tabs.values())


def tab_counts(page: Page) -> dict[str, int]:
    """Each counting tab's count for `page`, by tab name."""
    return {tab.name: tab.count(page) for tab in _tabs.values() if tab.count is not None}


class ShownTab(NamedTuple):
    label: str
    url: str
    current: bool
    count: str  # "" when there is nothing to count


def shown_tabs(page: Page, current: str, counts: dict[str, int] | None) -> list[ShownTab]:
    """The feature tabs as one template shows them: `counts` when the view computed them, else none."""
    counts = counts or {}
    return [
        ShownTab(
            tab.label,
            f"/{tab.path}/{page.url_title}",
            tab.name == current,
            tab.count_label.format(counts[tab.name]) if counts.get(tab.name) else "",
        )
        for tab in _tabs.values()
    ]
