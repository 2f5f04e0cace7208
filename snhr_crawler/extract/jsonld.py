"""JSON-LD blocks, including Yoast's ``@graph``, flattened into a list of nodes."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from parsel import Selector

logger = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset(
    {"Article", "NewsArticle", "BlogPosting", "Report", "ReportageNewsArticle"}
)


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for child in node:
            yield from _walk(child)
    elif isinstance(node, dict):
        yield node
        if "@graph" in node:
            yield from _walk(node["@graph"])


def json_ld_nodes(selector: Selector) -> list[dict[str, Any]]:
    """Every JSON-LD object on the page; malformed blocks are skipped."""
    return nodes_from_blocks(selector.css('script[type="application/ld+json"]::text').getall())


def nodes_from_blocks(blocks: list[str]) -> list[dict[str, Any]]:
    """Every object of the given JSON-LD script texts; malformed blocks are skipped."""
    nodes: list[dict[str, Any]] = []
    for raw in blocks:
        try:
            nodes.extend(_walk(json.loads(raw)))
        except (
            ValueError,
            RecursionError,
        ):  # malformed, or nested past what a parser should follow
            logger.debug("Skipping malformed JSON-LD block")
    return nodes


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type")
    if isinstance(value, str):
        return {value}
    if isinstance(value, list):
        return {item for item in value if isinstance(item, str)}
    return set()


def article_node(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((node for node in nodes if _types(node) & ARTICLE_TYPES), None)


def _position(item: dict[str, Any]) -> int:
    position = item.get("position")
    if isinstance(position, int):
        return position
    return int(position) if isinstance(position, str) and position.isdecimal() else 0


def breadcrumb_names(nodes: list[dict[str, Any]]) -> list[str]:
    """Names in a BreadcrumbList, in position order; malformed items are skipped.

    JSON-LD is a fallback layer: its shape is not trusted, so odd markup costs
    a crumb, never the article.
    """
    for node in nodes:
        if "BreadcrumbList" not in _types(node):
            continue
        elements = node.get("itemListElement")
        items = (
            [item for item in elements if isinstance(item, dict)]
            if isinstance(elements, list)
            else []
        )
        names = []
        for item in sorted(items, key=_position):
            inner = item.get("item")
            name = item.get("name") or (inner.get("name") if isinstance(inner, dict) else None)
            if isinstance(name, str):
                names.append(name)
        return names
    return []
