"""Three-way merge of page texts (merge3), for saves whose base revision is no longer current."""

from dataclasses import dataclass

from merge3 import Merge3

from .diffs import BoundedMatcher, Budget, marked_versions


@dataclass
class ConflictRegion:
    base: str
    theirs: str
    mine: str


@dataclass
class MergeResult:
    text: str
    conflicts: list[ConflictRegion]

    @property
    def clean(self) -> bool:
        return not self.conflicts


@dataclass
class MarkedRegion:
    """A conflict region ready to show: both versions as HTML with the words that differ marked."""

    region: ConflictRegion
    theirs_html: str
    mine_html: str


def marked_regions(conflicts: list[ConflictRegion]) -> list[MarkedRegion]:
    """Every region marked word by word, all within the budget of one diff however many and large they are."""
    budget = Budget()
    marked = (marked_versions(region.theirs, region.mine, budget) for region in conflicts)
    return [MarkedRegion(region, *pair) for region, pair in zip(conflicts, marked, strict=True)]


def _lines(text: str) -> list[str]:
    # A final newline on every text, so an edit to the last line merges like any other line.
    return (text + "\n").splitlines(keepends=True)


def merge_texts(base: str, theirs: str, mine: str) -> MergeResult:
    """Merge `mine` (this editor's text) into `theirs` (the current text), both descended from `base`."""
    merger = Merge3(_lines(base), _lines(theirs), _lines(mine), sequence_matcher=BoundedMatcher)
    merged: list[str] = []
    conflicts: list[ConflictRegion] = []
    for group in merger.merge_groups():
        kind = group[0]
        if kind == "conflict":
            _, base_lines, their_lines, my_lines = group
            conflicts.append(ConflictRegion("".join(base_lines), "".join(their_lines), "".join(my_lines)))
            merged.extend(their_lines)
        else:
            merged.extend(group[1])
    return MergeResult("".join(merged).removesuffix("\n"), conflicts)
