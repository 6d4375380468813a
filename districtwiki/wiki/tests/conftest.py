"""Fixtures the wiki's test modules share."""

import pytest


@pytest.fixture
def common_word_pages(make_page):
    """Six pages saying "district": Old 1–3 mention it most often, New 1–3 (saved later) once, twice and
    three times."""
    for number, mentions in ((1, 6), (2, 5), (3, 4), (1, 1), (2, 2), (3, 3)):
        title = f"Old {number}" if mentions > 3 else f"New {number}"
        make_page(title, "Notes. " + "The district plan. " * mentions + "Filler words here. " * 5)
