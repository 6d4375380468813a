"""The renderer's bounds (docs/limits.md): what changes at the limits, and that nothing else does."""

import nh3

from districtwiki.wiki import markup


def html(text: str) -> str:
    return markup.render(text).html


def test_repeated_headings_get_github_style_ids():
    out = html("# Plan\n\n# Plan\n\n# Plan-1\n\n# Plan\n")
    assert [f'id="{anchor}"' in out for anchor in ("plan", "plan-1", "plan-1-1", "plan-2")] == [True] * 4


def test_many_repeated_headings_stay_unique():
    ids = html("# a\n" * 3000).split('<h1 id="')[1:]
    assert len({anchor.split('"')[0] for anchor in ids}) == 3000


def test_wikilink_within_the_bound_is_a_link_and_beyond_it_is_text():
    near = "[[" + "A" * 200 + "|" + "b" * (markup.WIKILINK_MAX_CHARS - 300) + "]]"
    far = "[[" + "A" * 200 + "|" + "b" * markup.WIKILINK_MAX_CHARS + "]]"
    assert "data-wikilink" in html(near)
    assert "data-wikilink" not in html(far)


def test_unclosed_wikilinks_do_not_hide_a_later_link():
    assert html("[[a " * 2000 + "[[Target]]").count('data-wikilink="Target"') == 1


def test_link_text_longer_than_the_bound_is_plain_text():
    words = " ".join(f"*w{i}*" for i in range(markup.LINK_TEXT_MAX_STEPS))
    assert "<a href" not in html(f"[{words}](https://example.org)")
    assert '<a href="https://example.org"' in html("[a *short* text](https://example.org)")


def test_links_after_the_page_budget_is_spent_are_text():
    stray = "[x " * (markup.LINK_TEXT_STEPS_PER_PAGE // 2)
    out = html("[first](https://a.example) " + stray + "\n\n[last](https://b.example)")
    assert 'href="https://a.example"' in out
    assert 'href="https://b.example"' not in out


def test_footnote_references_work_and_inline_footnotes_are_text():
    out = html("Claim[^1] and ^[inline].\n\n[^1]: The source.\n")
    assert 'class="footnote-ref"' in out
    assert "The source." in out
    assert "^[inline]" in out


def test_overlong_footnote_label_is_text():
    label = "x" * 101
    assert 'class="footnote-ref"' not in html(f"Claim[^{label}].\n\n[^{label}]: Note.\n")


def test_ampersands_split_for_the_sanitiser_leave_the_output_unchanged():
    fragment = "<p>" + "a &amp; " * 1000 + '<a href="?a=1&amp;b=2">x</a></p>'
    assert markup.sanitize(fragment) == nh3.clean(fragment, tags={"p", "a"}, link_rel=None)
    assert "<!--" not in html("&" * 5000)


def test_task_lists_render_checkboxes_labelled_by_their_text():
    out = html("- [ ] open\n- [x] done\n  - [X] nested\n- plain\n")
    assert out.count('<ul class="contains-task-list">') == 2
    assert '<li class="task-list-item"><label><input class="task-list-item-checkbox" disabled' in out
    assert out.count('checked="checked"') == 2
    assert "<li>plain</li>" in out
