"""The report's HTML page: headline numbers, each plot, and the table it was drawn from.

One self-contained file: the style sheet is inline, there is no script, and
the only things it loads are the PNGs beside it, by relative name, so it
reads the same from a USB stick with no network. Every table cell is a
number or a label from ``report.json``; nothing is computed here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from snhr_crawler.report.figures import Figure

STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 62em; padding: 0 1em;
       color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2.2em; }
img { max-width: 100%; height: auto; border: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0; }
th, td { border: 1px solid #ccc; padding: 0.15em 0.5em; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.caption, .note { color: #555; } dl.summary dt { font-weight: 600; }
dl.summary { display: grid; grid-template-columns: max-content auto; gap: 0 1em; }
"""


def _cell(value: Any) -> str:
    if value is None:
        return "<td></td>"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<td class="n">{value}</td>'
    return f"<td>{escape(str(value))}</td>"


def table(figure: Figure) -> str:
    head = "".join(f"<th>{escape(name)}</th>" for name in figure.columns)
    body = "\n".join("<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in figure.rows)
    return (
        f'<table data-figure="{escape(figure.key)}">\n<thead><tr>{head}</tr></thead>\n'
        f"<tbody>\n{body}\n</tbody>\n</table>"
    )


def _summary(values: Mapping[str, Any]) -> str:
    items = []
    for name, value in values.items():
        if isinstance(value, Mapping):
            value = ", ".join(f"{k} {v}" for k, v in value.items()) or "none"
        shown = "n/a" if value is None else escape(str(value))
        items.append(
            f'<dt>{escape(name.replace("_", " "))}</dt><dd data-key="{escape(name)}">{shown}</dd>'
        )
    return '<dl class="summary">' + "".join(items) + "</dl>"


def section(figure: Figure, image: str) -> str:
    rows = len(figure.rows)
    return f"""
<section id="{escape(figure.key)}">
<h2>{escape(figure.title)}</h2>
<p class="caption">{escape(figure.caption)}</p>
<img src="{escape(image)}" alt="{escape(figure.title)}">
{_summary(figure.summary)}
<details><summary>The numbers ({rows} row{"" if rows == 1 else "s"})</summary>
{table(figure)}
</details>
</section>"""


def render(report: Mapping[str, Any], figures: Sequence[Figure], images: Mapping[str, str]) -> str:
    """The page for ``report`` (what ``report.json`` holds) and each figure's image file name."""
    head = report["headline"]
    by_source = ", ".join(f"{escape(s)} {n:,}" for s, n in head["articles_by_source"].items())
    period = (
        f"published {head['first_published']} to {head['last_published']}"
        if head["first_published"]
        else "no dated article"
    )
    contents = "".join(
        f'<li><a href="#{escape(f.key)}">{escape(f.title)}</a></li>' for f in figures
    )
    sections = "".join(section(figure, images[figure.key]) for figure in figures)
    as_of = escape(str(report["as_of"] or "never"))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SNHR archive report</title>
<style>{STYLE}</style>
</head>
<body>
<h1>SNHR archive report</h1>
<p>Archive <code>{escape(str(report["archive"]))}</code>, last archived {as_of}:
<strong>{head["articles"]:,}</strong> articles ({by_source}), {period};
<strong>{head["incidents"]:,}</strong> incidents read from news titles, naming
<strong>{head["killed"]:,}</strong> people killed.</p>
<p class="note">Every number here comes from the archive: the articles from
<code>snhr-crawler export</code>'s table (latest versions), the runs from <code>runs/*.json</code>,
the coverage from <code>state/audit-*.json</code>. The same numbers are in
<code>report.json</code> beside this page. Incidents are read from titles by rules
(docs/incidents.md); a title they cannot read gives no count.</p>
<ul>{contents}</ul>
{sections}
</body>
</html>
"""
