"""The packaged JSON Schema of an archived line, and a cached validator for it.

The schema ships inside the package (``snhr_crawler/schema/article-v1.schema.json``)
so a copied archive can be verified by whichever ``snhr_crawler`` version reads
it; ``SCHEMA_VERSION`` goes into every manifest.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_VERSION = 1
SCHEMA_NAME = f"article-v{SCHEMA_VERSION}.schema.json"


@cache
def load_schema() -> dict[str, Any]:
    """The schema document (read once per process)."""
    text = resources.files("snhr_crawler").joinpath("schema", SCHEMA_NAME).read_text("utf-8")
    return json.loads(text)


@cache
def validator() -> Draft202012Validator:
    """A checked, reusable validator (building one per line would dominate verify's time)."""
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def problems(record: Any, limit: int = 3) -> list[str]:
    """Why ``record`` is not a valid line (empty when it is), most specific first."""
    errors = sorted(validator().iter_errors(record), key=lambda e: -len(e.absolute_path))
    out = []
    for error in errors[:limit]:
        best = _best(error)
        where = "/".join(str(p) for p in best.absolute_path) or "(record)"
        out.append(f"{where}: {best.message}")
    return out


def _best(error: Any) -> Any:
    """For oneOf failures, the sub-error of the branch the record was meant for."""
    if error.validator == "oneOf" and error.context and isinstance(error.instance, dict):
        branch = 1 if error.instance.get("tombstone") is True else 0
        own = [e for e in error.context if e.relative_schema_path[0] == branch]
        if own:
            return max(own, key=lambda e: len(e.absolute_path))
    return error
