"""Which groups of a survey's respondents may be published: primary and complementary suppression.

The published tables are the margins of one three-way table, respondents by state × district size × role
(the grouping questions): the overall total, the three one-way tables, the three two-way tables and the
three-way table the API answers for ?state=&district_size=&role=. A *group* is one cell of one of those
tables, written as a tuple with None where a grouping question is not fixed. Every figure of a group
(respondents, each choice's count, how many answered a number) is a sum over the finest cells it covers,
so the same linear relations tie all of them together: whatever hides a group's respondent count by these
rules hides its choice counts too.

Primary suppression: a group with fewer than the minimum is not published, nor a group fixing a level that
has no public label (NOT_ANSWERED: the respondents who skipped a grouping question; they still count in
every total, so they stay in the relations as a hidden child, or a state's total minus its shown size bands
would give them away).

Complementary suppression, to a fixed point:
1. Sum rule. In every additive relation (a published parent equals the sum of its children along one
   grouping question), parent minus the published children gives the sum of the hidden children. If that
   sum is between 1 and the minimum minus 1, hide the smallest published child with any respondents (then
   the hidden sum is at least the minimum: that child alone has the minimum). A parent never needs hiding
   for this rule: if no published child is left, the hidden sum is the parent itself, which is published
   and so at least the minimum.
2. Audit. The sum rule looks at one relation at a time; several together can still pin a cell (a hidden
   cell that is the only hidden one of its column after its row was protected, a "bridge" between two
   protected blocks, or a two-way cell pinned through the three-way table). So the hidden groups are treated
   as unknowns of the linear system of all the relations, with the published groups as known values, and
   brought to reduced row echelon form (over a prime field of 2^61 - 1: every coefficient is 0 or ±1, so a
   cell determined over the rationals is determined modulo the prime too; the converse can fail only if the
   prime divides a minor, which makes us hide more, never less). A hidden group is determined exactly when
   its column is a pivot whose row has no other entry. For each determined group with between 1 and
   minimum - 1 respondents, hide the smallest published sibling (the same table, one grouping value
   different) with respondents; when it has no published sibling left, hide its smallest published parent.
   Then back to 1.
Each round hides at least one more group, so it ends; at worst only the overall total is left, which pins
no smaller group. An empty group (0 respondents) has nothing to disclose and is not protected for itself,
though it is never published either ("fewer than 5" covers 0 too).

What this does not claim: bounds. Publishing "Iowa: 12" says a cell of Iowa has at most 12; and if none of a
published group chose an answer, none of any group inside it did. Those follow from any published
aggregate. Medians and quartiles are not sums; they are published only for groups (and, for a number
question, answer counts) of at least the minimum, and a difference of published groups is itself hidden
only when it holds at least the minimum, so what differencing could bound is a group of that size.

Cost: the counts come from at most one finest cell per respondent; the system has one unknown per hidden
group, and groups are bounded by the levels of the grouping questions (not by the rows). Levels no one chose
are merged into one (ABSENT) for the audit: no published or protected group fixes one, so they only ever
appear together.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from itertools import product

NOT_ANSWERED = ""  # the level of a respondent who skipped a grouping question: never published
ABSENT = "\x00absent"  # every level no respondent chose, merged for the audit
PRIME = (1 << 61) - 1
DIMENSIONS = 3

Group = tuple[str | None, str | None, str | None]


def group_counts(cells: Counter) -> Counter:
    """Respondents in every group of every table, from the counts of the finest cells (state, size, role)."""
    counts: Counter = Counter()
    for cell, count in cells.items():
        for fixed in _patterns():
            counts[_project(cell, fixed)] += count
    return counts


def published_groups(cells: Counter, levels: tuple[tuple[str, ...], ...], minimum: int) -> set[Group]:
    """The groups whose figures may be shown: at least `minimum` respondents and not pinned by others.

    `levels` are each grouping question's published values (its choices); respondents with a value outside
    them count under NOT_ANSWERED."""
    present = _present_levels(cells)
    merged = Counter()
    for cell, count in cells.items():
        merged[tuple(value if value in present[d] else ABSENT for d, value in enumerate(cell))] += count
    lattice = _Lattice(levels, present)
    counts = group_counts(merged)
    published = {
        group for group in lattice.groups() if counts[group] >= minimum and _publishable_levels(group, levels)
    }
    while True:
        _apply_sum_rule(lattice, counts, published, minimum)
        pinned = [g for g in determined(lattice, published) if 0 < counts[g] < minimum]
        if not pinned:
            return published
        for group in pinned:
            _protect(group, lattice, counts, published)


def _patterns() -> Iterator[tuple[bool, ...]]:
    return product((False, True), repeat=DIMENSIONS)


def _project(cell, fixed) -> Group:
    return tuple(value if keep else None for value, keep in zip(cell, fixed, strict=True))  # type: ignore[return-value]


def _present_levels(cells: Counter) -> list[set[str]]:
    present: list[set[str]] = [set() for _ in range(DIMENSIONS)]
    for cell, count in cells.items():
        if count:
            for d, value in enumerate(cell):
                present[d].add(value)
    return present


def _publishable_levels(group: Group, levels) -> bool:
    return all(value is None or value in levels[d] for d, value in enumerate(group))


class _Lattice:
    """Every group of every table over the levels in play, and the additive relations between them."""

    def __init__(self, levels, present):
        # Each grouping question's levels: the chosen published values, NOT_ANSWERED, and ABSENT for the rest.
        self.levels = []
        for d in range(DIMENSIONS):
            chosen = [value for value in levels[d] if value in present[d]]
            self.levels.append((*chosen, NOT_ANSWERED, ABSENT))

    def groups(self) -> Iterator[Group]:
        for fixed in _patterns():
            choices = [self.levels[d] if keep else (None,) for d, keep in enumerate(fixed)]
            yield from product(*choices)  # type: ignore[misc]

    def children(self, parent: Group, dimension: int) -> list[Group]:
        return [_with(parent, dimension, value) for value in self.levels[dimension]]

    def relations(self) -> Iterator[tuple[Group, list[Group]]]:
        for group in self.groups():
            for dimension in range(DIMENSIONS):
                if group[dimension] is None:
                    yield group, self.children(group, dimension)

    def siblings(self, group: Group) -> Iterator[Group]:
        for dimension, value in enumerate(group):
            if value is not None:
                yield from (g for g in self.children(_with(group, dimension, None), dimension) if g != group)

    def parents(self, group: Group) -> Iterator[Group]:
        for dimension, value in enumerate(group):
            if value is not None:
                yield _with(group, dimension, None)


def _with(group: Group, dimension: int, value: str | None) -> Group:
    changed = list(group)
    changed[dimension] = value
    return tuple(changed)  # type: ignore[return-value]


def _apply_sum_rule(lattice: _Lattice, counts: Counter, published: set[Group], minimum: int) -> None:
    changed = True
    while changed:
        changed = False
        for parent, children in lattice.relations():
            if parent not in published:
                continue
            hidden = sum(counts[child] for child in children if child not in published)
            if 0 < hidden < minimum:
                shown = [child for child in children if child in published and counts[child] > 0]
                published.discard(min(shown, key=lambda g: (counts[g], g)))
                changed = True


def _protect(group: Group, lattice: _Lattice, counts: Counter, published: set[Group]) -> None:
    for candidates in (lattice.siblings(group), lattice.parents(group)):
        shown = [g for g in candidates if g in published and counts[g] > 0]
        if shown:
            published.discard(min(shown, key=lambda g: (counts[g], g)))
            return
    # Nothing near it is published any more, yet it is pinned: hide the finest table still shown.
    finest = max((g for g in published), key=lambda g: (sum(v is not None for v in g), -counts[g]))
    published.discard(finest)


def determined(lattice: _Lattice, published: set[Group]) -> set[Group]:
    """The hidden groups whose respondent count (and so every count figure) the published ones fix."""
    index: dict[Group, int] = {}
    rows = []
    for parent, children in lattice.relations():
        row: dict[int, int] = {}
        for group, sign in ((parent, 1), *((child, PRIME - 1) for child in children)):
            if group not in published:
                column = index.setdefault(group, len(index))
                row[column] = (row.get(column, 0) + sign) % PRIME
        row = {column: value for column, value in row.items() if value}
        if row:
            rows.append(row)
    pivots = reduced_echelon(rows)
    unknowns = {column: group for group, column in index.items()}
    return {unknowns[column] for column, row in pivots.items() if len(row) == 1}


def reduced_echelon(rows: Iterable[dict[int, int]]) -> dict[int, dict[int, int]]:
    """Gauss–Jordan elimination modulo PRIME on sparse rows ({column: coefficient}), kept fully reduced as
    each row arrives; returns {pivot column: its row, normalised to 1 at the pivot}."""
    pivots: dict[int, dict[int, int]] = {}
    holding: defaultdict[int, set[int]] = defaultdict(set)  # column -> pivot columns whose row has it
    for incoming in rows:
        row = dict(incoming)
        for column in [c for c in row if c in pivots]:
            factor = row.get(column, 0)
            if factor:
                _subtract(row, pivots[column], factor)
        if not row:
            continue
        pivot = min(row, key=lambda c: (len(holding[c]), c))
        inverse = pow(row[pivot], PRIME - 2, PRIME)
        row = {c: v * inverse % PRIME for c, v in row.items()}
        for other in list(holding[pivot]):
            _reduce_pivot_row(pivots, holding, other, row, pivot)
        pivots[pivot] = row
        for column in row:
            holding[column].add(pivot)
    return pivots


def _subtract(row: dict[int, int], pivot_row: dict[int, int], factor: int) -> None:
    for column, value in pivot_row.items():
        updated = (row.get(column, 0) - factor * value) % PRIME
        if updated:
            row[column] = updated
        else:
            row.pop(column, None)


def _reduce_pivot_row(pivots, holding, other: int, row: dict[int, int], pivot: int) -> None:
    target = pivots[other]
    factor = target[pivot]
    before = set(target)
    _subtract(target, row, factor)
    for column in before - set(target):
        holding[column].discard(other)
    for column in set(target) - before:
        holding[column].add(other)
