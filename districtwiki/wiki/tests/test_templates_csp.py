"""The Content-Security-Policy (script-src 'self'; style-src 'self') blocks inline styles and scripts, so a
template that uses them breaks silently in the browser. These scans catch it before a browser would."""

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(
    [PACKAGE / "templates" / "base.html", *(PACKAGE / "wiki" / "templates" / "wiki").rglob("*.html")]
)
TAG = re.compile(r"<[a-zA-Z][^>]*>", re.DOTALL)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)


def template_id(path: Path) -> str:
    return str(path.relative_to(PACKAGE))


def tags(path: Path) -> list[str]:
    return TAG.findall(path.read_text())


@pytest.mark.parametrize("path", TEMPLATES, ids=template_id)
def test_template_has_no_style_attribute(path):
    assert [tag for tag in tags(path) if STYLE_ATTRIBUTE.search(tag)] == []


@pytest.mark.parametrize("path", TEMPLATES, ids=template_id)
def test_template_has_no_style_element(path):
    assert "<style" not in path.read_text().lower()


@pytest.mark.parametrize("path", TEMPLATES, ids=template_id)
def test_template_has_no_inline_script(path):
    inline = [tag for tag in SCRIPT_TAG.findall(path.read_text()) if not re.search(r"\ssrc\s*=", tag)]
    assert inline == []


@pytest.mark.parametrize("path", TEMPLATES, ids=template_id)
def test_template_has_no_event_handler_attribute(path):
    assert [tag for tag in tags(path) if EVENT_ATTRIBUTE.search(tag)] == []


@pytest.mark.parametrize("path", TEMPLATES, ids=template_id)
def test_template_has_no_javascript_url(path):
    assert "javascript:" not in path.read_text().lower()


def test_scan_covers_the_base_and_wiki_templates():
    names = {template_id(path) for path in TEMPLATES}
    assert {"templates/base.html", "wiki/templates/wiki/edit.html", "wiki/templates/wiki/page.html"} <= names


def test_scan_finds_an_inline_style(tmp_path):
    sample = tmp_path / "sample.html"
    sample.write_text('<p class="note"\n   style="color: red">hi</p>')
    assert any(STYLE_ATTRIBUTE.search(tag) for tag in tags(sample))


def test_scan_finds_an_event_handler(tmp_path):
    sample = tmp_path / "sample.html"
    sample.write_text('<button type="button" onclick="go()">Go</button>')
    assert any(EVENT_ATTRIBUTE.search(tag) for tag in tags(sample))
