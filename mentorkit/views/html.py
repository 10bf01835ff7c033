"""Rendering a report's data as one self-contained HTML page.

Jinja2 escapes every value by default, so a name with ``<script>`` or quotes renders as text;
the page's charts are the static SVG of :mod:`mentorkit.views.charts`, marked safe here and
nowhere else. The data comes from one audience's view (:mod:`mentorkit.services.reports`).
"""

from __future__ import annotations


def render_report(data: dict) -> str:
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(loader=jinja2.PackageLoader("mentorkit.views", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    charts = {name: Markup(svg) for name, svg in data["charts"].items()}  # pygal's, no script
    return env.get_template("report.html.j2").render(**{**data, "charts": charts})


