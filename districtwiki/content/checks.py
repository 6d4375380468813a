"""`districtwiki content check`: the shipped knowledge base holds together before it ships.

Every page has complete front matter and a Sources section, says enough (≥ 450 words), links to at least
three other starter pages, is linked from another, and links to nothing that does not exist; every category
has at least five pages; every pathway has 10–15 steps that all exist; every figure on a page has a
sourced claim in its ledger (claims.py).
"""

import re
from collections import Counter, defaultdict

from districtwiki.wiki import frontmatter, markup
from districtwiki.wiki.titles import normalize_title

from . import claims, pathways
from .loader import ShippedPage, shipped_files, shipped_pages

MIN_WORDS = 450
MIN_LINKS = 3
MIN_CATEGORY_PAGES = 5
MIN_ARTICLES = 70
MIN_TEMPLATES = 10
TEMPLATE_PREFIX = "Templates/"
WORD = re.compile(r"[A-Za-z0-9][\w'’.-]*")
REQUIRED_FIELDS = set(frontmatter.FIELDS)


def word_count(text: str) -> int:
    _, body = frontmatter.split(text)
    body = re.sub(r"\[\[(?:Category|File):[^\]]*\]\]", " ", body)
    body = re.sub(r"\[\[([^\]|]*\|)?([^\]]*)\]\]", r"\2", body)
    return len(WORD.findall(body))


def check_page(page: ShippedPage, known: set[str]) -> tuple[list[str], set[str], list[str]]:
    """Problems with one page, the starter pages it links to, and its categories."""
    problems = []
    try:
        matter = frontmatter.parse(page.text)
    except frontmatter.InvalidFrontMatter as error:
        return [f"{page.path.name}: {error}"], set(), []
    missing = REQUIRED_FIELDS - (matter.present if matter else set())
    if missing:
        problems.append(f"{page.path.name}: front matter lacks {', '.join(sorted(missing))}")
    if matter and not matter.sources:
        problems.append(f"{page.path.name}: front matter lists no sources")
    if not re.search(r"^## Sources\s*$", page.text, re.MULTILINE):
        problems.append(f"{page.path.name}: no “## Sources” section")
    words = word_count(page.text)
    if words < MIN_WORDS:
        problems.append(f"{page.path.name}: {words} words; a starter page needs at least {MIN_WORDS}")
    rendered = markup.render(page.text)
    red = sorted(rendered.links - known)
    if red:
        problems.append(f"{page.path.name}: red links to {', '.join(red)}")
    targets = {
        title for title in rendered.links & known if title != page.title and not title.startswith("File:")
    }
    if len(targets) < MIN_LINKS:
        problems.append(f"{page.path.name}: links to {len(targets)} other starter pages; needs {MIN_LINKS}")
    if not rendered.categories:
        problems.append(f"{page.path.name}: in no category")
    return problems, targets, rendered.categories


def survey_problems() -> list[str]:
    """The survey files shipped in content/surveys/, checked by the advocacy hub that reads them."""
    from districtwiki.advocacy.survey_definitions import check as check_surveys

    return check_surveys()


def check() -> tuple[list[str], str]:
    """(problems, a one-line summary of what was checked)."""
    pages = shipped_pages()
    known = {page.title for page in pages} | {
        normalize_title("File:" + path.name) for path in shipped_files()
    }
    problems: list[str] = []
    linked_from: defaultdict[str, set[str]] = defaultdict(set)
    categories: Counter[str] = Counter()
    for page in pages:
        page_problems, targets, page_categories = check_page(page, known)
        problems += page_problems
        for target in targets:
            linked_from[target].add(page.title)
        categories.update(page_categories)
    problems += [
        f"{page.path.name}: orphan: no other starter page links to it"
        for page in pages
        if not linked_from[page.title]
    ]
    problems += [
        f"category “{name}” has {count} pages; needs {MIN_CATEGORY_PAGES}"
        for name, count in sorted(categories.items())
        if count < MIN_CATEGORY_PAGES
    ]
    templates = [page for page in pages if page.title.startswith(TEMPLATE_PREFIX)]
    if len(pages) - len(templates) < MIN_ARTICLES:
        problems.append(f"{len(pages) - len(templates)} starter pages; at least {MIN_ARTICLES} are promised")
    if len(templates) < MIN_TEMPLATES:
        problems.append(f"{len(templates)} templates; at least {MIN_TEMPLATES} are promised")
    problems += pathways.check({page.title for page in pages})
    problems += claims.check(pages)
    problems += survey_problems()
    summary = (
        f"{len(pages) - len(templates)} pages, {len(templates)} templates, {len(categories)} categories, "
        f"{len(pathways.all_pathways())} pathways"
    )
    return problems, summary
