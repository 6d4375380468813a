"""Bounded diffs: exact where affordable, always a correct edit script, never unbounded work."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from districtwiki.wiki import diffs

lines = st.lists(st.sampled_from(["a", "b", "c", "", "d e", "a"]), max_size=40)


def apply(old: list, new: list, ops) -> list:
    out = []
    for op, i1, i2, j1, j2 in ops:
        if op == "equal":
            assert old[i1:i2] == new[j1:j2]
        out.extend(old[i1:i2] if op == "equal" else new[j1:j2])
    return out


@settings(max_examples=300, deadline=None)
@given(lines, lines, st.sampled_from([0, 30, diffs.DIFF_CELLS]))
def test_opcodes_always_turn_old_into_new(old, new, cells):
    ops = diffs.opcodes(old, new, diffs.Budget(cells))
    assert apply(old, new, ops) == new
    assert all(first[2] == second[1] and first[4] == second[3] for first, second in itertools.pairwise(ops))


@settings(max_examples=200, deadline=None)
@given(lines, lines)
def test_unified_diff_applies(old, new):
    old, new = "\n".join(old).split("\n"), "\n".join(new).split("\n")
    patch = diffs.unified_diff("\n".join(old), "\n".join(new), "old", "new")
    assert (patch == "") == (old == new)
    assert patch == "" or patch.startswith("--- old\n+++ new\n@@ ")
    assert patched(old, patch) == new


def patched(old: list[str], patch: str) -> list[str]:
    """`old` with a unified diff applied, checking every context and removed line against it."""
    result, position = [], 0
    for line in patch.splitlines()[2:]:
        if line.startswith("@@"):
            old_range = line.split()[1].lstrip("-")
            start = int(old_range.split(",")[0]) - (0 if old_range.endswith(",0") else 1)
            result.extend(old[position:start])
            position = start
        elif line.startswith("+"):
            result.append(line[1:])
        else:
            assert old[position] == line[1:]
            result.extend([line[1:]] if line.startswith(" ") else [])
            position += 1
    return result + old[position:]


def test_small_changes_are_marked_word_by_word():
    rows = diffs.diff_rows("The quick brown fox\nsame", "The slow brown fox\nsame")
    assert [row.kind for row in rows] == ["hunk", "delete", "insert", "context"]
    assert rows[1].html == "The <del>quick</del> brown fox"
    assert rows[2].html == "The <ins>slow</ins> brown fox"


def test_a_long_reordered_line_is_shown_as_replaced_lines():
    words = [f"w{i % 50}" for i in range(5000)]
    rows = diffs.diff_rows(" ".join(words), " ".join(reversed(words)))
    assert [row.kind for row in rows] == ["hunk", "delete", "insert"]


def test_repeated_lines_reordered_stay_within_the_row_limit():
    rows = diffs.diff_rows("x\ny\n" * 50_000, "y\nx\n" * 50_000)
    assert len(rows) <= diffs.MAX_ROWS + 1
    assert "The rest of this diff is too long to show here: 99,001 more lines" in rows[-1].html
    assert rows[-1].kind == "hunk"


def test_unique_lines_anchor_a_large_rewrite():
    old = [f"line {i}" for i in range(400)]
    new = [*old[:100], "inserted", *old[100:300], *[f"changed {i}" for i in range(100)]]
    ops = diffs.opcodes(old, new, diffs.Budget())
    assert apply(old, new, ops) == new
    assert ("equal", 100, 300, 101, 301) in ops
