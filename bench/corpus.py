"""The benchmark corpus: "Page 1" … "Page n" of realistic Markdown about school-district technology, plus
the category pages they file themselves under. Deterministic: the same (n, seed) gives the same pages,
byte for byte, on any machine (each page draws from its own random.Random seeded by a string, which
Python hashes with SHA-512, so PYTHONHASHSEED does not matter).

Each page is 3–5 KB: ATX headings, paragraphs with **bold** and *italic*, "- " and "1. " lists, one pipe
table, 10–30 wiki links to other pages of the corpus (some with a label, a few to pages that do not exist,
so red links appear) and 1–3 categories. COMMON_TERM appears on every page and RARE_TERM on exactly one,
so search can be measured at both ends.
"""

import random

from bench.peers import CorpusPage

DEFAULT_SEED = 20261128
MIN_BYTES, MAX_BYTES = 3072, 5120  # every page of text is 3–5 KiB
COMMON_TERM = "district"
RARE_TERM = "kestrelmesh"  # a made-up Wi-Fi controller: no other page mentions it

CATEGORIES = (
    "E-Rate", "CIPA", "FERPA", "Student privacy", "Cybersecurity", "Networking", "Wi-Fi", "Devices",
    "Chromebooks", "Budget", "Staffing", "Accessibility", "Planning", "Professional development",
    "Help desk", "Backups", "Identity management", "Classroom technology", "Digital citizenship",
    "Procurement", "Board relations", "Grants", "Infrastructure", "Cloud services",
    "Student information systems", "Phones and VoIP", "Printing", "Assessment", "Broadband", "Policy",
)  # fmt: skip

TOPICS = (
    "E-Rate Category Two budgets", "CIPA-compliant content filtering", "FERPA and classroom apps",
    "Chromebook cart rotation", "replacing the core switch", "Wi-Fi 6 access point refresh",
    "firewall rule reviews", "multi-factor authentication for staff", "the student data privacy agreement",
    "summer device collection", "the help desk ticket queue", "backup testing before the audit",
    "single sign-on for the learning platform", "board presentations on technology spending",
    "the three-year technology plan", "phishing drills for staff", "fiber between school buildings",
    "the state testing window", "accessible PDFs for the district website", "copier lease renewals",
    "VoIP handsets in classrooms", "rostering from the student information system",
    "hotspot lending for families", "interactive displays in classrooms", "the cybersecurity insurance form",
)  # fmt: skip

NOUNS = (
    "E-Rate application", "Form 470", "Form 471", "CIPA policy", "content filter", "FERPA request",
    "Chromebook", "charging cart", "firewall", "core switch", "edge switch", "access point", "Wi-Fi survey",
    "budget line", "purchase order", "help desk ticket", "asset tag", "device inventory", "student account",
    "staff laptop", "projector", "document camera", "backup job", "domain controller", "VLAN",
    "fiber run", "UPS battery", "server closet", "learning platform", "gradebook", "SIS export",
    "password reset", "MFA prompt", "phishing report", "data privacy agreement", "vendor contract",
    "board report", "grant narrative", "technology plan", "bandwidth graph", "patch window",
)  # fmt: skip

PEOPLE = (
    "the superintendent", "the business manager", "the principal", "a classroom teacher",
    "the library media specialist", "the one technician", "the school board", "the curriculum director",
    "the special education coordinator", "a student helper", "the front office", "the state consortium",
)  # fmt: skip

VERBS = (
    "review", "replace", "document", "budget for", "test", "schedule", "audit", "upgrade", "label",
    "retire", "configure", "approve", "track", "renew", "monitor",
)  # fmt: skip

ADJECTIVES = (
    "aging", "shared", "critical", "spare", "unmanaged", "new", "refurbished", "district-owned",
    "grant-funded", "overdue", "redundant", "outdated", "secure", "reliable", "inexpensive",
)  # fmt: skip

TIMES = (
    "before the summer break", "during winter recess", "each August", "before the E-Rate window closes",
    "after the board meeting", "at the start of the fiscal year", "every quarter", "before state testing",
    "when the warranty ends", "over spring break",
)  # fmt: skip

HEADINGS = (
    "Background", "What to check first", "Budget and funding", "Who is involved", "Step by step",
    "Common problems", "Security notes", "Privacy considerations", "Timeline", "Costs",
    "What we learned", "Vendors and contracts", "Keeping records", "Training staff", "Next steps",
    "Working with the board", "Inventory", "Maintenance", "Questions to ask", "Checklist",
)  # fmt: skip

LABELS = (
    "our checklist", "the funding guide", "this year's plan", "the vendor notes", "the audit page",
    "last year's write-up", "the training handout", "the board memo", "the network map", "the policy draft",
)  # fmt: skip


