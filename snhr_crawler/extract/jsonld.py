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
    nodes: list[dict[str, Any]] = []
    for raw in selector.css('script[type="application/ld+json"]::text').getall():
        try:
            nodes.extend(_walk(json.loads(raw)))
        except json.JSONDecodeError:
            logger.debug("Skipping malformed JSON-LD block")
    return nodes


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", [])
    return {value} if isinstance(value, str) else set(value)


def article_node(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((node for node in nodes if _types(node) & ARTICLE_TYPES), None)


def breadcrumb_names(nodes: list[dict[str, Any]]) -> list[str]:
    """Names in a BreadcrumbList, in position order."""
    for node in nodes:
        if "BreadcrumbList" in _types(node):
            items = sorted(
                node.get("itemListElement", []), key=lambda item: item.get("position", 0)
            )
            names = []
            for item in items:
                name = item.get("name") or (item.get("item") or {}).get("name")
                if isinstance(name, str):
                    names.append(name)
            return names
    return []
