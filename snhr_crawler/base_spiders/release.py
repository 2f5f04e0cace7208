"""Pages freed when their callback ends, not at the next full garbage collection.

``response.selector`` is cached on the response and refers back to it
(``Selector.response``): a reference cycle. Reference counting cannot free a
cycle, so every parsed page (its body, its decoded text, its lxml tree: a few
hundred KB) lived on until Python's cyclic collector ran a full collection,
40-45 MB of finished pages at the peak of a crawl. Breaking the cycle from the
selector's side, once the callback is done with the page, lets the page go as
soon as Scrapy drops the response; the selector still works for anyone who
holds the response until then.

Scrapy says whether a response has built its selector only through the
attribute it caches it in (``_cached_selector``, there since Scrapy 1.0);
asking ``response.selector`` instead would parse every page that was never
parsed (a 404, a PDF). ``tests/spiders/test_release.py`` fails if that
attribute goes away.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from scrapy.http import Response

T = TypeVar("T")


def release_page(response: Response) -> None:
    """Break the response <-> cached selector cycle (nothing when no selector was built)."""
    selector = getattr(response, "_cached_selector", None)
    if selector is not None:
        selector.response = None


def frees_page(
    callback: Callable[..., Iterator[T]],
) -> Callable[..., Iterator[T]]:
    """A callback whose response is released (``release_page``) once its output is consumed."""

    @functools.wraps(callback)
    def wrapper(self: Any, response: Response, *args: Any, **kwargs: Any) -> Iterator[T]:
        try:
            yield from callback(self, response, *args, **kwargs)
        finally:
            release_page(response)

    return wrapper
