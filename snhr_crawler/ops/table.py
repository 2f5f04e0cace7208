"""Plain-text tables: the end-of-run summary and ``status`` print through here.

Plain text (no colour, no box drawing) because the same output lands in cron
mail, journald and terminals alike. A table that would be wider than its
terminal (80 columns when there is none) wraps every row into two lines, so
``fit`` drops the columns a caller marked optional, least important first,
until it fits, and says which it dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Width assumed when the output is not a terminal (cron mail, a pipe, a file).
DEFAULT_WIDTH = 80
SEPARATOR = "  "


def _cells(rows: Sequence[Sequence[object]]) -> list[list[str]]:
    return [[("" if value is None else str(value)) for value in row] for row in rows]


def width_of(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> int:
    """How many columns ``render(headers, rows)`` takes."""
    cells = _cells(rows)
    widths = [max([len(h), *(len(row[i]) for row in cells)]) for i, h in enumerate(headers)]
    return sum(widths) + len(SEPARATOR) * (len(widths) - 1)


def fit(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    width: int,
    optional: Sequence[str] = (),
) -> tuple[list[str], list[list[object]], list[str]]:
    """Drop ``optional`` columns, in that order, until the table fits ``width - 1``.

    Returns the headers and rows kept, and the names dropped. A table that
    does not fit with every optional column gone is returned as it is then.
    """
    keep = list(headers)
    kept_rows = [list(row) for row in rows]
    dropped: list[str] = []
    for name in optional:
        if width_of(keep, kept_rows) < width or name not in keep:
            continue
        i = keep.index(name)
        keep.pop(i)
        for row in kept_rows:
            row.pop(i)
        dropped.append(name)
    return keep, kept_rows, dropped


def render(
    headers: Sequence[str], rows: Sequence[Sequence[object]], right: Sequence[str] = ()
) -> str:
    """Columns padded to their widest cell; numbers (and ``right``) right-aligned, text left."""
    cells = _cells(rows)
    widths = [
        max([len(header), *(len(row[i]) for row in cells)]) for i, header in enumerate(headers)
    ]
    numeric = [
        headers[i] in right or (bool(rows) and all(isinstance(row[i], int | float) for row in rows))
        for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        parts = [
            value.rjust(widths[i]) if numeric[i] else value.ljust(widths[i])
            for i, value in enumerate(values)
        ]
        return SEPARATOR.join(parts).rstrip()

    out = [line(list(headers)), line(["-" * width for width in widths])]
    out.extend(line(row) for row in cells)
    return "\n".join(out)
