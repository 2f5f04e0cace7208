"""The WordPress REST API subset crawlers use: ``/wp-json/wp/v2/posts`` and ``/categories``.

Supports ``per_page`` (1..100), ``page``, ``orderby=date|modified|id``,
``order=asc|desc``, ``modified_after``/``after``/``before`` (ISO, UTC when
naive) and answers ``X-WP-Total``/``X-WP-TotalPages`` like WordPress.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from .clock import rest_gmt, rest_local
from .model import Post
from .sites import SiteSpec


class RestError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def body(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "data": {"status": self.status}}


def _int(query: Mapping[str, str], key: str, default: int, low: int, high: int) -> int:
    raw = query.get(key, str(default))
    try:
        value = int(raw)
    except ValueError:
        raise RestError(400, "rest_invalid_param", f"Invalid parameter(s): {key}") from None
    if not low <= value <= high:
        raise RestError(400, "rest_invalid_param", f"Invalid parameter(s): {key}")
    return value


def _moment(query: Mapping[str, str], key: str) -> datetime | None:
    raw = query.get(key)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise RestError(400, "rest_invalid_param", f"Invalid parameter(s): {key}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def post_json(post: Post, site: SiteSpec, origin: str) -> dict[str, object]:
    return {
        "id": post.post_id,
        "date": rest_local(post.published),
        "date_gmt": rest_gmt(post.published),
        "modified": rest_local(post.modified),
        "modified_gmt": rest_gmt(post.modified),
        "slug": post.slug,
        "status": "publish",
        "type": "post",
        "link": origin + post.path,
        "title": {"rendered": post.title},
        "categories": [site.category(post.category).term_id],
    }


def list_posts(
    posts: list[Post], site: SiteSpec, origin: str, query: Mapping[str, str]
) -> tuple[list[dict[str, object]], int, int]:
    """(page of posts, total, total pages); raises :class:`RestError` like WordPress."""
    per_page = _int(query, "per_page", 10, 1, 100)
    page = _int(query, "page", 1, 1, 10**6)
    orderby = query.get("orderby", "date")
    order = query.get("order", "desc")
    if orderby not in ("date", "modified", "id") or order not in ("asc", "desc"):
        raise RestError(400, "rest_invalid_param", "Invalid parameter(s): orderby, order")
    selected = list(posts)
    for key, attr, after in (
        ("modified_after", "modified", True),
        ("modified_before", "modified", False),
        ("after", "published", True),
        ("before", "published", False),
    ):
        bound = _moment(query, key)
        if bound is not None:
            selected = [p for p in selected if (getattr(p, attr) > bound) == after]
    category = query.get("categories")
    if category:
        wanted = {int(c) for c in category.split(",") if c.isdigit()}
        selected = [p for p in selected if site.category(p.category).term_id in wanted]
    field = {"date": "published", "modified": "modified", "id": "post_id"}[orderby]
    selected.sort(key=lambda p: (getattr(p, field), p.post_id), reverse=order == "desc")
    total = len(selected)
    pages = -(-total // per_page)
    if page > max(pages, 1):
        raise RestError(
            400,
            "rest_post_invalid_page_number",
            "The page number requested is larger than the number of pages available.",
        )
    chunk = selected[(page - 1) * per_page : page * per_page]
    return [post_json(p, site, origin) for p in chunk], total, pages


def list_categories(site: SiteSpec, origin: str, counts: dict[str, int]) -> list[dict[str, object]]:
    return [
        {
            "id": cat.term_id,
            "count": counts.get(cat.key, 0),
            "link": f"{origin}{site.category_base}{cat.path}/",
            "name": cat.name,
            "slug": cat.path.split("/")[-1],
            "parent": site.category(cat.parent).term_id if cat.parent else 0,
        }
        for cat in site.categories
    ]
