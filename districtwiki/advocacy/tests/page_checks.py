"""One walk over the hub's pages in Chromium, shared by its browser tests: each page as a given member (or
signed out), at a desktop and a phone width, screenshot kept for a person to look at, axe run on it."""

from districtwiki.wiki.tests.browser import (
    SCREENSHOT_DIR,
    PageWatch,
    axe_violations,
    describe_violations,
    sign_in,
    watched_page,
)

VIEWPORTS = ({"width": 1280, "height": 800}, {"width": 375, "height": 812})


def check_pages(chromium, live_server, shots, prefix: str) -> None:
    """`shots`: (member or None, path, name). Fails on any axe violation, console error or CSP report."""
    context = chromium.new_context(base_url=live_server.url)
    watch = PageWatch()
    page = watched_page(context, watch)
    failures = []
    for who, path, name in shots:
        context.clear_cookies()
        if who is not None:
            sign_in(context, live_server.url, who)
        page.goto(path)
        for size in VIEWPORTS:
            page.set_viewport_size(size)
            page.screenshot(path=str(SCREENSHOT_DIR / f"{prefix}-{name}-{size['width']}.png"), full_page=True)
            if violations := axe_violations(page):
                failures.append(f"{path} at {size['width']}px:\n{describe_violations(violations)}")
    context.close()
    assert not failures, "\n".join(failures)
    assert watch.errors == []
