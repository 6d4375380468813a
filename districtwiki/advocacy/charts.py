"""Charts drawn on the server as SVG (pygal), ready to sit inline in a page under our Content-Security-Policy.

pygal draws the geometry; what it adds for a browser of its own we take out: its <style> and <script>
elements, inline style attributes and the tooltip layer (the policy forbids inline styles and scripts, and
every figure is in the table beside the chart anyway). The colours and type come from advocacy/charts.css.
Each chart is one image to assistive technology: role="img", named by its <title> and described by its
<desc>, so a screen reader says what the chart shows in a sentence instead of reading out its axes.
"""

from collections.abc import Sequence
from xml.etree import ElementTree

import pygal
from django.utils.safestring import SafeString, mark_safe

# Series colours, in order; each is 3:1 or more against the white plot (WCAG 1.4.11) and against its
# neighbour in the list, and they are told apart by the legend's labels as well as by colour.
SERIES_CLASSES = 4
WIDTH, HEIGHT = 720, 360
# Enough room for a label like "2,500–10,000 students" under a bar.
LABEL_CHARACTERS = 24
# Lying bars: each label's row is this tall (per pair of series), plus room for the axis and legend.
ROW_HEIGHT = 30
AXIS_HEIGHT = 80


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
) -> SafeString:
    """Vertical bars, one group per label and one bar per series (None leaves a gap: a suppressed figure)."""
    chart = pygal.Bar(**_config(len(series) > 1))
    return _draw(chart, chart_id, title, description, labels, series)


def horizontal_bar_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
) -> SafeString:
    """Bars lying down, one labelled row per label (read top-down in the labels' order), as tall as the rows
    need: for more labels than fit under upright bars. None leaves a gap, as in bar_chart."""
    config = _config(len(series) > 1)
    config["height"] = AXIS_HEIGHT + ROW_HEIGHT * len(labels) * max(1, len(series) // 2)
    # pygal lays the first label at the bottom; reversed, the chart reads top-down like a table.
    backwards = {name: list(values)[::-1] for name, values in series.items()}
    return _draw(pygal.HorizontalBar(**config), chart_id, title, description, list(labels)[::-1], backwards)


def line_chart(
    chart_id: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
) -> SafeString:
    """One line per series across the labels (years, say); None breaks the line."""
    chart = pygal.Line(**_config(len(series) > 1), allow_interruptions=True)
    return _draw(chart, chart_id, title, description, labels, series)


def _config(legend: bool) -> dict:
    # No title drawn inside: the page's heading or caption names the chart, and its <title> names it to
    # assistive technology.
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "show_legend": legend,
        "legend_at_bottom": True,
        "truncate_label": LABEL_CHARACTERS,
        "js": [],
        "css": [],
        "no_prefix": True,
        "disable_xml_declaration": True,
        "print_values": False,
        "show_y_guides": True,
        "include_x_axis": True,
    }


def _draw(chart, chart_id, title, description, labels, series) -> SafeString:
    chart.x_labels = list(labels)
    for name, values in series.items():
        chart.add(name, list(values))
    root = chart.render_tree()
    _strip_browser_extras(root)
    _name_for_assistive_technology(root, chart_id, title, description)
    return mark_safe(ElementTree.tostring(root, encoding="unicode", short_empty_elements=True))


def _strip_browser_extras(root) -> None:
    for parent in list(root.iter()):
        for child in list(parent):
            if _is_extra(child):
                parent.remove(child)
    for element in root.iter():
        element.attrib.pop("style", None)
        if element.get("id", "").startswith("activate-serie"):
            del element.attrib["id"]  # pygal's ids repeat across the charts of one page


def _is_extra(element) -> bool:
    if not isinstance(element.tag, str):
        return True  # a comment: pygal signs its work
    # pygal writes plain tag names, with the SVG namespace as an attribute of the root. Its <title> and
    # <desc> elements (the chart's title, axis values, tooltip data) go: the chart gets its own below.
    return (
        element.tag in {"style", "script", "title", "desc", "defs"}
        or "tooltip-overlay" in element.get("class", "").split()
    )


def _name_for_assistive_technology(root, chart_id: str, title: str, description: str) -> None:
    root.set("id", chart_id)
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    root.set("class", "chart")
    title_element = ElementTree.Element("title", id=f"{chart_id}-title")
    title_element.text = title
    desc_element = ElementTree.Element("desc", id=f"{chart_id}-desc")
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)
