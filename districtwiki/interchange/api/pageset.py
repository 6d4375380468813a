"""The pages a query is about: from `titles`, `pageids`, `revids` or a generator, with MediaWiki's
`normalized`, `redirects`, missing and invalid entries, and the per-page dicts prop modules fill in."""

from dataclasses import dataclass, field

from districtwiki.wiki.models import Page, Revision
from districtwiki.wiki.titles import InvalidTitle, normalize_title

from .errors import ApiError

NAMESPACE_NUMBERS = {"": 0, "File": 6, "Category": 14}
NAMESPACE_NAMES = {number: name for name, number in NAMESPACE_NUMBERS.items()}
MAX_REDIRECT_HOPS = 5


def namespace_number(page_or_title) -> int:
    namespace = page_or_title.namespace if isinstance(page_or_title, Page) else _prefix(page_or_title)
    return NAMESPACE_NUMBERS.get(namespace, 0)


def _prefix(title: str) -> str:
    prefix, sep, _ = title.partition(":")
    return prefix if sep and prefix in NAMESPACE_NUMBERS else ""


def page_entry(page: Page) -> dict:
    return {"pageid": page.pk, "ns": namespace_number(page), "title": page.title}


@dataclass
class PageSet:
    entries: list[dict] = field(default_factory=list)  # in output order
    pages: list[Page] = field(default_factory=list)  # live pages found, with .latest loaded
    normalized: list[dict] = field(default_factory=list)
    redirects: list[dict] = field(default_factory=list)
    bad_revids: list[int] = field(default_factory=list)
    revids: dict[int, list[int]] = field(default_factory=dict)  # page id → revision ids asked for
    by_id: dict[int, dict] = field(default_factory=dict)
    _missing_count: int = 0

    def entry_for(self, page: Page) -> dict:
        return self.by_id[page.pk]

    def add_page(self, page: Page) -> None:
        if page.pk in self.by_id:
            return
        self.pages.append(page)
        self.by_id[page.pk] = page_entry(page)
        self.entries.append(self.by_id[page.pk])

    def add_missing(self, entry: dict) -> None:
        self._missing_count += 1
        self.entries.append({**entry, "missing": True, "_key": -self._missing_count})

    def add_invalid(self, title: str, reason: str) -> None:
        self._missing_count += 1
        self.entries.append(
            {"title": title, "invalidreason": reason, "invalid": True, "_key": -self._missing_count}
        )

    def output(self, formatversion: int) -> dict | list:
        entries = [{key: value for key, value in entry.items() if key != "_key"} for entry in self.entries]
        if formatversion == 2:
            return entries
        return {
            str(entry.get("_key", entry.get("pageid"))): clean
            for entry, clean in zip(self.entries, entries, strict=True)
        }


def live_pages(titles) -> dict[str, Page]:
    found = Page.objects.live().select_related("latest").filter(title__in=list(titles))
    return {page.title: page for page in found}


def from_titles(raw_titles: list[str], follow_redirects: bool) -> PageSet:
    pageset = PageSet()
    wanted: list[str] = []
    for raw in raw_titles:
        try:
            title = normalize_title(raw)
        except InvalidTitle as error:
            pageset.add_invalid(raw, str(error))
            continue
        if title != raw:
            pageset.normalized.append({"fromencoded": False, "from": raw, "to": title})
        wanted.append(title)
    return _resolve(pageset, list(dict.fromkeys(wanted)), follow_redirects)


def _resolve(pageset: PageSet, titles: list[str], follow_redirects: bool) -> PageSet:
    found = live_pages(titles)
    if follow_redirects:
        found, titles = _follow(pageset, found, titles)
    for title in titles:
        page = found.get(title)
        if page is None:
            pageset.add_missing({"ns": namespace_number(title), "title": title})
        else:
            pageset.add_page(page)
    return pageset


def _follow(pageset: PageSet, found: dict[str, Page], titles: list[str]):
    """Replace redirects by their targets, hop by hop (a bounded number of hops, one query each)."""
    for _ in range(MAX_REDIRECT_HOPS):
        hops = {
            title: page.redirect_to for title, page in found.items() if page.redirect_to and title in titles
        }
        if not hops:
            break
        targets = live_pages(hops.values())
        for source, target in hops.items():
            pageset.redirects.append({"from": source, "to": target})
            titles = [target if title == source else title for title in titles]
            del found[source]
        found.update(targets)
        titles = list(dict.fromkeys(titles))
    return found, titles


def from_pageids(raw_ids: list[str], follow_redirects: bool) -> PageSet:
    ids = []
    for raw in raw_ids:
        if not raw.isdigit() or len(raw) > 18:
            raise ApiError("badinteger", f'Invalid value "{raw[:100]}" for integer parameter "pageids".')
        ids.append(int(raw))
    found = {page.pk: page for page in Page.objects.live().select_related("latest").filter(pk__in=ids)}
    pageset = PageSet()
    titles = []
    for pageid in dict.fromkeys(ids):
        if pageid in found:
            titles.append(found[pageid].title)
        else:
            pageset.add_missing({"pageid": pageid})
    return _resolve(pageset, titles, follow_redirects)


def from_revids(raw_ids: list[str]) -> PageSet:
    ids = []
    for raw in raw_ids:
        if not raw.isdigit() or len(raw) > 18:
            raise ApiError("badinteger", f'Invalid value "{raw[:100]}" for integer parameter "revids".')
        ids.append(int(raw))
    revisions = dict(
        Revision.objects.filter(pk__in=ids, page__deleted_at__isnull=True).values_list("pk", "page_id")
    )
    pageset = PageSet()
    pages = {
        page.pk: page for page in Page.objects.select_related("latest").filter(pk__in=set(revisions.values()))
    }
    for revid in dict.fromkeys(ids):
        if revid not in revisions:
            pageset.bad_revids.append(revid)
            continue
        page = pages[revisions[revid]]
        pageset.add_page(page)
        pageset.revids.setdefault(page.pk, []).append(revid)
    return pageset


def from_generator(titles: list[str], follow_redirects: bool) -> PageSet:
    """Pages a generator produced, in its order (its titles are already canonical)."""
    return _resolve(PageSet(), list(dict.fromkeys(titles)), follow_redirects)
