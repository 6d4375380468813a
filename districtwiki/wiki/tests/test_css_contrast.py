"""Every text/background pair of wiki.css's colour tokens meets WCAG 2.1 AA, in the light scheme and in the
dark one (the `prefers-color-scheme: dark` block redefines the tokens): 4.5:1 for text, 3:1 for the edges of
form fields and focus outlines (non-text contrast, 1.4.11). The other stylesheets use only these tokens
(test_stylesheets_use_only_tokens), so checking the tokens checks them too."""

import re
from pathlib import Path

import pytest

STYLESHEET = Path(__file__).resolve().parents[2] / "static" / "districtwiki" / "wiki.css"
TEXT = 4.5
NON_TEXT = 3.0

# The icon of each kind of alert is drawn in its border colour on its background.
ALERT_ICONS = [
    ("note-border", "note-bg"),
    ("success-border", "success-bg"),
    ("warning-border", "warning-bg"),
    ("error-border", "error-bg"),
]

# (foreground, background, minimum): where each token is drawn on which, in wiki.css.
PAIRS = [
    *[
        (text, background, TEXT)
        for text in ("text", "muted", "link", "link-visited", "link-red", "error-text")
        for background in (
            "bg",
            "surface",
            "surface-raised",
            "accent-soft",
            "note-bg",
            "success-bg",
            "warning-bg",
            "error-bg",
            "code-bg",
        )
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
    # chart series (advocacy/charts.css): bars and lines on the page, and each beside the next
    *[(f"chart-{n}", background, NON_TEXT) for n in (1, 2, 3, 4) for background in ("bg", "surface-raised")],
    ("button-text", "surface-raised", TEXT),  # menu items
    ("text", "button-hover", TEXT),  # the search button's hover
    ("header-muted", "surface", TEXT),  # a navigation link under the pointer
    ("header-text", "accent-soft", TEXT),  # the current section
    # a page size that grew, in recent changes
    *[("success-text", background, TEXT) for background in ("bg", "surface", "surface-raised")],
    ("count-text", "count-bg", TEXT),  # the unread count on the notifications bell
    *[("avatar-text", f"avatar-{n}", TEXT) for n in range(1, 7)],  # initials on each avatar colour
    ("field-border", "bg", NON_TEXT),
    ("field-border", "surface", NON_TEXT),  # the header's search field
    ("focus", "bg", NON_TEXT),
    ("focus", "surface", NON_TEXT),
    ("focus", "surface-raised", NON_TEXT),
    ("header-focus", "header-bg", NON_TEXT),
    ("primary-bg", "bg", NON_TEXT),  # the current tab's underline
    ("error-border", "bg", NON_TEXT),  # an invalid field's edge
    *[(edge, background, NON_TEXT) for edge, background in ALERT_ICONS],
]
SCHEMES = ("light", "dark")
OTHER_STYLESHEETS = sorted(
    [path for path in STYLESHEET.parent.glob("*.css") if path != STYLESHEET]
    + list(STYLESHEET.parents[2].glob("*/static/*/*.css"))
)


DARK_BLOCK = "@media (prefers-color-scheme: dark) {"


def block_tokens(css: str, start: int) -> dict[str, str]:
    """The colour tokens of the `:root {` block at or after `start`."""
    begin = css.index(":root {", start)
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})\b", css[begin : css.index("}", begin)]))


def colour_tokens(scheme: str = "light") -> dict[str, str]:
    """The tokens in force in a scheme: the light ones, and over them the dark block's in the dark scheme."""
    css = STYLESHEET.read_text()
    tokens = block_tokens(css, 0)
    if scheme == "dark":
        tokens |= block_tokens(css, css.index(DARK_BLOCK))
    return tokens


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


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize(("foreground", "background", "minimum"), PAIRS, ids=lambda v: str(v))
def test_colour_pair_meets_aa(scheme, foreground, background, minimum):
    tokens = colour_tokens(scheme)
    ratio = contrast(tokens[foreground], tokens[background])
    assert ratio >= minimum, f"{scheme}: --{foreground} on --{background} is {ratio:.2f}:1, needs {minimum}:1"


def test_dark_scheme_redefines_every_colour_token():
    css = STYLESHEET.read_text()
    light = block_tokens(css, 0)
    dark = block_tokens(css, css.index(DARK_BLOCK))
    assert sorted(set(light) - set(dark)) == []


def test_page_follows_the_system_colour_scheme():
    css = STYLESHEET.read_text()
    root = css[css.index(":root {") : css.index("}", css.index(":root {"))]
    assert "color-scheme: light dark;" in root


# A sheet of paper keeps its own ink and paper in every colour scheme, as a printed page does: the one-page
# brief (advocacy/brief.css), also rendered to PDF where wiki.css is not loaded. Its palette is checked here.
PAPER_STYLESHEETS = {"brief.css"}
PAPER = "#ffffff"
PAPER_PAIRS = [("brief-ink", TEXT), ("brief-muted", TEXT), ("brief-accent", TEXT)]


@pytest.mark.parametrize(
    "stylesheet",
    [path for path in OTHER_STYLESHEETS if path.name not in PAPER_STYLESHEETS],
    ids=lambda p: p.name,
)
def test_stylesheets_use_only_tokens(stylesheet):
    """A literal colour outside wiki.css's token blocks would not change with the scheme."""
    literals = re.findall(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgb|rgba|hsl|hsla)\(", stylesheet.read_text())
    assert literals == [], f"{stylesheet.name} has literal colours {literals}; use var(--token)"


@pytest.mark.parametrize(("token", "minimum"), PAPER_PAIRS)
def test_paper_sheet_ink_meets_aa(token, minimum):
    sheet = next(path for path in OTHER_STYLESHEETS if path.name in PAPER_STYLESHEETS).read_text()
    colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", sheet))
    for background in (PAPER, colours["brief-tint"]):
        assert contrast(colours[token], background) >= minimum, f"--{token} on {background}"


def test_the_contrast_check_can_fail():
    assert contrast("#777777", "#ffffff") < TEXT  # a grey that looks fine and is not


def test_red_links_use_the_checked_red():
    css = STYLESHEET.read_text()
    rule = css[css.index("a.wikilink.new,") : css.index("}", css.index("a.wikilink.new,"))]
    assert "color: var(--link-red)" in rule
