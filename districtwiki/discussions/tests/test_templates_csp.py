"""The strict Content-Security-Policy blocks inline styles and scripts: none in these templates."""

import re
from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).resolve().parents[1] / "templates").rglob("*.html"))
TAG = re.compile(r"<[a-zA-Z][^>]*>", re.DOTALL)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_template_has_no_inline_style_or_script(path):
    text = path.read_text()
    tags = TAG.findall(text)
    assert [tag for tag in tags if re.search(r"\s(style|on[a-z]+)\s*=", tag, re.IGNORECASE)] == []
    assert "<style" not in text.lower()
    assert "javascript:" not in text.lower()
    assert [tag for tag in re.findall(r"<script\b[^>]*>", text) if "src=" not in tag] == []


def test_scan_covers_the_discussion_templates():
    assert {"thread.html", "talk.html", "moderation.html"} <= {path.name for path in TEMPLATES}
