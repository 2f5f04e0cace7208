"""The report's plots: one PNG per ``figures.Figure``, drawn from its table alone.

matplotlib's object API (no ``pyplot``: no global state, no GUI backend),
rendered by Agg at a fixed size and resolution, with colours assigned by the
sorted category names, so the same archive draws the same picture. PNG
rather than SVG: the file carries no fonts to fetch and no text that names a
web address (the ``Software`` stamp is left out), so the page works offline.
matplotlib is the ``report`` extra: this module is imported only by the
``report`` command once it has checked that matplotlib is installed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import matplotlib.dates as mdates
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure as Canvas
from matplotlib.ticker import MaxNLocator

from snhr_crawler.report.figures import Figure

DPI = 100
WIDTH = 10.0  # inches
_MONTH_WIDTH = 24  # days: a month's bar, with a gap


def _palette(names: list[str]) -> dict[str, Any]:
    colours = colormaps["tab20" if len(names) > 10 else "tab10"]
    return {name: colours(i % colours.N) for i, name in enumerate(names)}


def _month(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 15)


def _stacked_months(
    axes: Axes,
    rows: list[list[Any]],
    month_at: int,
    group_at: int,
    value_at: int,
    groups: list[str],
) -> None:
    """Bars per month, stacked by ``groups`` (the same colours in every panel)."""
    colours = _palette(groups)
    values: dict[str, dict[date, float]] = defaultdict(dict)
    for row in rows:
        values[row[group_at]][_month(row[month_at])] = row[value_at]
    months = sorted({_month(row[month_at]) for row in rows})
    bottom = dict.fromkeys(months, 0.0)
    for group in groups:
        heights = [values[group].get(month, 0) for month in months]
        if not any(heights):
            continue
        axes.bar(
            months,  # type: ignore[arg-type]  # matplotlib's date converter takes dates
            heights,
            width=_MONTH_WIDTH,
            bottom=[bottom[month] for month in months],
            color=colours[group],
            label=group,
        )
        for month, height in zip(months, heights, strict=True):
            bottom[month] += height
    axes.xaxis.set_major_formatter(mdates.ConciseDateFormatter(mdates.AutoDateLocator()))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    _legend_outside(axes)


def _legend_outside(axes: Axes) -> None:
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)


def _canvas(height: float) -> Canvas:
    return Canvas(figsize=(WIDTH, height), dpi=DPI, layout="constrained")


def _empty(figure: Figure) -> Canvas:
    canvas = _canvas(1.5)
    canvas.text(0.5, 0.5, f"{figure.title}: nothing to show yet", ha="center", va="center")
    return canvas


def articles_per_month(figure: Figure) -> Canvas:
    sources = sorted({row[1] for row in figure.rows})
    doc_types = sorted({row[2] for row in figure.rows})
    canvas = _canvas(2.2 * len(sources) + 0.6)
    panels = canvas.subplots(len(sources), 1, sharex=True, squeeze=False)[:, 0]
    for axes, source in zip(panels, sources, strict=True):
        _stacked_months(axes, [r for r in figure.rows if r[1] == source], 0, 2, 3, doc_types)
        axes.set_title(source, loc="left", fontsize="medium")
        axes.set_ylabel("articles")
    canvas.suptitle(figure.title)
    return canvas


def _one_panel(figure: Figure, *, group_at: int, value_at: int, ylabel: str) -> Canvas:
    canvas = _canvas(4.0)
    axes = canvas.subplots()
    groups = sorted({row[group_at] for row in figure.rows})
    _stacked_months(axes, figure.rows, 0, group_at, value_at, groups)
    axes.set_ylabel(ylabel)
    axes.set_title(figure.title)
    return canvas


def incidents_per_month(figure: Figure) -> Canvas:
    return _one_panel(figure, group_at=1, value_at=2, ylabel="incidents")


def victims_per_month(figure: Figure) -> Canvas:
    return _one_panel(figure, group_at=1, value_at=2, ylabel="killed")


def _horizontal(figure: Figure, labels: list[str], values: list[float], xlabel: str) -> Canvas:
    canvas = _canvas(0.35 * len(labels) + 1.2)
    axes = canvas.subplots()
    bars = axes.barh(labels[::-1], values[::-1], color=colormaps["tab10"](0))
    axes.bar_label(bars, padding=2, fontsize="small")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel(xlabel)
    axes.set_title(figure.title)
    return canvas


def incidents_by_governorate(figure: Figure) -> Canvas:
    labels = [f"{row[1]} ({row[0]})" if row[0] != row[1] else row[0] for row in figure.rows]
    return _horizontal(figure, labels, [row[2] for row in figure.rows], "incidents")


def publication_lag(figure: Figure) -> Canvas:
    canvas = _canvas(3.5)
    axes = canvas.subplots()
    bars = axes.bar([row[0] for row in figure.rows], [row[1] for row in figure.rows])
    axes.bar_label(bars, padding=2, fontsize="small")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel("incidents")
    axes.set_title(figure.title)
    axes.tick_params(axis="x", labelsize="small")
    return canvas


def _grouped(
    figure: Figure, labels: list[str], series: dict[str, list[float]], ylabel: str
) -> Canvas:
    canvas = _canvas(4.0)
    axes = canvas.subplots()
    width = 0.8 / len(series)
    colours = _palette(list(series))
    for n, (name, values) in enumerate(series.items()):
        positions = [i + (n - (len(series) - 1) / 2) * width for i in range(len(labels))]
        bars = axes.bar(positions, values, width=width, label=name, color=colours[name])
        axes.bar_label(bars, padding=2, fontsize="x-small")
    axes.set_xticks(range(len(labels)), labels, rotation=30, ha="right", fontsize="small")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel(ylabel)
    axes.set_title(figure.title)
    _legend_outside(axes)
    return canvas


#: Runs plotted (the table lists them all).
RUNS_SHOWN = 40


def runs(figure: Figure) -> Canvas:
    shown = figure.rows[-RUNS_SHOWN:]
    series = {
        name: [row[4 + i] for row in shown] for i, name in enumerate(("new", "changed", "removed"))
    }
    return _grouped(figure, [row[0] for row in shown], series, "articles")


def coverage(figure: Figure) -> Canvas:
    series = {
        "the site says it has": [row[1] or 0 for row in figure.rows],
        "its indexes name": [row[3] or 0 for row in figure.rows],
        "archived of those": [row[4] or 0 for row in figure.rows],
        "missing": [row[5] for row in figure.rows],
    }
    return _grouped(figure, [row[0] for row in figure.rows], series, "posts")


DRAW: dict[str, Callable[[Figure], Canvas]] = {
    "articles_per_month": articles_per_month,
    "incidents_per_month": incidents_per_month,
    "victims_per_month": victims_per_month,
    "incidents_by_governorate": incidents_by_governorate,
    "publication_lag": publication_lag,
    "runs": runs,
    "coverage": coverage,
}


def draw(figure: Figure, path: Path) -> None:
    """Write ``figure``'s plot to ``path`` (PNG)."""
    canvas = DRAW[figure.key](figure) if figure.rows else _empty(figure)
    canvas.savefig(path, format="png", dpi=DPI, metadata={"Software": None})
