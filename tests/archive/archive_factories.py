"""Factories for the archive tests: valid Articles as the pipelines would hand them over."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

from itemadapter import ItemAdapter

from snhr_crawler.archive.store import ArchiveStore
from snhr_crawler.items import Article, article_id, content_sha256


def make_article(post_id: int | None = 1, **overrides: Any) -> Article:
    """A valid Article of ``snhr_news``; ``title``/``body_text`` overrides are re-hashed."""
    source = str(overrides.pop("source", "snhr_news"))
    url = str(overrides.pop("url", f"https://news.snhr.org/2024/01/15/post-{post_id}/"))
    key = overrides.pop("id", None) or article_id(source, post_id, url)
    title = str(overrides.pop("title", f"تقرير رقم {post_id}"))
    body = str(overrides.pop("body_text", f"Body of post {post_id}.\nسطر ثان."))
    article = Article(
        id=str(key),
        source=source,
        site="news.snhr.org",
        language="en",
        url=url,
        post_id=post_id,
        title=title,
        published_at="2024-01-15T10:00:00+03:00",
        date_source="json-ld",
        categories=["News"],
        doc_type="news",
        body_text=body,
        body_html=f"<p>{body}</p>",
        crawled_at="2026-11-25T12:00:00Z",
        content_sha256=content_sha256(title, body),
    )
    return replace(article, **overrides) if overrides else article


def as_dict(article: Article) -> dict[str, Any]:
    return ItemAdapter(article).asdict()


def crash(store: ArchiveStore) -> None:
    """Simulate SIGKILL: drop descriptors and the uncommitted index transaction, no flush."""
    store.writer.close()
    store.index.conn.close()  # an open transaction is rolled back, as after a kill
    # The kernel drops the lock's flock with the process; the lock file stays behind.
    lock = store._lock
    if lock is not None and lock._fd is not None:
        os.close(lock._fd)
        lock._fd = None
    store._lock = None
    store.closed = True
