import pytest

from districtwiki.content import loader

PAGE = """---
audience: [technician]
district_size: [any]
reviewed: 2026-11-01
review_every: 12
time_sensitive: false
sources:
  - {{title: "A guide", publisher: "An agency", date: "2025"}}
---
{body}
"""


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    """A throw-away shipped content folder: shipped("Title", "body") writes a page file."""
    pages, files = tmp_path / "pages", tmp_path / "files"
    pages.mkdir()
    files.mkdir()
    monkeypatch.setattr(loader, "PAGES_DIR", pages)
    monkeypatch.setattr(loader, "FILES_DIR", files)

    def write(title: str, body: str) -> None:
        name = title.replace("/", "__").replace(" ", "_") + ".md"
        (pages / name).write_text(PAGE.format(body=body), encoding="utf-8")

    write.files = files
    return write
