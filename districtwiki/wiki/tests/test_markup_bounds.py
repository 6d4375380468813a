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


def test_unclosed_wikilinks_do_not_hide_a_link_in_a_later_paragraph():
    assert html("[[a " * 2000 + "\n\n[[Target]]").count('data-wikilink="Target"') == 1


def test_unclosed_wikilink_before_a_link_on_its_line_leaves_both_as_text():
    # As markdown-it rendered it: the first `[[` takes the `]]`, and a title holds no `[`.
    assert html("[[a [[Target]]") == "<p>[[a [[Target]]</p>\n"


def test_long_link_text_is_a_link():
    words = " ".join(f"*w{i}*" for i in range(1_000))
    assert '<a href="https://example.org"' in html(f"[{words}](https://example.org)")


def test_links_after_many_stray_brackets_are_links():
    out = html("[first](https://a.example) " + "[x " * 100_000 + "\n\n[last](https://b.example)")
    assert 'href="https://a.example"' in out
    assert 'href="https://b.example"' in out


def test_footnote_references_work_and_inline_footnotes_are_text():
    out = html("Claim[^1] and ^[inline].\n\n[^1]: The source.\n")
    assert 'class="footnote-ref"' in out
    assert "The source." in out
    assert "^[inline]" in out


def test_long_footnote_label_is_a_reference():
    label = "x" * 1_000
    assert 'class="footnote-ref"' in html(f"Claim[^{label}].\n\n[^{label}]: Note.\n")


def test_elements_nested_past_the_bound_keep_their_text():
    out = html("> " * 200 + "deep *words*")
    assert out.count("<blockquote>") == markup.MAX_NESTING
    assert "deep words" in out


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
