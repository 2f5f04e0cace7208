"""The state index: one row per article with its latest version, in SQLite (WAL).

The JSON Lines files are the archive; the index is a cache of them that
answers "is this archived?", "what is its latest hash?" and "where is its
latest line?" without reading the files. It can always be rebuilt from the
files (see ``recovery``); only ``last_seen`` of unchanged articles lives
nowhere else. WAL lets exports and ``status`` read while a crawl writes.

``runs`` records each crawl of a source and whether it finished cleanly: after
a killed run, the next one must not stop a listing walk at the first archived
items (the killed run may have archived items out of order, leaving a gap).

``source_state`` holds, per source, what discovery needs from one run to the
next (watermarks, the site's totals, the sitemap that answered, the feed's
validators; ``discovery.state.DiscoveryState`` as JSON). It is written in the
same transaction as the run's outcome in ``runs``, after the files it
describes were fsynced, so a watermark never covers a line that is not on disk.

``pending`` holds, per source, the articles a listing or discovery named but
that could not be archived (a failed fetch, a truncated body, an unparseable
page, a refused identity), with their attempts and when to try again; an
entry leaves when the article is archived, or stays, given up, after its
last attempt (``archive.pending``).

``files`` records, per data file, how many lines and bytes the index has
taken in; a file longer than that has lines written after the last commit
(a crash between fsync and commit), which ``recovery`` indexes on start.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    key TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    post_id INTEGER,
    url TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    version INTEGER NOT NULL,
    tombstoned INTEGER NOT NULL DEFAULT 0,
    published_at TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    file TEXT NOT NULL,
    line INTEGER NOT NULL,
    offset INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_by_post ON articles (source, post_id);
CREATE INDEX IF NOT EXISTS articles_by_url ON articles (source, url);
CREATE INDEX IF NOT EXISTS articles_by_file ON articles (file, offset);
-- export --since and a full run's re-checks with since: a range, not a scan
CREATE INDEX IF NOT EXISTS articles_by_published ON articles (source, published_at);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    reason TEXT,
    complete INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS source_state (
    source TEXT PRIMARY KEY,
    discovery TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pending (
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    post_id INTEGER,
    discovered_by TEXT,
    reason TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    first_failed TEXT NOT NULL,
    last_failed TEXT NOT NULL,
    next_try TEXT NOT NULL,
    given_up INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source, url)
);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    lines INTEGER NOT NULL,
    size INTEGER NOT NULL
);
"""

# Column list and placeholders are module constants, never user input (hence the S608 noqa).
_COLUMNS = (
    "key, source, post_id, url, sha256, version, tombstoned, published_at,"
    " first_seen, last_seen, file, line, offset"
)


@dataclass(frozen=True)
class IndexRow:
    """An article's latest state; ``line`` is 1-based, ``offset`` the byte offset of that line."""

    key: str
    source: str
    post_id: int | None
    url: str
    sha256: str
    version: int
    tombstoned: bool
    published_at: str | None
    first_seen: str
    last_seen: str
    file: str
    line: int
    offset: int


@dataclass(frozen=True)
class PendingArticle:
    """An article named by a listing or discovery that is not archived yet (see ``pending``)."""

    source: str
    url: str
    post_id: int | None
    discovered_by: str | None
    reason: str
    attempts: int
    first_failed: str
    last_failed: str
    next_try: str
    given_up: bool = False


_PENDING_COLUMNS = (
    "source, url, post_id, discovered_by, reason, attempts, first_failed, last_failed,"
    " next_try, given_up"
)


def _pending(values: tuple[Any, ...]) -> PendingArticle:
    fields = list(values)
    fields[9] = bool(fields[9])
    return PendingArticle(*fields)


@dataclass(frozen=True)
class FileState:
    """How much of a data file the index has taken in."""

    lines: int
    size: int


def _row(values: tuple[Any, ...]) -> IndexRow:
    fields = list(values)
    fields[6] = bool(fields[6])
    return IndexRow(*fields)


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection in WAL mode with full sync (the index commits after the files' fsync)."""
    if readonly:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
        conn.execute("PRAGMA query_only = ON")
        return conn
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=30)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.executescript(_SCHEMA)
    return conn


