"""Line diffs of two texts, with word-level highlighting inside changed lines, at a bounded cost.

difflib's SequenceMatcher is exact but its worst case grows faster than the square of the input (repeated
lines or words, such as a page of blank-separated lines or a long line reordered). Here it only ever sees
small regions: common beginnings and ends are set aside first, then lines (or words) that occur once on each
side anchor the rest (as patience diff does), and a region still too large to compare is shown as replaced.
Every diff of two pages within the size limit therefore costs time about linear in their length.
"""

import bisect
import difflib
import html
import re
from collections import Counter
from dataclasses import dataclass

WORD = re.compile(r"\w+|\s+|[^\w\s]")

# SequenceMatcher is given a region only when (items on one side) × (items on the other) is at most this …
REGION_CELLS = 10_000
# … and one diff spends at most this many such cells in all (lines and words counted apart).
DIFF_CELLS = 1_000_000
# Rounds of anchoring on unique items before a large region is shown as replaced.
ANCHOR_DEPTH = 3
# A diff table shows at most about this many rows; the rest is summed up in a last row.
MAX_ROWS = 2_000

Opcode = tuple[str, int, int, int, int]


@dataclass
class DiffRow:
    kind: str  # "hunk", "context", "delete" or "insert"
    old_number: int | None
    new_number: int | None
    html: str


class Budget:
    """How many SequenceMatcher cells one diff may still spend."""

    def __init__(self, cells: int = DIFF_CELLS) -> None:
        self.cells = cells

    def spend(self, cells: int) -> bool:
        if cells > REGION_CELLS or cells > self.cells:
            return False
        self.cells -= cells
        return True


def opcodes(a: list, b: list, budget: Budget) -> list[Opcode]:
    """SequenceMatcher-style opcodes turning `a` into `b`, exact where affordable."""
    raw: list[Opcode] = []
    _diff_region(a, b, 0, len(a), 0, len(b), budget, ANCHOR_DEPTH, raw)
    return _merged(raw)


def _diff_region(a, b, i1, i2, j1, j2, budget: Budget, depth: int, out: list[Opcode]) -> None:
    start_i, start_j = i1, j1
    while i1 < i2 and j1 < j2 and a[i1] == b[j1]:
        i1, j1 = i1 + 1, j1 + 1
    if i1 > start_i:
        out.append(("equal", start_i, i1, start_j, j1))
    end_i, end_j = i2, j2
    while i2 > i1 and j2 > j1 and a[i2 - 1] == b[j2 - 1]:
        i2, j2 = i2 - 1, j2 - 1
    _diff_middle(a, b, i1, i2, j1, j2, budget, depth, out)
    if i2 < end_i:
        out.append(("equal", i2, end_i, j2, end_j))


def _diff_middle(a, b, i1, i2, j1, j2, budget: Budget, depth: int, out: list[Opcode]) -> None:
    if i1 == i2 and j1 == j2:
        return
    if i1 == i2 or j1 == j2:
        out.append(("insert" if i1 == i2 else "delete", i1, i2, j1, j2))
        return
    if budget.spend((i2 - i1) * (j2 - j1)):
        matcher = difflib.SequenceMatcher(None, a[i1:i2], b[j1:j2], autojunk=False)
        out.extend((op, i1 + p1, i1 + p2, j1 + q1, j1 + q2) for op, p1, p2, q1, q2 in matcher.get_opcodes())
        return
    anchors = _unique_anchors(a, b, i1, i2, j1, j2) if depth > 0 else []
    if not anchors:
        out.append(("replace", i1, i2, j1, j2))
        return
    for i, j in anchors:
        _diff_region(a, b, i1, i, j1, j, budget, depth - 1, out)
        out.append(("equal", i, i + 1, j, j + 1))
        i1, j1 = i + 1, j + 1
    _diff_region(a, b, i1, i2, j1, j2, budget, depth - 1, out)


