"""Where the archive lives and how it is partitioned.

``<dir>/<source>/<YYYY-MM>.jsonl`` by publication month (``undated.jsonl`` when
the record has no date), ``<dir>/index.sqlite3``, ``<dir>/manifest.json``,
``<dir>/quarantine/`` for torn tails and ``<dir>/warc/<source>/`` for the
captured exchanges (``snhr_crawler.capture``). Partitioning by month keeps each file
small enough to hash and diff, and lets archivists ship a month at a time.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

DEFAULT_ARCHIVE_DIR = "archive"
ENV_VAR = "SNHR_ARCHIVE_DIR"
SETTING = "ARCHIVE_DIR"
INDEX_NAME = "index.sqlite3"
MANIFEST_NAME = "manifest.json"
QUARANTINE_DIR = "quarantine"

UNDATED = "undated"

_SOURCE_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])(?:-|$)")
_FILE_RE = re.compile(r"^(?:\d{4}-(?:0[1-9]|1[0-2])|undated)\.jsonl$")


def resolve_archive_dir(settings: Any = None, environ: Mapping[str, str] | None = None) -> Path:
    """The archive dir: an explicit ``ARCHIVE_DIR``, else ``$SNHR_ARCHIVE_DIR``, else ./archive.

    "Explicit" means set above Scrapy's default priority (settings.py, spider
    settings or ``-s``), so a cron job can point at a directory through the
    environment without editing the project.
    """
    environ = os.environ if environ is None else environ
    if settings is not None:
        value = settings.get(SETTING)
        priority = settings.getpriority(SETTING) if hasattr(settings, "getpriority") else 1
        if value and priority is not None and priority > 0:
            return Path(value)
    if environ.get(ENV_VAR):
        return Path(environ[ENV_VAR])
    return Path(DEFAULT_ARCHIVE_DIR)


#: Folders of the archive that are not sources: run reports, PDFs, discovery state,
#: WARC captures (a source named ``warc`` would share its folders with them), releases.
RESERVED_DIRS = frozenset({QUARANTINE_DIR, "runs", "files", "state", "warc", "releases"})


def is_valid_source(source: object) -> bool:
    """Sources become directory names, so only ``[a-z][a-z0-9_]*``, minus reserved folders."""
    return (
        isinstance(source, str) and bool(_SOURCE_RE.match(source)) and source not in RESERVED_DIRS
    )


def partition(published_at: str | None) -> str:
    """``YYYY-MM`` of a publication date, or ``undated``."""
    if published_at:
        match = _MONTH_RE.match(published_at)
        if match:
            return f"{match.group(1)}-{match.group(2)}"
    return UNDATED


def relative_file(source: str, published_at: str | None) -> str:
    """The archive-relative POSIX path of the file a record belongs in."""
    if not is_valid_source(source):
        raise ValueError(f"invalid source name for the archive: {source!r}")
    return f"{source}/{partition(published_at)}.jsonl"


def iter_data_files(archive_dir: Path, sources: Iterable[str] | None = None) -> Iterator[str]:
    """Archive-relative paths of all data files, sorted (source, then month, ``undated`` last)."""
    archive_dir = Path(archive_dir)
    wanted = set(sources) if sources is not None else None
    if not archive_dir.is_dir():
        return
    for source_dir in sorted(archive_dir.iterdir()):
        name = source_dir.name
        if not source_dir.is_dir() or not is_valid_source(name):
            continue
        if wanted is not None and name not in wanted:
            continue
        for path in sorted(source_dir.iterdir()):
            if path.is_file() and _FILE_RE.match(path.name):
                yield f"{name}/{path.name}"
