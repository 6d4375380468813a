"""The claims ledger: every checkable figure on a starter page, with the source that confirms it.

`districtwiki/content/claims/<page file stem>.yaml` lists a page's claims. Each claim quotes the page
word for word (whitespace aside), names its source, the day someone checked it and what they found:

    sources:
      fcc-2025-c2:
        title: "Public notice announcing Category Two budget multipliers …"
        publisher: "Federal Communications Commission"
        date: "2025-06-04"
        url: "https://docs.fcc.gov/…"
    claims:
      - claim: "| FY2026–2030 | $201.57 | $30,175 |"
        source: fcc-2025-c2
        checked: 2026-12-06
        status: confirmed

`content check` fails when a page shows a figure (an amount, a percentage, a date or year, a count of
days, months or years, a number of four or more digits, an FCC or DA document number, a docket or a legal
citation) that no claim of its ledger quotes, when a claim no longer appears on the page, or when a
claim's source is incomplete or not cited among the page's own sources. The ledger is for reviewers; the
page keeps its readable Sources section, and /special/claims lists the claims oldest check first.
"""

import datetime
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.utils import timezone

from districtwiki.wiki import frontmatter

from .loader import CONTENT_DIR, ShippedPage, shipped_pages

CLAIMS_DIR = CONTENT_DIR / "claims"
SOURCE_FIELDS = ("title", "publisher", "date", "url")
STATUSES = {
    "confirmed": "the source says what the page says",
    "corrected": "the page was wrong or out of date and now says what the source says",
    "example": "a worked example: arithmetic on figures confirmed elsewhere in the ledger",
    "uncertain": "the source does not settle it, and the page says so",
}
MAX_LEDGER_BYTES = 512 * 1024

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
SECTION = r"\d+[a-z]?(?:\.\d+[a-z]?)*(?:\([a-z0-9]+\))*"
FIGURE = re.compile(
    "|".join(
        (
            r"\$\s?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s?(?:million|billion|thousand|[MBK])\b)?",
            r"\b\d+(?:\.\d+)?\s?(?:%|percent\b)",
            rf"\b{MONTH}\s\d{{1,2}}(?:st|nd|rd|th)?(?:,\s\d{{4}})?\b",
            rf"\b{MONTH}\s\d{{4}}\b",
            r"\b\d{4}-\d{2}-\d{2}\b",
            r"\b(?:FCC|DA)\s\d{2}-\d{1,4}\b",
            r"\b(?:WC|CC|GN)\sDocket\s(?:No\.\s)?\d{2}-\d{1,4}\b",
            rf"\b\d+\s(?:CFR|C\.F\.R\.|U\.S\.C\.)\s(?:§+\s?)?{SECTION}",
            rf"§+\s?{SECTION}",
            r"\b\d+(?:\.\d+)?[-\s](?:days?|weeks?|months?|years?|hours?)\b",
            r"\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b",
            r"(?<![\w.,])(?:FY|SFY)?\s?(?:19|20)\d{2}(?:[–-](?:\d{2}|\d{4}))?\b",
            r"\b\d{4,}\b",
        )
    ),
    re.IGNORECASE,
)
SOURCES_SECTION = re.compile(r"^## Sources\s*$.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
WIKILINK = re.compile(r"\[\[[^\]\n]*\]\]")
LINK_TARGET = re.compile(r"\]\([^)\s]*\)")
BARE_URL = re.compile(r"https?://\S+")
SPACE = re.compile(r"\s+")


class InvalidLedger(ValueError):
    """The message names the ledger file and what is wrong with it."""


@dataclass(frozen=True)
class Claim:
    page: str
    text: str
    source: dict
    checked: datetime.date
    status: str
    note: str = ""


def squash(text: str) -> str:
    return SPACE.sub(" ", text).strip()


DURATION = re.compile(r"(\d)[-\s]?(day|week|month|year|hour)s?$", re.IGNORECASE)


def figure_key(token: str) -> str:
    """ "28 days" and "28-day" are one figure; so are "FY2026–2030" and "FY2026-2030"."""
    key = SPACE.sub("", token).lower().replace("–", "-")
    return DURATION.sub(r"\1\2", key)


def claimable_text(page_text: str) -> str:
    """The page body a reader takes facts from: no front matter, no Sources section, no link targets."""
    _, body = frontmatter.split(page_text)
    body = SOURCES_SECTION.sub("", body)
    body = WIKILINK.sub(" ", body)
    body = LINK_TARGET.sub("]", body)
    return BARE_URL.sub(" ", body)


def figures(text: str) -> dict[str, str]:
    """Each distinct figure in `text`, keyed the way claims are matched, with its first spelling."""
    found: dict[str, str] = {}
    for match in FIGURE.finditer(text):
        found.setdefault(figure_key(match.group()), match.group().strip())
    return found


def ledger_path(page: ShippedPage) -> Path:
    return CLAIMS_DIR / f"{page.path.stem}.yaml"


def load_ledger(page: ShippedPage) -> list[Claim] | None:
    """The page's claims, or None when it has no ledger file. Raises InvalidLedger."""
    path = ledger_path(page)
    if not path.exists():
        return None
    name = path.name
    if path.stat().st_size > MAX_LEDGER_BYTES:
        raise InvalidLedger(f"{name}: larger than {MAX_LEDGER_BYTES // 1024} KiB")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise InvalidLedger(f"{name}: not valid YAML ({squash(str(error))[:200]})") from None
    if not isinstance(data, dict) or set(data) - {"sources", "claims"}:
        raise InvalidLedger(f"{name}: needs exactly two keys, `sources` and `claims`")
    sources = _sources(name, data.get("sources"))
    items = data.get("claims")
    if not isinstance(items, list) or not items:
        raise InvalidLedger(f"{name}: `claims` must be a list with at least one claim")
    return [_claim(name, page.title, number, item, sources) for number, item in enumerate(items, 1)]


def _sources(name: str, value) -> dict[str, dict]:
    if not isinstance(value, dict) or not value:
        raise InvalidLedger(f"{name}: `sources` must map a short key to each source")
    sources = {}
    for key, source in value.items():
        if not isinstance(source, dict):
            raise InvalidLedger(f"{name}: source `{key}` must have {', '.join(SOURCE_FIELDS)}")
        missing = [field for field in SOURCE_FIELDS if not str(source.get(field) or "").strip()]
        if missing:
            raise InvalidLedger(f"{name}: source `{key}` lacks {', '.join(missing)}")
        if not str(source["url"]).startswith(("https://", "http://")):
            raise InvalidLedger(f"{name}: source `{key}` has a `url` that is not http(s)")
        sources[str(key)] = {field: str(source[field]).strip() for field in SOURCE_FIELDS}
    return sources


def _claim(name: str, title: str, number: int, item, sources: dict[str, dict]) -> Claim:
    where = f"{name}: claim {number}"
    if not isinstance(item, dict) or not str(item.get("claim") or "").strip():
        raise InvalidLedger(f"{where} needs a `claim` quoting the page")
    unknown = set(item) - {"claim", "source", "checked", "status", "note"}
    if unknown:
        raise InvalidLedger(f"{where} has an unknown key `{sorted(unknown)[0]}`")
    if str(item.get("source")) not in sources:
        raise InvalidLedger(f"{where} names source `{item.get('source')}`, which `sources` does not list")
    checked = item.get("checked")
    if not isinstance(checked, datetime.date) or isinstance(checked, datetime.datetime):
        raise InvalidLedger(f"{where} needs `checked` as a date, YYYY-MM-DD")
    if item.get("status") not in STATUSES:
        raise InvalidLedger(f"{where} has status `{item.get('status')}`; use one of {', '.join(STATUSES)}")
    return Claim(
        page=title,
        text=squash(str(item["claim"])),
        source=sources[str(item["source"])],
        checked=checked,
        status=item["status"],
        note=squash(str(item.get("note") or "")),
    )


def check_page(page: ShippedPage) -> list[str]:
    """Problems with one page's ledger."""
    name = ledger_path(page).name
    try:
        claims = load_ledger(page)
    except InvalidLedger as error:
        return [str(error)]
    if claims is None:
        return [f"{page.path.name}: no claims ledger ({name})"]
    problems = []
    text = squash(claimable_text(page.text))
    cited = _cited_urls(page)
    covered: set[str] = set()
    today = timezone.localdate()
    for number, claim in enumerate(claims, 1):
        if claim.text not in text:
            problems.append(f"{name}: claim {number} is not on the page: “{claim.text[:80]}”")
            continue
        if claim.checked > today:
            problems.append(f"{name}: claim {number} was checked in the future ({claim.checked})")
        if claim.source["url"] not in cited:
            problems.append(
                f"{name}: claim {number}'s source {claim.source['url']} is not in the page's sources"
            )
        covered.update(figures(claim.text))
    missing = [shown for key, shown in figures(text).items() if key not in covered]
    if missing:
        problems.append(f"{page.path.name}: figures with no claim in {name}: {', '.join(missing)}")
    return problems


def _cited_urls(page: ShippedPage) -> set[str]:
    try:
        matter = frontmatter.parse(page.text)
    except frontmatter.InvalidFrontMatter:
        return set()
    return {source["url"] for source in (matter.sources if matter else []) if source.get("url")}


def check(pages: list[ShippedPage]) -> list[str]:
    problems = []
    stems = {page.path.stem for page in pages}
    for page in pages:
        problems += check_page(page)
    orphans = sorted(path.name for path in CLAIMS_DIR.glob("*.yaml") if path.stem not in stems)
    problems += [f"claims/{name} belongs to no starter page" for name in orphans]
    return problems


def all_claims(pages: list[ShippedPage]) -> list[Claim]:
    """Every valid ledger's claims, oldest check first (a broken ledger is left to `content check`)."""
    claims = []
    for page in pages:
        try:
            claims += load_ledger(page) or []
        except InvalidLedger:
            continue
    return sorted(claims, key=lambda claim: (claim.checked, claim.page))


@cache
def shipped_claims() -> tuple[Claim, ...]:
    """The shipped ledgers' claims, read once per process (they change only with a release)."""
    return tuple(all_claims(shipped_pages()))


def still_on(claim: Claim, wiki_text: str) -> bool:
    """Whether the wiki's current text of the page still says what the claim quotes."""
    return claim.text in squash(claimable_text(wiki_text))
