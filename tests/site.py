"""A tiny static copy of news.snhr.org built from the fixture pages, for E2E tests.

Fixture pages link to the public host (and to the old ``news.sn4hr.org``);
the spider's ``origin`` argument maps those links to this server. The site
has two listing pages, a shortlink answering 301, an old-host link, a
duplicate across listings, a 404, a robots-forbidden link and a robots.txt.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tests.helpers import FIXTURES

NEWS = FIXTURES / "snhr_news"
TORTURE = "/2021/05/05/death-of-a-military-defector-from-daraa-due-to-torture-in-syrian-regime-detention-center-confirmed-may-4/"
KAFRANBEL = "/2019/12/07/syrian-regime-forces-bombed-two-vital-facilities-kafranbel-city-idlib-suburbs-december-7/"
TOLL = "/2023/12/16/the-daily-death-toll-of-civilian-victims-in-syria-on-december-15-2023/"
DRONE = (
    "/2024/04/22/two-civilians-injured-in-a-drone-regime-attack-on-a-car-in-w-aleppo-april-22-2024/"
)


def _listing(links: list[str], page: int, last: int, base: str) -> bytes:
    modules = "\n".join(
        f'<div class="td_module_flex td_module_wrap"><div class="td-module-meta-info">'
        f'<h3 class="entry-title td-module-title"><a href="{html.escape(href)}">Post {n}</a></h3>'
        f"</div></div>"
        for n, href in enumerate(links)
    )
    nav = f'<span class="current">{page}</span><a href="{base}page/{last}/" class="last" title="{last}">{last}</a>'
    if page < last:
        nav += f'<a href="{base}page/{page + 1}/" aria-label="next-page"><i class="td-icon-menu-right"></i></a>'
    return (
        '<html><head><meta charset="utf-8"></head><body class="archive category">'
        '<div class="tdb_header_date"><div class="tdb-head-date-txt">Friday, April 26, 2024</div></div>'
        f'<div class="tdb_loop">{modules}<div class="page-nav td-pb-padding-side">{nav}</div></div>'
        "</body></html>"
    ).encode()


@dataclass
class StaticSite:
    # path -> (status, headers, body), or a callable returning one (a page that changes).
    pages: dict[str, Any] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    origin: str = ""


def build_site() -> StaticSite:
    public = "https://news.snhr.org"
    site = StaticSite()
    html_type = {"Content-Type": "text/html; charset=UTF-8"}
    site.pages["/robots.txt"] = (
        200,
        {"Content-Type": "text/plain"},
        b"User-agent: *\nDisallow: /wp-admin/\n",
    )
    site.pages["/category/news/"] = (
        200,
        html_type,
        _listing(
            [
                public + TORTURE,
                public + "/?p=141766",
                "http://news.sn4hr.org" + KAFRANBEL.rstrip("/"),
            ],
            page=1,
            last=2,
            base=public + "/category/news/",
        ),
    )
    site.pages["/category/news/page/2/"] = (
        200,
        html_type,
        _listing(
            [
                "http://news.sn4hr.org" + TORTURE,  # the same post again, through the old host
                public + "/2024/01/01/a-post-that-is-gone/",
                public + "/wp-admin/post.php?post=1",
            ],
            page=2,
            last=2,
            base=public + "/category/news/",
        ),
    )
    site.pages["/category/daily-death-toll/"] = (
        200,
        html_type,
        _listing([public + TOLL], 1, 1, "/"),
    )
    # Child categories list their posts again: duplicates of the parent listing.
    for path, links in (
        ("/category/news/casualties/", [public + TORTURE]),
        ("/category/news/attacks-on-civilian-facilities/", [public + KAFRANBEL]),
        ("/category/news/arrests/", []),
    ):
        site.pages[path] = (200, html_type, _listing(links, 1, 1, "/"))
    site.pages["/?p=141766"] = (301, {"Location": DRONE}, b"")
    for path, case in ((TORTURE, "tdb_torture_death"), (KAFRANBEL, "classic_h5_body"),
                       (TOLL, "tdb_meta_only_date"), (DRONE, "tdb_url_only_date")):  # fmt: skip
        site.pages[path] = (200, html_type, (NEWS / case / "response.html").read_bytes())
    return site


@contextmanager
def serve(site: StaticSite) -> Iterator[StaticSite]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            key = parts.path + (f"?{parts.query}" if parts.query else "")
            site.requests.append(key)
            # "<path>?*" answers that path whatever its query (an API page).
            page = site.pages.get(key) or site.pages.get(
                parts.path + "?*", (404, html_type, b"<html><body>Not found</body></html>")
            )
            status, headers, body = page() if callable(page) else page
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    html_type = {"Content-Type": "text/html; charset=UTF-8"}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.origin = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
