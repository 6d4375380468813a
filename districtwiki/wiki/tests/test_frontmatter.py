import datetime

import pytest
import time_machine

from districtwiki.wiki import actions, frontmatter
from districtwiki.wiki.models import Page, PageProperties

GOOD = """---
audience: [coordinator, director]
district_size: [under-1000]
reviewed: 2026-01-31
review_every: 1
time_sensitive: true
sources:
  - title: "E-Rate program overview"
    publisher: "USAC"
    date: "2025"
---
Body text with [[A link]].
"""


def test_front_matter_is_parsed_into_page_properties(alice):
    page = actions.save_revision("Props", GOOD, alice).page
    properties = PageProperties.objects.get(page=page)
    assert properties.audience_list == ["coordinator", "director"]
    assert properties.reviewed == datetime.date(2026, 1, 31)
    assert properties.review_due == datetime.date(2026, 2, 28)  # month end is clamped
    assert properties.sources == [{"title": "E-Rate program overview", "publisher": "USAC", "date": "2025"}]


def test_front_matter_is_not_rendered_but_kept_in_history(alice):
    revision = actions.save_revision("Props", GOOD, alice).revision
    assert "audience" not in revision.html
    assert revision.text.startswith("---\naudience")


def test_removing_front_matter_removes_properties(alice):
    first = actions.save_revision("Props", GOOD, alice).revision
    actions.save_revision("Props", "Just text.", alice, first.pk)
    assert not PageProperties.objects.exists()


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("audience: [janitor]", "audience"),
        ("district_size: huge", "district_size"),
        ("reviewed: last tuesday", "reviewed"),
        ("review_every: 0", "review_every"),
        ("time_sensitive: maybe", "time_sensitive"),
        ("sources: [{publisher: USAC}]", "sources"),
        ("colour: blue", "colour"),
    ],
)
def test_invalid_front_matter_is_refused_naming_the_field(alice, line, field):
    with pytest.raises(actions.WikiError, match=f"`{field}`"):
        actions.save_revision("Props", f"---\n{line}\n---\nBody", alice)
    assert not Page.objects.exists()


def test_broken_yaml_is_refused(alice):
    with pytest.raises(actions.WikiError, match="not valid YAML"):
        actions.save_revision("Props", "---\naudience: [unclosed\n---\nBody", alice)
    assert not Page.objects.exists()


def test_invalid_front_matter_on_edit_form_is_400_with_text_kept(alice_client):
    response = alice_client.post("/edit/Props", {"text": "---\nreview_every: soon\n---\nBody", "save": "1"})
    assert response.status_code == 400
    assert b"review_every" in response.content
    assert b"review_every: soon" in response.content
    assert not Page.objects.exists()


def test_with_reviewed_replaces_the_date():
    text = frontmatter.with_reviewed(GOOD, datetime.date(2026, 11, 28))
    assert frontmatter.parse(text).reviewed == datetime.date(2026, 11, 28)
    assert text.endswith("Body text with [[A link]].\n")


NOW = datetime.datetime(2026, 11, 28, 12, tzinfo=datetime.UTC)


@time_machine.travel(NOW)
def test_page_view_shows_info_box_and_stale_banner(client, alice):
    actions.save_revision("Props", GOOD, alice)
    content = client.get("/wiki/Props").content.decode()
    assert "About this page" in content
    assert "technology coordinators, technology directors" in content
    assert "This page may be out of date" in content
    assert "Review due" in content


@time_machine.travel(NOW)
def test_fresh_page_has_no_stale_banner(client, alice):
    text = GOOD.replace("2026-01-31", "2026-11-01").replace("review_every: 1", "review_every: 12")
    actions.save_revision("Props", text, alice)
    assert "This page may be out of date" not in client.get("/wiki/Props").content.decode()


# --- Bounds on the YAML parser (docs/limits.md) -----------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("sources: " + "[" * 5000 + "]" * 5000, "Front matter field `sources` is nested too deeply"),
        ("sources:\n  - {title: a, url: [[[x]]]}", "Front matter field `sources` is nested too deeply"),
        ("[" * 100, "The front matter is nested too deeply"),
        ("audience: &a [coordinator]\ndistrict_size: *a", "Front matter field `district_size` uses an alias"),
        ("x: &a [1]\n" + "".join(f"y{i}: *a\n" for i in range(3_000)), "at most 16,384"),
        ("x: &a [1]\n" + "".join(f"y{i}: *a\n" for i in range(1_000)), "field `y0` uses an alias"),
        ("sources:\n" + "  - a\n" * 101, "Front matter field `sources` has 101 items"),
    ],
)
def test_front_matter_beyond_the_limits_is_refused_naming_the_field(alice, block, message):
    with pytest.raises(actions.WikiError, match=message):
        actions.save_revision("Props", f"---\n{block}\n---\nBody", alice)
    assert not Page.objects.exists()


def test_deep_front_matter_on_edit_form_is_400_not_500(alice_client):
    text = "---\nsources: " + "[" * 5000 + "]" * 5000 + "\n---\nBody"
    response = alice_client.post("/edit/Props", {"text": text, "save": "1"})
    assert response.status_code == 400
    assert b"`sources` is nested too deeply" in response.content
    assert not Page.objects.exists()
