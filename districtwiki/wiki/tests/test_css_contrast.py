"""Every text/background pair of wiki.css's colour tokens meets WCAG 2.1 AA: 4.5:1 for text, 3:1 for
the edges of form fields and focus outlines (non-text contrast, 1.4.11)."""

import re
from pathlib import Path

import pytest

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "districtwiki" / "wiki.css"
TEXT = 4.5
NON_TEXT = 3.0

# (foreground, background, minimum): where each token is drawn on which, in wiki.css.
PAIRS = [
    *[
        (text, background, TEXT)
        for text in ("text", "muted", "link", "link-visited", "link-red", "error-text")
        for background in ("bg", "surface", "note-bg", "success-bg", "warning-bg", "error-bg", "code-bg")
    ],
    *[("text", background, TEXT) for background in ("mark-bg", "diff-hunk-bg")],
    *[("text", background, TEXT) for background in ("diff-del-bg", "diff-ins-bg")],
    *[("text", background, TEXT) for background in ("diff-del-word", "diff-ins-word")],
    ("muted", "diff-del-bg", TEXT),  # line numbers in the diff
    ("muted", "diff-ins-bg", TEXT),
    ("link", "button-bg", TEXT),
    ("header-text", "header-bg", TEXT),
    ("header-muted", "header-bg", TEXT),
    ("primary-text", "primary-bg", TEXT),
    ("primary-text", "primary-hover", TEXT),
    ("danger-text", "danger-bg", TEXT),
    ("danger-text", "danger-hover", TEXT),
    ("button-text", "button-bg", TEXT),
    ("button-text", "button-hover", TEXT),
    ("field-border", "bg", NON_TEXT),
    ("focus", "bg", NON_TEXT),
    ("header-focus", "header-bg", NON_TEXT),
]


def colour_tokens() -> dict[str, str]:
    css = STYLESHEET.read_text()
    root = css[css.index(":root {") : css.index("}", css.index(":root {"))]
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\b", root))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula_matches_wcag_examples():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(("foreground", "background", "minimum"), PAIRS, ids=lambda v: str(v))
def test_colour_pair_meets_aa(foreground, background, minimum):
    tokens = colour_tokens()
    ratio = contrast(tokens[foreground], tokens[background])
    assert ratio >= minimum, f"--{foreground} on --{background} is {ratio:.2f}:1, needs {minimum}:1"


def test_red_links_use_the_checked_red():
    css = STYLESHEET.read_text()
    rule = css[css.index("a.wikilink.new,") : css.index("}", css.index("a.wikilink.new,"))]
    assert "color: var(--link-red)" in rule
