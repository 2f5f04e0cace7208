"""Factories for the archive tests: valid Articles as the pipelines would hand them over."""

from __future__ import annotations

from dataclasses import replace

from itemadapter import ItemAdapter

from snhr_crawler.items import Article, content_sha256


def make_article(post_id: int | None = 1, **overrides: object) -> Article:
    """A valid Article for ``snhr_news``; ``title``/``body_text`` overrides rehash it."""
    source = str(overrides.pop("source", "snhr_news"))
    url = str(overrides.pop("url", f"https://news.snhr.org/2024/01/15/post-{post_id}/"))
    key = f"{source}:{post_id}" if post_id is not None else overrides.pop("id", None)
    if key is None:
        from snhr_crawler.items import article_id

        key = article_id(source, None, url)
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


def as_dict(article: Article) -> dict:
    return ItemAdapter(article).asdict()


