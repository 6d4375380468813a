"""What an import did, counted as it goes, printed at the end and written to a file."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

EXAMPLES_PER_KIND = 20  # pages named under each kind of warning; the count is always whole


@dataclass
class Report:
    source: str = ""
    pages: int = 0
    revisions: int = 0
    already_imported: int = 0
    threads: int = 0
    files: int = 0
    authors: int = 0
    warnings: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=lambda: defaultdict(list))

    def warn(self, kind: str, title: str, count: int = 1) -> None:
        self.warnings[kind] += count
        if len(self.examples[kind]) < EXAMPLES_PER_KIND and title not in self.examples[kind]:
            self.examples[kind].append(title)

    def lines(self) -> list[str]:
        lines = [
            f"MediaWiki import from “{self.source}”",
            f"pages: {self.pages:,}",
            f"revisions: {self.revisions:,} imported, {self.already_imported:,} already there",
            f"threads: {self.threads:,}",
            f"files: {self.files:,}",
            f"placeholder accounts: {self.authors:,}",
        ]
        if not self.warnings:
            return [*lines, "warnings: none"]
        lines.append(f"warnings: {sum(self.warnings.values()):,}")
        for kind, count in sorted(self.warnings.items()):
            shown = ", ".join(self.examples[kind])
            more = "…" if count > len(self.examples[kind]) else ""
            lines.append(f"  {kind}: {count:,} (in {shown}{more})")
        return lines

    def write(self, path: Path) -> None:
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_text("\n".join(self.lines()) + "\n", encoding="utf-8")
        temporary.replace(path)
