"""The icon sprite: every vendored Lucide icon (static/districtwiki/icons/*.svg, ISC licence) as a <symbol>
in one file, static/districtwiki/icons.svg, which pages draw with <use>. A page then carries about a
hundred bytes per icon instead of its shapes (a page view has thirty or more icons), and a browser fetches
the sprite once. After adding an icon to the folder, rebuild the sprite: `python -m districtwiki.wiki.icons`
(test_ui_tags fails while the committed sprite is stale)."""

import hashlib
import re
import sys
from functools import cache
from pathlib import Path

ICON_DIR = Path(__file__).resolve().parents[1] / "static" / "districtwiki" / "icons"
SPRITE = ICON_DIR.parent / "icons.svg"
SPRITE_STATIC_PATH = "districtwiki/icons.svg"
# How every icon is drawn; on the <symbol> so that each <use> inherits it.
STROKE = 'fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"'


def shapes(svg: str) -> str:
    """The drawing inside a vendored icon file, without its <svg> element and licence comment."""
    inner = svg[svg.index(">", svg.index("<svg")) + 1 : svg.rindex("</svg>")]
    return re.sub(r"\s+", " ", inner).strip()


def build_sprite() -> str:
    symbols = "".join(symbol(path) for path in sorted(ICON_DIR.glob("*.svg")))
    return (
        "<!-- Lucide icons, ISC licence (icons/LICENSE). Built by `python -m districtwiki.wiki.icons`. -->\n"
        f'<svg xmlns="http://www.w3.org/2000/svg">{symbols}</svg>\n'
    )


def symbol(path: Path) -> str:
    drawing = shapes(path.read_text(encoding="utf-8"))
    return f'<symbol id="{path.stem}" viewBox="0 0 24 24" {STROKE}>{drawing}</symbol>'


@cache
def names() -> frozenset[str]:
    return frozenset(path.stem for path in ICON_DIR.glob("*.svg"))


@cache
def sprite_url() -> str:
    """The sprite's address, with a version from its content so that browsers never draw a stale one."""
    from django.templatetags.static import static

    version = hashlib.sha256(SPRITE.read_bytes()).hexdigest()[:12]
    return f"{static(SPRITE_STATIC_PATH)}?v={version}"


if __name__ == "__main__":
    SPRITE.write_text(build_sprite(), encoding="utf-8")
    sys.stdout.write(f"wrote {SPRITE} ({len(names())} icons)\n")