class ArchiveIndex:
    """Typed access to the index tables; transactions are explicit (``begin``/``commit``)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    @classmethod
    def open(cls, path: Path, *, readonly: bool = False) -> ArchiveIndex:
        return cls(connect(path, readonly=readonly))

    def close(self) -> None:
        self.conn.close()

    def check(self) -> None:
        """``sqlite3.DatabaseError`` unless SQLite finds the file sound (``PRAGMA quick_check``)."""
        found = self.conn.execute("PRAGMA quick_check(1)").fetchone()
        if not found or found[0] != "ok":
            raise sqlite3.DatabaseError(f"quick_check: {found[0] if found else 'no answer'}")

    # -- transactions -------------------------------------------------------
    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def begin(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    # -- articles ---------------------------------------------------------------
    def get(self, key: str) -> IndexRow | None:
        sql = f"SELECT {_COLUMNS} FROM articles WHERE key = ?"  # noqa: S608
        cur = self.conn.execute(sql, (key,))
        found = cur.fetchone()
        return _row(found) if found else None

    def find(self, source: str, *, post_id: int | None, url: str | None) -> IndexRow | None:
        """The row for a post id (preferred) or canonical URL within ``source``."""
        if post_id is not None:
            cur = self.conn.execute(
                f"SELECT {_COLUMNS} FROM articles WHERE source = ? AND post_id = ?"  # noqa: S608
                " ORDER BY tombstoned LIMIT 1",
                (source, post_id),
            )
            found = cur.fetchone()
            if found:
                return _row(found)
        if url:
            cur = self.conn.execute(
                f"SELECT {_COLUMNS} FROM articles WHERE source = ? AND url = ?"  # noqa: S608
                " ORDER BY tombstoned LIMIT 1",
                (source, url),
            )
            found = cur.fetchone()
            if found:
                return _row(found)
        return None

    def matches(self, source: str, column: str, value: object) -> list[IndexRow]:
        """Every row of ``source`` whose ``post_id`` or ``url`` is ``value``, live ones first."""
        if column not in ("post_id", "url"):
            raise ValueError(f"not a lookup column: {column!r}")
        sql = (
            f"SELECT {_COLUMNS} FROM articles"  # noqa: S608
            f" WHERE source = ? AND {column} = ? ORDER BY tombstoned"
        )
        return [_row(values) for values in self.conn.execute(sql, (source, value))]

    def upsert(self, row: IndexRow) -> None:
        self.conn.execute(
            f"INSERT OR REPLACE INTO articles ({_COLUMNS}) VALUES ({', '.join('?' * 13)})",  # noqa: S608
            astuple(row),
        )

    def touch(self, key: str, last_seen: str) -> None:
        self.conn.execute("UPDATE articles SET last_seen = ? WHERE key = ?", (last_seen, key))

    def rows(
        self,
        sources: Iterable[str] | None = None,
        *,
        include_tombstoned: bool = True,
        since: str | None = None,
        by_published: bool = False,
    ) -> Iterator[IndexRow]:
        """All rows, ordered by file and offset so readers seek forwards through each file.

        ``since`` keeps rows published on or after it (undated ones are left
        out); ``by_published`` orders by ``published_at`` (then key; undated last).
        """
        sql = f"SELECT {_COLUMNS} FROM articles"  # noqa: S608
        where: list[str] = []
        params: list[object] = []
        if sources is not None:
            wanted = list(sources)
            if not wanted:
                return
            where.append(f"source IN ({', '.join('?' * len(wanted))})")
            params.extend(wanted)
        if not include_tombstoned:
            where.append("tombstoned = 0")
        if since is not None:
            where.append("published_at >= ?")
            params.append(since)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += (
            " ORDER BY published_at IS NULL, published_at, key"
            if by_published
            else " ORDER BY file, offset"
        )
        for values in self.conn.execute(sql, params):
            yield _row(values)

    def live_page(self, source: str, after: str, limit: int) -> list[IndexRow]:
        """Up to ``limit`` live rows of ``source`` with keys after ``after``, in key order.

        A page at a time, so a reader of every row (a full run's re-checks)
        holds one page, however large the archive.
        """
        sql = (
            f"SELECT {_COLUMNS} FROM articles"  # noqa: S608
            " WHERE source = ? AND tombstoned = 0 AND key > ? ORDER BY key LIMIT ?"
        )
        return [_row(values) for values in self.conn.execute(sql, (source, after, limit))]

    def count(self, source: str | None = None, *, include_tombstoned: bool = False) -> int:
        sql = "SELECT COUNT(*) FROM articles WHERE (? IS NULL OR source = ?)"
        if not include_tombstoned:
            sql += " AND tombstoned = 0"
        return int(self.conn.execute(sql, (source, source)).fetchone()[0])

    def latest_published(self, source: str) -> str | None:
        """The newest ``published_at`` (lexical on ISO strings) of live ``source`` articles."""
        cur = self.conn.execute(
            "SELECT MAX(published_at) FROM articles WHERE source = ? AND tombstoned = 0",
            (source,),
        )
        return cur.fetchone()[0]

    def delete_all_articles(self) -> None:
        self.conn.execute("DELETE FROM articles")

    def delete_articles_of(self, sources: Iterable[str]) -> None:
        self.conn.executemany("DELETE FROM articles WHERE source = ?", [(s,) for s in sources])

    # -- runs ---------------------------------------------------------------------
    def last_run_complete(self, source: str) -> bool | None:
        """Whether the latest recorded run of ``source`` finished cleanly (None: no run yet)."""
        sql = "SELECT complete FROM runs WHERE source = ? ORDER BY run_id DESC LIMIT 1"
        found = self.conn.execute(sql, (source,)).fetchone()
        return None if found is None else bool(found[0])

    def start_run(self, source: str, started_at: str) -> int:
        cur = self.conn.execute(
            "INSERT INTO runs (source, started_at) VALUES (?, ?)", (source, started_at)
        )
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, finished_at: str, reason: str, complete: bool) -> None:
        self.conn.execute(
            "UPDATE runs SET finished_at = ?, reason = ?, complete = ? WHERE run_id = ?",
            (finished_at, reason, int(complete), run_id),
        )

    # -- per-source state ------------------------------------------------------------
    def source_state(self, source: str) -> str | None:
        """The discovery state of ``source`` as written (JSON), or None."""
        sql = "SELECT discovery FROM source_state WHERE source = ?"
        found = self.conn.execute(sql, (source,)).fetchone()
        return None if found is None else str(found[0])

    def set_source_state(self, source: str, discovery: str, updated_at: str) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO source_state (source, discovery, updated_at) VALUES (?, ?, ?)",
            (source, discovery, updated_at),
        )

    # -- pending articles --------------------------------------------------------------
    def pending_get(self, source: str, url: str) -> PendingArticle | None:
        sql = f"SELECT {_PENDING_COLUMNS} FROM pending WHERE source = ? AND url = ?"  # noqa: S608
        found = self.conn.execute(sql, (source, url)).fetchone()
        return _pending(found) if found else None

    def pending_put(self, entry: PendingArticle) -> None:
        values = astuple(entry)
        self.conn.execute(
            f"INSERT OR REPLACE INTO pending ({_PENDING_COLUMNS}) VALUES ({', '.join('?' * 10)})",  # noqa: S608
            (*values[:9], int(values[9])),
        )

    def pending_delete(self, source: str, url: str) -> bool:
        cur = self.conn.execute("DELETE FROM pending WHERE source = ? AND url = ?", (source, url))
        return cur.rowcount > 0

    def pending_due(self, source: str, now: str) -> list[PendingArticle]:
        """Entries of ``source`` to try again now (not given up, ``next_try`` reached), oldest first."""
        sql = (
            f"SELECT {_PENDING_COLUMNS} FROM pending"  # noqa: S608
            " WHERE source = ? AND given_up = 0 AND next_try <= ? ORDER BY first_failed, url"
        )
        return [_pending(row) for row in self.conn.execute(sql, (source, now))]

    def pending_counts(self, source: str) -> tuple[int, int]:
        """(waiting, given up) entries of ``source``."""
        sql = "SELECT COALESCE(SUM(given_up = 0), 0), COALESCE(SUM(given_up), 0) FROM pending WHERE source = ?"
        waiting, given_up = self.conn.execute(sql, (source,)).fetchone()
        return int(waiting), int(given_up)

    # -- files --------------------------------------------------------------------
    def file_state(self, path: str) -> FileState | None:
        sql = "SELECT lines, size FROM files WHERE path = ?"
        found = self.conn.execute(sql, (path,)).fetchone()
        return FileState(*found) if found else None

    def file_states(self) -> dict[str, FileState]:
        cur = self.conn.execute("SELECT path, lines, size FROM files")
        return {path: FileState(lines, size) for path, lines, size in cur}

    def set_file_state(self, path: str, state: FileState) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO files (path, lines, size) VALUES (?, ?, ?)",
            (path, state.lines, state.size),
        )

    def delete_file_state(self, path: str) -> None:
        self.conn.execute("DELETE FROM files WHERE path = ?", (path,))

    def last_row_in(self, path: str) -> IndexRow | None:
        """The row pointing furthest into data file ``path``."""
        sql = f"SELECT {_COLUMNS} FROM articles WHERE file = ? ORDER BY offset DESC LIMIT 1"  # noqa: S608
        found = self.conn.execute(sql, (path,)).fetchone()
        return _row(found) if found else None

    def max_line_per_file(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT file, MAX(line) FROM articles GROUP BY file"))
