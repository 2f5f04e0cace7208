"""A readable diff of an archived record and today's reading of it (``reparse --dry-run``).

One block per record: a header naming it, then per changed field either a
unified diff of its lines (long or multi-line text: the body), the keys
that differ (an object, such as ``incident``: ``incident.spans``), or the
two values as JSON; ``-`` archived, ``+`` today's.
"""

from __future__ import annotations

import difflib
import json
from typing import Any

#: Text longer than this, or with a line break, is diffed line by line.
LONG_TEXT = 100


def record_diff(
    before: dict[str, Any], after: dict[str, Any], fields: list[str], *, max_lines: int = 40
) -> str:
    """The diff of ``fields`` between ``before`` (archived) and ``after`` (re-read)."""
    lines = [f"{before.get('id')} v{before.get('version')} {before.get('url')}"]
    for name in fields:
        lines += _field_diff(name, before.get(name), after.get(name))
    if len(lines) > max_lines:
        lines = [*lines[:max_lines], f"  ... {len(lines) - max_lines} more line(s)"]
    return "\n".join(lines)


def _field_diff(name: str, old: Any, new: Any) -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        keys = sorted({*old, *new})
        return [
            line
            for key in keys
            if old.get(key) != new.get(key)
            for line in _field_diff(f"{name}.{key}", old.get(key), new.get(key))
        ]
    if _long(old) or _long(new):
        return _text_diff(name, str(old or ""), str(new or ""))
    return [f"- {name}: {_json(old)}", f"+ {name}: {_json(new)}"]


def _long(value: Any) -> bool:
    return isinstance(value, str) and (len(value) > LONG_TEXT or "\n" in value)


def _text_diff(name: str, old: str, new: str) -> list[str]:
    diff = difflib.unified_diff(
        old.splitlines(),
        new.splitlines(),
        fromfile=f"{name} (archived)",
        tofile=f"{name} (today's parser)",
        lineterm="",
        n=1,
    )
    return [f"  {line}" if line.startswith("@@") else line for line in diff]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
