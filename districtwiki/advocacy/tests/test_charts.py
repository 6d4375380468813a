"""Charts are inline SVG that our Content-Security-Policy allows and a screen reader can name."""

import re

from districtwiki.advocacy import charts

LABELS = ["Under 1,000 students", "1,000–2,500 students"]


def draw(**series):
    return charts.bar_chart("hours", "Hours a week", "Median hours a week by district size.", LABELS, series)


def test_chart_is_one_named_image():
    svg = draw(Median=[40, 45])
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" id="hours"')
    assert 'role="img" aria-labelledby="hours-title hours-desc"' in svg
    assert '<title id="hours-title">Hours a week</title>' in svg
    assert '<desc id="hours-desc">Median hours a week by district size.</desc>' in svg
    assert svg.count("<title") == 1 and svg.count("<desc") == 1


def test_chart_has_no_inline_style_or_script():
    svg = draw(Median=[40, 45], Lower=[30, 35])
    assert "<style" not in svg and "<script" not in svg and "style=" not in svg
    assert "<!--" not in svg and "tooltip-overlay" not in svg


def test_ids_of_two_charts_on_a_page_do_not_clash():
    first = draw(Median=[1, 2], Lower=[1, 1])
    second = charts.line_chart(
        "amounts", "Amounts", "Yearly amounts.", ["2024", "2025"], {"A": [1, 2], "B": [2, 3]}
    )
    ids = re.findall(r' id="([^"]+)"', first + second)
    assert sorted(ids) == sorted(
        ["hours", "hours-title", "hours-desc", "amounts", "amounts-title", "amounts-desc"]
    )


def test_labels_and_titles_are_escaped():
    svg = charts.bar_chart("x", "<b>Title</b>", 'A "desc" & more', ["<script>"], {"<i>": [1]})
    assert "<b>" not in svg and "<script>" not in svg and "<i>" not in svg
    assert "&lt;b&gt;Title&lt;/b&gt;" in svg and "&lt;script&gt;" in svg


def test_a_missing_value_leaves_a_gap():
    svg = draw(Median=[40, None])
    assert svg.count('class="bar"') == 1


# --- Lying bars (many groups)

STATES = ["Iowa", "Kansas", "Nebraska", "Minnesota", "South Dakota", "North Dakota", "Montana"]


def lying(**series):
    return charts.horizontal_bar_chart(
        "states", "Hours a week by state", "Median hours a week in each state shown.", STATES, series
    )


def test_horizontal_chart_is_one_named_image():
    svg = lying(Median=[40, 45, 41, 44, 39, 50, 47])
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" id="states"')
    assert 'role="img" aria-labelledby="states-title states-desc"' in svg
    assert '<title id="states-title">Hours a week by state</title>' in svg
    assert '<desc id="states-desc">Median hours a week in each state shown.</desc>' in svg
    assert svg.count("<title") == 1 and svg.count("<desc") == 1


def test_horizontal_chart_has_no_inline_style_or_script():
    svg = lying(Median=[40, 45, 41, 44, 39, 50, 47], Lower=[30, 35, 31, 34, 29, 40, 37])
    assert "<style" not in svg and "<script" not in svg and "style=" not in svg
    assert "<!--" not in svg and "tooltip-overlay" not in svg


def test_horizontal_chart_reads_top_down_in_the_labels_order():
    svg = lying(Median=[40, 45, 41, 44, 39, 50, 47])
    positions = [svg.index(f">{state}<") for state in STATES]
    # pygal writes the axis labels bottom-up: the first label, drawn on top, comes last.
    assert positions == sorted(positions, reverse=True)


def test_horizontal_chart_grows_a_row_per_label():
    three = charts.horizontal_bar_chart("a", "A", "A.", STATES[:3], {"Median": [1, 2, 3]})
    seven = lying(Median=[1, 2, 3, 4, 5, 6, 7])
    height = re.compile(r'viewBox="0 0 \d+ (\d+)"')
    assert int(height.search(seven)[1]) - int(height.search(three)[1]) == 4 * charts.ROW_HEIGHT


def test_horizontal_chart_leaves_a_gap_for_a_missing_value_and_escapes_labels():
    svg = charts.horizontal_bar_chart("x", "<b>T</b>", "D.", ["<script>", "Iowa"], {"M": [None, 3]})
    assert svg.count('class="bar"') == 1
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "<b>" not in svg
