"""The ways people write one word: "E-Rate", "ERate" and "e rate"; "Wi-Fi" and "wifi"; "K-12" and "k12";
"Form 470" and "form470"; "one-to-one", "1-to-1" and "1:1".

Both sides are widened the same way, so any spelling finds the others:

- a page's hyphenated words are indexed a second time joined ("E-Rate" → "ERate", "E-Rate-funded" → also
  "ERatefunded" and "Ratefunded"), in columns of their own so that phrases in the text keep their positions
  (`joined_words`); the tokenisers already index the parts ("E-Rate" → "e", "rate");
- a query term matches as typed or in its other spellings (`spellings`): a hyphenated term also joined, a
  word of letters and digits also split where they meet ("form470" → "form 470"), and the few spellings of
  one-to-one as each other (the one synonym worth a rule here: a school word with three common spellings).

Word splitting ("erate" → "e rate") needs a dictionary and is not done: the joined index covers every page
that writes the word with a hyphen, which is how the wiki writes it.
Costs: a hyphenated word of more than MAX_JOINED_PARTS parts (a URL slug, a date) is not joined, and a
page's joined words stop at MAX_JOINED_CHARS; a term has at most a handful of spellings.
"""

import itertools
import re

MAX_JOINED_PARTS = 6
MAX_JOINED_CHARS = 50_000
MAX_WORD_CHARS = 64  # as query.MAX_WORD_CHARS: a longer joined word could never be searched for
# Letters and digits joined by hyphens (ASCII, Unicode hyphen, non-breaking hyphen). A match starts only
# at the start of a run of letters and digits, and its runs are taken whole (possessive): without both, a
# long run with no hyphen was read again from each of its letters, time in the square of its length.
HYPHENATED = re.compile(r"(?<![^\W_])[^\W_]++(?:[-\u2010\u2011][^\W_]++)+")
HYPHENS = re.compile(r"[-\u2010\u2011]")
LETTERS_DIGITS = re.compile(r"\d+|[^\W\d_]+")
ONE_TO_ONE = (("one", "to", "one"), ("1", "to", "1"), ("1", "1"))
SYNONYMS = {spelling: ONE_TO_ONE for spelling in ONE_TO_ONE}


def joined_forms(parts: list[str]) -> list[str]:
    """ "E-Rate-funded" → ERatefunded, ERate, Ratefunded: the whole word and each pair of neighbours."""
    if len(parts) > MAX_JOINED_PARTS or all(part.isdigit() for part in parts):
        return []  # URL slugs, dates and phone numbers: nobody types them joined
    forms = ["".join(parts)]
    if len(parts) > 2:
        forms += [first + second for first, second in itertools.pairwise(parts)]
    return [form for form in forms if len(form) <= MAX_WORD_CHARS]


def joined_words(text: str) -> str:
    """The joined spellings of `text`'s hyphenated words, space-separated, at most MAX_JOINED_CHARS."""
    words: list[str] = []
    size = 0
    for match in HYPHENATED.finditer(text):
        for form in joined_forms(HYPHENS.split(match.group())):
            size += len(form) + 1
            if size > MAX_JOINED_CHARS:
                return " ".join(words)
            words.append(form)
    return " ".join(words)


def spellings(words: tuple[str, ...], prefix: bool = False) -> tuple[tuple[str, ...], ...]:
    """The word sequences a term of `words` matches, as typed first. A prefix term matches as typed only:
    "e-ra*" joined would be "era*", which finds eras and erasers."""
    found = [words]
    if prefix:
        return tuple(found)
    # Joined as pages are indexed (so "1:1" is not "11"): the whole word is the first joined form.
    if len(words) > 1 and "".join(words) in joined_forms(list(words))[:1]:
        found.append(("".join(words),))
    if len(words) == 1 and 1 < len(split := tuple(LETTERS_DIGITS.findall(words[0]))) <= MAX_JOINED_PARTS:
        found.append(split)
    found += SYNONYMS.get(tuple(word.lower() for word in words), ())
    unique: dict[tuple[str, ...], tuple[str, ...]] = {}
    for spelling in found:
        unique.setdefault(tuple(word.lower() for word in spelling), spelling)
    return tuple(unique.values())
