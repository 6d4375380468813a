"""Line diffs of two texts, with word-level highlighting inside changed lines."""

import difflib
import html
import re
from dataclasses import dataclass

WORD = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass
class DiffRow:
    kind: str  # "hunk", "context", "delete" or "insert"
    old_number: int | None
    new_number: int | None
    html: str


def _mark_words(old: str, new: str) -> tuple[str, str]:
    """Both lines as HTML, with the words that differ wrapped in <del> and <ins>."""
    old_words, new_words = WORD.findall(old), WORD.findall(new)
    old_out, new_out = [], []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        old_part = html.escape("".join(old_words[i1:i2]))
        new_part = html.escape("".join(new_words[j1:j2]))
        if op == "equal":
            old_out.append(old_part)
            new_out.append(new_part)
            continue
        if old_part:
            old_out.append(f"<del>{old_part}</del>")
        if new_part:
            new_out.append(f"<ins>{new_part}</ins>")
    return "".join(old_out), "".join(new_out)


def _changed_block(old_lines, new_lines, i1, j1) -> list[DiffRow]:
    rows = []
    paired = min(len(old_lines), len(new_lines))
    marked = [_mark_words(old_lines[k], new_lines[k]) for k in range(paired)]
    for k, line in enumerate(old_lines):
        text = marked[k][0] if k < paired else html.escape(line)
        rows.append(DiffRow("delete", i1 + k + 1, None, text))
    for k, line in enumerate(new_lines):
        text = marked[k][1] if k < paired else html.escape(line)
        rows.append(DiffRow("insert", None, j1 + k + 1, text))
    return rows


def diff_rows(old: str, new: str, context: int = 3) -> list[DiffRow]:
    """The changes from `old` to `new` as rows for a table, hunks separated by a heading row."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    rows: list[DiffRow] = []
    for group in matcher.get_grouped_opcodes(context):
        first = group[0]
        rows.append(DiffRow("hunk", first[1] + 1, first[3] + 1, f"Line {first[1] + 1}"))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                rows.extend(
                    DiffRow("context", i1 + k + 1, j1 + k + 1, html.escape(old_lines[i1 + k]))
                    for k in range(i2 - i1)
                )
            else:
                rows.extend(_changed_block(old_lines[i1:i2], new_lines[j1:j2], i1, j1))
    return rows


def unified_diff(old: str, new: str, old_label: str, new_label: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), old_label, new_label
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
