"""The report's charts as inline SVG, drawn by pygal: no browser, no network, no geometry of
our own.

pygal puts a small script in every chart (its tooltips, with the chart's labels as JSON); a
report must run no script at all, so it is dropped from the tree before the SVG is written,
and the charts stay static pictures. Labels and values are escaped by the XML serialiser.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping, Sequence

COLOURS = ("#2b6cb0", "#d69e2e", "#c53030", "#2f855a", "#6b46c1", "#718096")


def _style():
    from pygal.style import Style

    # large for the drawing's size: the page scales it to the window (to a third at 360 px
    # wide), and its words stay readable
    return Style(background="white", plot_background="white", colors=COLOURS,
                 font_family="system-ui, sans-serif", title_font_size=18,
                 label_font_size=15, major_label_font_size=15, legend_font_size=15,
                 value_font_size=15)


def _svg(chart) -> str:
    tree = chart.render_tree()
    for parent in tree.iter():
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.rsplit("}", 1)[-1] == "script":
                parent.remove(child)
    ElementTree.register_namespace("", "http://www.w3.org/2000/svg")
    ElementTree.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    return ElementTree.tostring(tree, encoding="unicode")


def _options(title: str, **extra) -> dict:
    """A chart's options: legends and labels in full (never cut off with an ellipsis),
    the legend under the chart where it has room for long names; the page scales the
    drawing to its width (its viewBox), so it is never cut off either."""
    return dict(title=title, style=_style(), js=[], width=480, height=340,
                explicit_size=True, disable_xml_declaration=True, print_values=False,
                truncate_legend=-1, truncate_label=-1, legend_at_bottom=True,
                legend_at_bottom_columns=2, **extra)


def histogram(values: Sequence[float], bins: int) -> tuple[list[int], list[float]]:
    """Counts in ``bins`` equal bins from the least value to the greatest (the last bin
    holds the greatest), and the bins' edges: as numpy's ``histogram`` counts them, without
    loading numpy for one chart."""
    low, high = (min(values), max(values)) if values else (0.0, 1.0)
    if low == high:
        low, high = low - 0.5, high + 0.5
    width = (high - low) / bins
    counts = [0] * bins
    for value in values:
        counts[min(int((value - low) / width), bins - 1)] += 1
    return counts, [low + width * i for i in range(bins + 1)]


def score_histogram(scores: Sequence[float], bins: int = 8) -> str:
    """How the groups' scores are spread."""
    import pygal

    counts, edges = histogram([float(s) for s in scores], min(bins, max(1, len(scores))))
    chart = pygal.Bar(**_options("Groups by score", show_legend=False, x_label_rotation=40))
    chart.x_labels = [f"{lo:.1f}-{hi:.1f}" for lo, hi in itertools.pairwise(edges)]
    chart.add("groups", [int(c) for c in counts])
    return _svg(chart)


def contributions(points: Mapping[str, float]) -> str:
    """Each criterion's share of the score, averaged over the groups."""
    import pygal

    chart = pygal.HorizontalBar(**_options("Average points per group, by criterion"))
    for label, value in points.items():
        chart.add(label, round(value, 2))
    return _svg(chart)


def contacts_over_time(months: Sequence[str], counts: Mapping[str, Sequence[int]]) -> str:
    """The meetings and contacts logged each month, by kind."""
    import pygal

    chart = pygal.StackedBar(**_options("Meetings and contacts logged each month, by kind",
                                        x_label_rotation=20))
    chart.x_labels = list(months)
    for standing, values in counts.items():
        chart.add(standing, list(values))
    return _svg(chart)


def assessment_means(means: Mapping[str, float], high: float) -> str:
    """An assessment's mean answer per question, over every group."""
    import pygal

    chart = pygal.HorizontalBar(**_options("Assessment: mean answer per question",
                                           range=(0, high)))
    for question, value in means.items():
        chart.add(question, round(value, 2))
    return _svg(chart)
