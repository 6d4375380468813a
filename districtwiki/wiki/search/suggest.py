""" "Did you mean": for a search that found nothing, page titles close to what was typed and the query with
each unknown word replaced by the nearest word of a title.

Titles are the vocabulary: they name what the wiki has, they are few next to the words of the pages, and
both databases give them alike. Their words are held in each process (TitleWords), made again when a page
is created, moved, deleted or undeleted (the largest page id and log entry id change) and at least every
REFRESH_SECONDS. A word is compared only with the words sharing one of its trigrams, reading at most
MAX_POSTINGS of them, so a suggestion costs about the same on a wiki of ten thousand titles as of ten.
"""

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Max

from ..markup import page_url
from ..models import LogEntry, Page
from .query import ParsedQuery
from .spellings import HYPHENATED, HYPHENS, joined_forms

REFRESH_SECONDS = 300
MAX_POSTINGS = 5_000  # word ids read from trigram lists for one query word
MAX_TITLES_PER_WORD = 200  # titles remembered for one title word
MIN_SIMILARITY = 0.45  # Dice coefficient of the trigram sets: "chromebok" / "chromebook" is 0.8
MAX_TITLES = 5
MAX_QUERY_WORDS = 12


def trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[index : index + 3] for index in range(len(padded) - 2)}


def title_words(title: str) -> list[str]:
    from .query import WORD

    lowered = title.lower()
    words = WORD.findall(lowered)
    for match in HYPHENATED.finditer(lowered):
        words += joined_forms(HYPHENS.split(match.group()))
    return words


@dataclass
class TitleWords:
    stamp: tuple
    built: float
    titles: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)
    titles_of: dict[str, list[int]] = field(default_factory=dict)
    words_with: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def build(cls, stamp: tuple, titles: list[str]) -> "TitleWords":
        index = cls(stamp, time.monotonic(), titles)
        for number, title in enumerate(titles):
            for word in dict.fromkeys(title_words(title)):
                holders = index.titles_of.setdefault(word, [])
                if len(holders) < MAX_TITLES_PER_WORD:
                    holders.append(number)
        index.words = list(index.titles_of)
        for number, word in enumerate(index.words):
            for gram in trigrams(word):
                index.words_with.setdefault(gram, []).append(number)
        return index

    def nearest(self, word: str) -> str | None:
        """The title word most like `word` (itself when a title has it), or None when none is close."""
        if word in self.titles_of:
            return word
        grams = trigrams(word)
        shared: Counter[int] = Counter()
        budget = MAX_POSTINGS
        for gram in sorted(grams, key=lambda gram: len(self.words_with.get(gram, ()))):
            postings = self.words_with.get(gram, [])[:budget]
            shared.update(postings)
            budget -= len(postings)
            if budget <= 0:
                break
        best, best_score = None, MIN_SIMILARITY
        for number, count in shared.most_common(50):
            candidate = self.words[number]
            score = 2 * count / (len(grams) + len(trigrams(candidate)))
            if score > best_score:
                best, best_score = candidate, score
        return best

    def titles_with(self, words: list[str]) -> list[str]:
        """Titles holding the most of `words`, the shortest first among equals."""
        hits: Counter[int] = Counter()
        for word in dict.fromkeys(words):
            hits.update(self.titles_of.get(word, []))
        titles = self.titles
        ranked = sorted(hits, key=lambda number: (-hits[number], len(titles[number]), titles[number]))
        return [titles[number] for number in ranked[:MAX_TITLES]]


_lock = threading.Lock()
_cached: TitleWords | None = None


def forget() -> None:
    """Drop the process's title words (tests start each with their own pages)."""
    global _cached
    with _lock:
        _cached = None


def title_index() -> TitleWords:
    global _cached
    stamp = (Page.objects.aggregate(Max("id"))["id__max"], LogEntry.objects.aggregate(Max("id"))["id__max"])
    with _lock:
        cached = _cached
    if cached and cached.stamp == stamp and time.monotonic() - cached.built < REFRESH_SECONDS:
        return cached
    titles = list(Page.objects.live().order_by("id").values_list("title", flat=True))
    fresh = TitleWords.build(stamp, titles)
    with _lock:
        _cached = fresh
    return fresh


@dataclass
class Suggestions:
    query: str | None = None  # the typed query with its unknown words replaced, when that finds pages
    titles: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.query or self.titles)

    @property
    def links(self) -> list[tuple[str, str]]:
        return [(title, page_url(title)) for title in self.titles]


def suggest(parsed: ParsedQuery, finds_pages) -> Suggestions:
    """Suggestions for a query that found nothing; `finds_pages(text)` says whether a corrected query would
    find something (one more search, made only when a word was corrected)."""
    typed = [word.lower() for term in parsed.terms for word in term.words][:MAX_QUERY_WORDS]
    if not typed:
        return Suggestions()
    index = title_index()
    nearest = [index.nearest(word) for word in typed]
    corrected = [near or word for word, near in zip(typed, nearest, strict=True)]
    suggestions = Suggestions(titles=index.titles_with([word for word in nearest if word]))
    if corrected != typed and finds_pages(text := " ".join(corrected)):
        suggestions.query = text
    return suggestions