class PageWriter:
    """Writes one page from its own random stream; `links` are the wiki links still to be placed."""

    def __init__(self, rng: random.Random, number: int, n: int):
        self.rng = rng
        self.number = number
        self.n = n
        self.links = [self.wikilink() for _ in range(rng.randint(10, 30))]

    def wikilink(self) -> str:
        rng = self.rng
        if rng.random() < 0.06:
            target = self.n + rng.randint(1, max(10, self.n // 10))  # a page nobody has written: red link
        else:
            target = rng.randint(1, self.n - 1) if self.n > 1 else 1
            target += target >= self.number and self.n > 1  # never a link to the page itself
        if rng.random() < 0.3:
            return f"[[Page {target}|{rng.choice(LABELS)}]]"
        return f"[[Page {target}]]"

    def link_or_noun(self) -> str:
        return self.links.pop() if self.links and self.rng.random() < 0.55 else self.rng.choice(NOUNS)

    def sentence(self) -> str:
        rng = self.rng
        patterns = (
            lambda: (
                f"{rng.choice(PEOPLE).capitalize()} asked us to {rng.choice(VERBS)} the "
                f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {rng.choice(TIMES)}."
            ),
            lambda: (
                f"We {rng.choice(VERBS)} every {rng.choice(NOUNS)} {rng.choice(TIMES)}; see "
                f"{self.link_or_noun()} for how."
            ),
            lambda: f"Any **{rng.choice(NOUNS)}** that nobody tracks becomes a problem {rng.choice(TIMES)}.",
            lambda: (
                f"Keep the *{rng.choice(ADJECTIVES)}* {rng.choice(NOUNS)} on the list, and ask "
                f"{rng.choice(PEOPLE)} to sign off."
            ),
            lambda: (
                f"In a small {COMMON_TERM}, {rng.choice(PEOPLE)} often has to {rng.choice(VERBS)} the "
                f"{rng.choice(NOUNS)} alone."
            ),
            lambda: (
                f"Compare with {self.link_or_noun()} before you {rng.choice(VERBS)} the {rng.choice(NOUNS)}."
            ),
            lambda: (
                f"Budget about ${rng.randint(2, 90) * 100:,} for each {rng.choice(NOUNS)} and "
                f"{rng.randint(2, 12)} hours of staff time."
            ),
        )
        return rng.choice(patterns)()

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))

    def bullets(self) -> str:
        rng = self.rng
        return "\n".join(
            f"- {rng.choice(VERBS).capitalize()} the {rng.choice(ADJECTIVES)} {self.link_or_noun()}"
            for _ in range(rng.randint(3, 6))
        )

    def steps(self) -> str:
        rng = self.rng
        return "\n".join(
            f"{step}. {rng.choice(VERBS).capitalize()} the {rng.choice(NOUNS)} {rng.choice(TIMES)}."
            for step in range(1, rng.randint(3, 5) + 1)
        )

    def table(self) -> str:
        rng = self.rng
        rows = [
            f"| {rng.choice(NOUNS)} | {rng.randint(1, 400)} | ${rng.randint(1, 250) * 50:,} | "
            f"{rng.choice(('E-Rate', 'general fund', 'grant', 'bond', 'Title IV'))} |"
            for _ in range(rng.randint(3, 6))
        ]
        return "\n".join(["| Item | Quantity | Cost | Funding |", "|---|---:|---:|---|", *rows])

    def section(self, heading: str, with_table: bool) -> str:
        rng = self.rng
        blocks = [f"## {heading}", self.paragraph()]
        if with_table:
            blocks.append(self.table())
        kind = rng.random()
        if kind < 0.4:
            blocks.append(self.bullets())
        elif kind < 0.7:
            blocks.append(self.steps())
        if rng.random() < 0.35:
            blocks += [f"### {rng.choice(HEADINGS)} for the {rng.choice(NOUNS)}", self.paragraph()]
        return "\n\n".join(blocks)

    def page(self, rare: bool) -> str:
        rng = self.rng
        intro = (
            f"This page collects what our {COMMON_TERM} learned about *{rng.choice(TOPICS)}*. **In short:** "
        )
        intro += self.paragraph()
        if rare:
            intro += f" We tried the {RARE_TERM} controller on one campus before buying more."
        categories = "\n".join(f"[[Category:{name}]]" for name in rng.sample(CATEGORIES, rng.randint(1, 3)))
        blocks = [intro]
        target = rng.randint(MIN_BYTES + 400, MAX_BYTES - 600)
        table_at = rng.randint(0, 2)
        for index, heading in enumerate(rng.sample(HEADINGS, 10)):
            if self.size(blocks, categories) >= target and index > table_at:
                break
            unplaced = list(self.links)
            section = self.section(heading, with_table=index == table_at)
            if self.size([*blocks, section], categories) > MAX_BYTES and index > table_at:
                self.links = unplaced  # the section does not fit: its links go to "See also" instead
                break
            blocks.append(section)
        return "\n\n".join([*blocks, *self.see_also(), categories]) + "\n"

    def see_also(self) -> list[str]:
        return ["## See also", "\n".join(f"- {link}" for link in self.links)] if self.links else []

    def size(self, blocks: list[str], categories: str) -> int:
        parts = [*blocks, *self.see_also(), categories]
        return sum(len(part.encode()) for part in parts) + 2 * len(parts) - 1


def category_page(name: str) -> CorpusPage:
    text = (
        f"Pages about **{name}** in a small school {COMMON_TERM}: what to plan, what it costs and who "
        f"to ask. Add a page to this category with a category link at the end of its text.\n"
    )
    return CorpusPage(f"Category:{name}", text)


def generate(n: int, seed: int = DEFAULT_SEED) -> list[CorpusPage]:
    """The corpus of `n` pages ("Page 1" … "Page n") followed by the category pages."""
    if n < 1:
        raise ValueError(f"a corpus needs at least one page, not {n}")
    rare_page = random.Random(f"districtwiki-bench/{seed}/rare").randint(1, n)
    pages = []
    for number in range(1, n + 1):
        writer = PageWriter(random.Random(f"districtwiki-bench/{seed}/{number}"), number, n)
        pages.append(CorpusPage(f"Page {number}", writer.page(rare=number == rare_page)))
    return pages + [category_page(name) for name in CATEGORIES]