def _unique_anchors(a, b, i1, i2, j1, j2) -> list[tuple[int, int]]:
    """Items found exactly once on each side, the longest run of them in the same order on both."""
    count_a, count_b = Counter(a[i1:i2]), Counter(b[j1:j2])
    where_b = {item: j for j, item in enumerate(b[j1:j2], start=j1) if count_b[item] == 1}
    once_in_a = (item for item in enumerate(a[i1:i2], start=i1) if count_a[item[1]] == 1)
    pairs = [(i, where_b[item]) for i, item in once_in_a if item in where_b]
    return _longest_increasing(pairs)


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of `pairs` (sorted by their first item) whose second items increase."""
    tails: list[int] = []  # tails[k]: the smallest last j of an increasing run of length k + 1
    tail_index: list[int] = []
    previous: list[int] = []
    for index, (_, j) in enumerate(pairs):
        k = bisect.bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[k], tail_index[k] = j, index
        previous.append(tail_index[k - 1] if k else -1)
    run, index = [], tail_index[-1] if tail_index else -1
    while index != -1:
        run.append(pairs[index])
        index = previous[index]
    return run[::-1]


def _merged(raw: list[Opcode]) -> list[Opcode]:
    """Adjacent opcodes of the same kind joined, empty ones dropped, as SequenceMatcher gives them."""
    merged: list[Opcode] = []
    for op in raw:
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if merged and merged[-1][0] == op[0]:
            last = merged.pop()
            op = (op[0], last[1], op[2], last[3], op[4])
        merged.append(op)
    return merged


class BoundedMatcher(difflib.SequenceMatcher):
    """A SequenceMatcher whose opcodes and matching blocks come from `opcodes`: difflib groups them into
    hunks, merge3 (which takes difflib's constructor) merges three texts with them."""

    def __init__(self, isjunk=None, a=(), b=(), autojunk=True) -> None:
        self.budget = Budget()
        self.bounded: list[Opcode] | None = None
        super().__init__(None, list(a), list(b), autojunk=False)

    def set_seq2(self, b) -> None:
        # The base class indexes b for its own matching, which is not used here.
        self.b = b
        self.matching_blocks = self.opcodes = None

    def get_opcodes(self) -> list[Opcode]:
        if self.bounded is None:
            self.bounded = opcodes(self.a, self.b, self.budget)
        return self.bounded

    def get_matching_blocks(self) -> list[tuple[int, int, int]]:
        blocks = [(i1, j1, i2 - i1) for op, i1, i2, j1, j2 in self.get_opcodes() if op == "equal"]
        return [*blocks, (len(self.a), len(self.b), 0)]


def _mark_words(
    old: str, new: str, budget: Budget, tags: tuple[str, str] = ("del", "ins"), join_spaces: bool = False
) -> tuple[str, str]:
    """Both lines as HTML, with the words that differ wrapped in <del> and <ins> (or the given `tags`)."""
    old_tag, new_tag = tags
    old_words, new_words = WORD.findall(old), WORD.findall(new)
    old_out, new_out = [], []
    ops = opcodes(old_words, new_words, budget)
    if join_spaces:
        ops = _joined_across_spaces(ops, old_words)
    for op, i1, i2, j1, j2 in ops:
        old_part = html.escape("".join(old_words[i1:i2]))
        new_part = html.escape("".join(new_words[j1:j2]))
        if op == "equal":
            old_out.append(old_part)
            new_out.append(new_part)
            continue
        old_out.append(_wrapped(old_part, old_tag, join_spaces))
        new_out.append(_wrapped(new_part, new_tag, join_spaces))
    return "".join(old_out), "".join(new_out)


def _wrapped(part: str, tag: str, outside_spaces: bool) -> str:
    """`part` in <tag>, spaces at its ends left outside if `outside_spaces`: "Why <mark>really</mark> it"."""
    core = part.strip() if outside_spaces else part
    if not core:
        return part
    start = part.index(core)
    return f"{part[:start]}<{tag}>{core}</{tag}>{part[start + len(core) :]}"


def _joined_across_spaces(ops: list[Opcode], old_words: list[str]) -> list[Opcode]:
    """Changes with only spaces between them made one change: "<mark>the school network</mark>", not a
    mark for each word. (Merged opcodes alternate, so an inner "equal" has a change on each side.)"""
    joined: list[Opcode] = []
    for index, (kind, i1, i2, j1, j2) in enumerate(ops):
        inner = 0 < index < len(ops) - 1
        if kind == "equal" and inner and not "".join(old_words[i1:i2]).strip():
            kind = "replace"
        if kind != "equal" and joined and joined[-1][0] != "equal":
            last = joined.pop()
            joined.append(("replace", last[1], i2, last[3], j2))
        else:
            joined.append((kind, i1, i2, j1, j2))
    return joined


def marked_versions(theirs: str, mine: str, budget: Budget) -> tuple[str, str]:
    """Two versions of one passage (an edit conflict's) as HTML, each with what the other lacks in <mark>.

    Lines are matched first; inside a run of lines that differ, words are, so a one-word change in a long
    paragraph marks that word only. Both steps share `budget`, so marking every region of a conflict costs
    what one diff does.
    """
    their_lines, my_lines = theirs.splitlines(keepends=True), mine.splitlines(keepends=True)
    their_out, my_out = [], []
    for op, i1, i2, j1, j2 in opcodes(their_lines, my_lines, budget):
        their_part, my_part = "".join(their_lines[i1:i2]), "".join(my_lines[j1:j2])
        if op == "equal":
            their_out.append(html.escape(their_part))
            my_out.append(html.escape(my_part))
        else:
            marked_theirs, marked_mine = _mark_words(their_part, my_part, budget, ("mark", "mark"), True)
            their_out.append(marked_theirs)
            my_out.append(marked_mine)
    return "".join(their_out), "".join(my_out)


def _changed_block(old_lines, new_lines, i1, j1, budget: Budget) -> list[DiffRow]:
    rows = []
    paired = min(len(old_lines), len(new_lines))
    marked = [_mark_words(old_lines[k], new_lines[k], budget) for k in range(paired)]
    for k, line in enumerate(old_lines):
        text = marked[k][0] if k < paired else html.escape(line)
        rows.append(DiffRow("delete", i1 + k + 1, None, text))
    for k, line in enumerate(new_lines):
        text = marked[k][1] if k < paired else html.escape(line)
        rows.append(DiffRow("insert", None, j1 + k + 1, text))
    return rows


def diff_rows(old: str, new: str, context: int = 3) -> list[DiffRow]:
    """The changes from `old` to `new` as rows for a table, hunks separated by a heading row; past
    MAX_ROWS rows, one last row says how many changed lines are not shown."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    word_budget = Budget()
    rows: list[DiffRow] = []
    for group in BoundedMatcher(a=old_lines, b=new_lines).get_grouped_opcodes(context):
        first = group[0]
        rows.append(DiffRow("hunk", first[1] + 1, first[3] + 1, f"Line {first[1] + 1}"))
        for op, i1, i2, j1, j2 in group:
            room = MAX_ROWS - len(rows)
            if op != "equal" and (i2 - i1) + (j2 - j1) > room:
                half = max(room // 2, 0)
                i_cut, j_cut = min(i2, i1 + half), min(j2, j1 + half)
                rows.extend(_changed_block(old_lines[i1:i_cut], new_lines[j1:j_cut], i1, j1, word_budget))
                rows.append(_not_shown(old_lines, i_cut, new_lines, j_cut))
                return rows
            if op == "equal":
                rows.extend(
                    DiffRow("context", i1 + k + 1, j1 + k + 1, html.escape(old_lines[i1 + k]))
                    for k in range(i2 - i1)
                )
            else:
                rows.extend(_changed_block(old_lines[i1:i2], new_lines[j1:j2], i1, j1, word_budget))
    return rows


def _not_shown(old_lines: list[str], i1: int, new_lines: list[str], j1: int) -> DiffRow:
    return DiffRow(
        "hunk",
        i1 + 1,
        j1 + 1,
        f"The rest of this diff is too long to show here: {len(old_lines) - i1:,} more lines of the old "
        f"text (from line {i1 + 1:,}) and {len(new_lines) - j1:,} of the new (from line {j1 + 1:,}).",
    )


def unified_diff(old: str, new: str, old_label: str, new_label: str) -> str:
    """The changes in unified diff format (as `diff -u` of the texts each ending in a newline)."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    out = [f"--- {old_label}\n", f"+++ {new_label}\n"]
    for group in BoundedMatcher(a=old_lines, b=new_lines).get_grouped_opcodes(3):
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                out.extend(f" {line}\n" for line in old_lines[i1:i2])
                continue
            out.extend(f"-{line}\n" for line in old_lines[i1:i2])
            out.extend(f"+{line}\n" for line in new_lines[j1:j2])
    return "".join(out) if len(out) > 2 else ""


def _range(start: int, stop: int) -> str:
    """A hunk's line range as unified diffs write it (difflib's _format_range_unified)."""
    length = stop - start
    if length == 1:
        return str(start + 1)
    return f"{start + 1 if length else start},{length}"
