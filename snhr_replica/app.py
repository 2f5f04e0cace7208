"""The HTTP side: one aiohttp application per host family (news / main).

A single low-level handler routes by path (router overhead matters at 1,500
pages/s). Old hostnames in the Host header get a 301 to the same path on the
current local origin; faults are applied around the normal answer.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote

from aiohttp import web

from . import rest, sitemaps
from .admin import handle_admin
from .clock import rfc822
from .faults import Faults
from .feeds import render_feed
from .model import Post
from .pages import Pages
from .pdf import TINY_IMAGE, tiny_pdf
from .sites import ALIAS_FAMILY, PUBLIC_FAMILY, SITES, SiteSpec
from .world import World

HTML = "text/html; charset=UTF-8"
_POST = re.compile(r"^\d{4}/\d{2}/\d{2}/[^/]+/?$")
_PAGE = re.compile(r"^(.*?)page/(\d+)/?$")
_CAL = re.compile(r"^\d{6}$")


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = HTML
    headers: dict[str, str] = field(default_factory=dict)


def redirect(location: str, status: int = 301) -> Answer:
    return Answer(status, b"", HTML, {"Location": location})


@dataclass
class State:
    """What one server shares between its two applications."""

    world: World
    faults: Faults
    origins: dict[str, str]
    pages: Pages
    log_requests: bool = True
    requests: list[tuple[str, str, int]] = field(default_factory=list)
    #: (monotonic seconds, method, path with query) as each request arrives: politeness tests.
    arrivals: list[tuple[float, str, str]] = field(default_factory=list)
    attempts: Counter[tuple[str, str]] = field(default_factory=Counter)


class FamilyApp:
    """Serves one family (``news`` or ``main``) of sites on its own port."""

    def __init__(self, state: State, family: str) -> None:
        self.state = state
        self.family = family

    def make_server(self) -> web.Server:
        """aiohttp's low-level server: no router, one handler (speed matters here)."""
        return web.Server(self.handle, access_log=None)

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        state = self.state
        path_qs = request.raw_path
        if state.log_requests:
            state.arrivals.append((time.monotonic(), request.method, path_qs))
        if request.path.startswith("/__replica/"):
            answer = await handle_admin(state, self.family, request)
            return self._send(request, answer, path_qs)
        host = (request.host or "").split(":")[0].lower()
        family = ALIAS_FAMILY.get(host)
        if family is not None and state.world.switches.old_hosts == "redirect":
            # an old host: send to the same path on today's site
            return self._send(request, redirect(state.origins[family] + path_qs), path_qs)
        family = family or PUBLIC_FAMILY.get(host, self.family)
        key = (family, path_qs)
        state.attempts[key] += 1
        attempt = state.attempts[key]
        faults, seed, url = state.faults, state.world.seed, f"{family}:{path_qs}"
        status = faults.status_fault(seed, url, attempt) if faults.any_status else None
        if status is not None:
            headers = {"Retry-After": str(faults.retry_after)} if status == 429 else {}
            body = f"<html><body><h1>{status}</h1></body></html>".encode()
            return self._send(request, Answer(status, body, HTML, headers), path_qs)
        if faults.slow and faults.fires(seed, "slow", url, attempt):
            await asyncio.sleep(faults.slow_s)
        answer = self.route(family, request)
        site = state.world.site_at(family, request.path)
        if (
            faults.charset
            and site.language == "ar"
            and answer.content_type == HTML
            and answer.status == 200
            and faults.fires(seed, "charset", url, attempt)
        ):
            answer = _mischarset(answer, faults.charset_mode)
        if state.world.switches.gzip:
            answer = _gzipped(answer, request.headers.get("Accept-Encoding", ""))
        if (
            faults.truncate
            and answer.status == 200
            and faults.fires(seed, "truncate", url, attempt)
        ):
            return await self._send_truncated(request, answer, path_qs)
        return self._send(request, answer, path_qs)

    def _send(self, request: web.BaseRequest, answer: Answer, path_qs: str) -> web.Response:
        if self.state.log_requests:
            self.state.requests.append((request.method, path_qs, answer.status))
        headers = {"Content-Type": answer.content_type, **answer.headers}
        body = b"" if request.method == "HEAD" else answer.body
        return web.Response(status=answer.status, body=body, headers=headers)

    async def _send_truncated(
        self, request: web.BaseRequest, answer: Answer, path_qs: str
    ) -> web.StreamResponse:
        """Declare the full length, send half, then drop the connection."""
        if self.state.log_requests:
            self.state.requests.append((request.method, path_qs, answer.status))
        response = web.StreamResponse(
            status=answer.status, headers={"Content-Type": answer.content_type, **answer.headers}
        )
        response.content_length = len(answer.body)
        await response.prepare(request)
        await response.write(answer.body[: len(answer.body) // 2])
        if request.transport is not None:
            request.transport.close()
        return response

    # --- routing ---------------------------------------------------------------------------

    def route(self, family: str, request: web.BaseRequest) -> Answer:
        state = self.state
        world = state.world
        path = request.path  # decoded
        site = world.site_at(family, path)
        now = world.now()
        with world.lock:
            if path == "/robots.txt":
                return self._robots(family)
            if family == "main" and path in ("/blog", "/blog/"):
                return redirect(state.origins[family] + "/")
            if "/wp-content/uploads/" in path:
                return self._upload(path)
            if path.startswith(site.root) or path + "/" == site.root:
                rel = path[len(site.root) :]
                answer = self._in_site(site, rel, request, now)
                if answer is not None:
                    return answer
            if path.startswith(site.category_base):
                answer = self._category(site, path[len(site.category_base) :], request, now)
                if answer is not None:
                    return answer
            if path.startswith(site.post_prefix):
                answer = self._post(family, site, path, request, now)
                if answer is not None:
                    return answer
            return self._not_found(site, now)

    def _in_site(
        self, site: SiteSpec, rel: str, request: web.BaseRequest, now: datetime
    ) -> Answer | None:
        state, world = self.state, self.state.world
        origin = state.origins[site.family]
        query = request.query
        if rel == "" and "p" in query:
            return self._shortlink(site, query.get("p", ""))
        if rel == "" and "s" in query:
            return self._not_found(site, now)
        if rel in ("", "/"):
            body = state.pages.listing(site, None, 1, now)
            return Answer(body=body or b"")
        match = _PAGE.match(rel)
        if match and match.group(1) == "":
            return self._paged(site, None, int(match.group(2)), origin + site.root, now)
        if rel in ("feed/", "feed") and not world.switches.feeds:
            return self._not_found(site, now)
        if rel == "feed/" or rel == "feed":
            posts = world.in_category(site, None)[: world.switches.feed_items]
            xml = render_feed(site, posts, state.origins, origin + site.root + "feed/", None, now)
            return _feed_answer(xml, posts, request)
        if rel.startswith("wp-json"):
            return self._rest(site, rel, request)
        if rel.endswith(".xml"):
            return self._sitemap(site, rel)
        if rel in ("calendar/", "calendar") and state.faults.trap:
            return self._calendar(site, query.get("m", ""))
        if rel.startswith("redirect-loop") and state.faults.loop:
            target = "redirect-loop/" if "hop" in query else "redirect-loop/?hop=1"
            return redirect(origin + site.root + target, 302)
        return None

    def _shortlink(self, site: SiteSpec, raw: str) -> Answer:
        world = self.state.world
        if not raw.isdigit():
            return self._not_found(site, world.now())
        sources = tuple(s.source for s in SITES if s.family == site.family)
        if site.family == "main":
            sources = (site.source,)
        post = world.find_id(sources, int(raw))
        if post is None or post.gone is not None:
            return self._not_found(site, world.now())
        if world.switches.shortlinks == "serve":  # the page itself, canonical link inside
            post_site = world.site_by_source[post.source]
            return Answer(body=self.state.pages.article(post_site, post, world.now()))
        return redirect(self.state.origins[post.family] + post.path)

    def _paged(
        self, site: SiteSpec, category: str | None, page: int, base: str, now: datetime
    ) -> Answer:
        if page <= 1:
            return redirect(base)
        body = self.state.pages.listing(site, category, page, now)
        return Answer(body=body) if body is not None else self._not_found(site, now)

    def _category(
        self, site: SiteSpec, rel: str, request: web.BaseRequest, now: datetime
    ) -> Answer | None:
        world, origin = self.state.world, self.state.origins[site.family]
        feed = rel.endswith("feed/") or rel.endswith("feed")
        page = 1
        if feed:
            rel = rel[: rel.rfind("feed")]
        match = _PAGE.match(rel)
        if match:
            rel, page = match.group(1), int(match.group(2))
        wanted = rel.strip("/")  # decoded: Arabic slugs arrive as Arabic
        cat = next((c for c in site.categories if unquote(c.path) == wanted), None)
        if cat is None:
            return None
        base = f"{origin}{site.category_base}{cat.path}/"
        if not rel.endswith("/") and not feed and not match:
            return redirect(base)
        if feed and not world.switches.feeds:
            return self._not_found(site, now)
        if feed:
            posts = world.in_category(site, cat.key)[: world.switches.feed_items]
            xml = render_feed(site, posts, self.state.origins, base + "feed/", cat.name, now)
            return _feed_answer(xml, posts, request)
        if match:
            return self._paged(site, cat.key, page, base, now)
        body = self.state.pages.listing(site, cat.key, 1, now)
        return Answer(body=body or b"")

    def _post(
        self, family: str, site: SiteSpec, path: str, request: web.BaseRequest, now: datetime
    ) -> Answer | None:
        rel = path[len(site.post_prefix) :]
        if not _POST.match(rel):
            return None
        world = self.state.world
        decoded = path if path.endswith("/") else path + "/"
        post = world.find_path(family, decoded)
        if post is None or post.source != site.source:
            return None
        if post.gone is not None:
            return Answer(post.gone, self.state.pages.not_found(site, now))
        if not path.endswith("/"):
            query = f"?{request.query_string}" if request.query_string else ""
            return redirect(self.state.origins[family] + post.path + query)
        origin = self.state.origins[family]
        links = (
            f'<{origin}{site.root}wp-json/>; rel="https://api.w.org/", '
            f"<{origin}{site.wp_home}?p={post.post_id}>; rel=shortlink"
        )
        return Answer(body=self.state.pages.article(site, post, now), headers={"Link": links})

    def _not_found(self, site: SiteSpec, now: datetime) -> Answer:
        status = 200 if self.state.faults.soft404 else 404
        return Answer(status, self.state.pages.not_found(site, now))

    def _upload(self, path: str) -> Answer:
        lowered = path.lower()
        if lowered.endswith(".pdf"):
            name = path.rsplit("/", 1)[-1]
            return Answer(body=tiny_pdf(name), content_type="application/pdf")
        if lowered.endswith((".jpg", ".jpeg", ".png", ".gif")):
            return Answer(body=TINY_IMAGE, content_type="image/gif")
        return Answer(404, b"", "text/plain")

    def _robots(self, family: str) -> Answer:
        state = self.state
        origin = state.origins[family]
        lines = ["User-agent: *", "Disallow: /wp-admin/", "Allow: /wp-admin/admin-ajax.php"]
        delay = state.world.switches.crawl_delay
        if delay:
            lines.append(f"Crawl-delay: {delay:g}")
        lines.append("")
        style = state.world.switches.sitemap
        if state.world.switches.robots_sitemap and style != "none":
            name = "sitemap_index.xml" if style == "yoast" else "wp-sitemap.xml"
            for site in state.world.sites:
                if site.family == family:
                    lines.append(f"Sitemap: {origin}{site.root}{name}")
        return Answer(
            body=("\n".join(lines) + "\n").encode(), content_type="text/plain; charset=UTF-8"
        )

    def _sitemap(self, site: SiteSpec, rel: str) -> Answer | None:
        world = self.state.world
        style, size = world.switches.sitemap, world.switches.sitemap_size
        origin = self.state.origins[site.family]
        xml_type = "application/xml; charset=UTF-8"
        posts = sorted(world.in_category(site, None), key=lambda p: p.published)
        if style == "none":
            return None
        children = sitemaps.index_paths(site, style, len(posts), size)
        index_name = "sitemap_index.xml" if style == "yoast" else "wp-sitemap.xml"
        if rel == index_name:
            mods = []
            for n in range(len(children) - 1):
                chunk = posts[n * size : (n + 1) * size]
                mods.append(max((p.modified for p in chunk), default=None))
            lastmods = [sitemaps.iso_utc(m) if m else "" for m in mods] + [""]
            xml = sitemaps.render_index(origin, children, lastmods, style)
            return Answer(body=xml.encode(), content_type=xml_type)
        full = site.root + rel
        if full not in children:
            return None
        if full == children[-1]:
            xml = sitemaps.render_category_urlset(site, origin)
        else:
            n = children.index(full)
            xml = sitemaps.render_urlset(origin, posts[n * size : (n + 1) * size])
        return Answer(body=xml.encode(), content_type=xml_type)

    def _rest(self, site: SiteSpec, rel: str, request: web.BaseRequest) -> Answer | None:
        world = self.state.world
        mode = world.switches.rest
        if mode == "absent":
            return None
        if mode in ("401", "403"):
            code = int(mode)
            body = {
                "code": "rest_forbidden" if code == 403 else "rest_not_logged_in",
                "message": "Sorry, you are not allowed to do that.",
                "data": {"status": code},
            }
            return _json_answer(body, code)
        lang = request.query.get("lang")
        if site.family == "news" and lang in ("en", "ar"):  # Polylang-style language filter
            site = next(s for s in world.sites if s.family == "news" and s.language == lang)
        origin = self.state.origins[site.family]
        route = rel[len("wp-json") :].strip("/")
        if route in ("", "wp/v2"):
            return _json_answer(
                {"name": "Syrian Network for Human Rights", "namespaces": ["wp/v2"]}
            )
        if route == "wp/v2/posts":
            try:
                items, total, pages = rest.list_posts(
                    world.in_category(site, None), site, origin, request.query
                )
            except rest.RestError as error:
                return _json_answer(error.body(), error.status)
            answer = _json_answer(items)
            answer.headers.update({"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)})
            return answer
        if route.startswith("wp/v2/posts/") and route.rsplit("/", 1)[-1].isdigit():
            post = world.find_id((site.source,), int(route.rsplit("/", 1)[-1]))
            if post is None or post.gone is not None:
                return _json_answer(
                    {
                        "code": "rest_post_invalid_id",
                        "message": "Invalid post ID.",
                        "data": {"status": 404},
                    },
                    404,
                )
            return _json_answer(rest.post_json(post, site, origin))
        if route == "wp/v2/categories":
            counts = Counter(p.category for p in world.in_category(site, None))
            cats = rest.list_categories(site, origin, dict(counts))
            answer = _json_answer(cats)
            answer.headers.update({"X-WP-Total": str(len(cats)), "X-WP-TotalPages": "1"})
            return answer
        return _json_answer(
            {"code": "rest_no_route", "message": "No route was found.", "data": {"status": 404}},
            404,
        )

    def _calendar(self, site: SiteSpec, month: str) -> Answer:
        """The endless calendar trap: every month links to the next one, forever."""
        if not _CAL.match(month):
            month = "202601"
        year, mon = int(month[:4]), int(month[4:])
        nxt = f"{year + mon // 12}{mon % 12 + 1:02d}"
        origin = self.state.origins[site.family]
        html = (
            f"<!DOCTYPE html><html><head><title>Calendar {month}</title></head><body>"
            f'<table class="wp-calendar"><caption>{month}</caption></table>'
            f'<a href="{origin}{site.root}calendar/?m={nxt}">Next month</a></body></html>'
        )
        return Answer(body=html.encode())


def _feed_answer(xml: str, posts: list[Post], request: web.BaseRequest) -> Answer:
    """RSS with WordPress's conditional GET: ``Last-Modified``/``ETag``, 304 when unchanged."""
    newest = max((p.modified for p in posts), default=None)
    modified = rfc822(newest).replace("+0000", "GMT") if newest else ""
    etag = f'"{hashlib.md5(modified.encode()).hexdigest()}"'  # noqa: S324 - not security
    headers = {"Last-Modified": modified, "ETag": etag}
    if request.headers.get("If-None-Match") == etag or (
        modified and request.headers.get("If-Modified-Since") == modified
    ):
        return Answer(304, b"", "application/rss+xml; charset=UTF-8", headers)
    return Answer(200, xml.encode(), "application/rss+xml; charset=UTF-8", headers)


#: What a server compresses: text, never PDFs or images (already compressed).
_COMPRESSIBLE = ("text/", "application/xml", "application/rss+xml", "application/json")


def _accepts_gzip(accept_encoding: str) -> bool:
    """Whether ``Accept-Encoding`` allows gzip (``gzip;q=0`` forbids it; ``*`` allows it)."""
    allowed = {}
    for part in accept_encoding.split(","):
        coding, _, params = part.strip().lower().partition(";")
        quality = params.strip().removeprefix("q=")
        try:
            allowed[coding.strip()] = float(quality) > 0 if quality else True
        except ValueError:
            allowed[coding.strip()] = False
    return allowed.get("gzip", allowed.get("*", False))


def _gzipped(answer: Answer, accept_encoding: str) -> Answer:
    """``Content-Encoding: gzip`` for a client that accepts it (``Vary`` either way, as servers do)."""
    if not answer.body or not answer.content_type.startswith(_COMPRESSIBLE):
        return answer
    headers = {**answer.headers, "Vary": "Accept-Encoding"}
    if not _accepts_gzip(accept_encoding):
        return Answer(answer.status, answer.body, answer.content_type, headers)
    body = gzip.compress(answer.body, compresslevel=6, mtime=0)
    return Answer(answer.status, body, answer.content_type, {**headers, "Content-Encoding": "gzip"})


def _json_answer(data: object, status: int = 200) -> Answer:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return Answer(status, body, "application/json; charset=UTF-8")


def _mischarset(answer: Answer, mode: str) -> Answer:
    """Arabic page served as windows-1256 with no charset, or with a wrong declared one."""
    text = answer.body.decode("utf-8").replace('<meta charset="UTF-8" />\n', "")
    if mode == "cp1256":
        return Answer(
            answer.status, text.encode("cp1256", "xmlcharrefreplace"), "text/html", answer.headers
        )
    return Answer(
        answer.status, text.encode("utf-8"), "text/html; charset=ISO-8859-1", answer.headers
    )


def footer_links(faults: Faults, origins: dict[str, str]) -> dict[str, str]:
    """Footer HTML per family: the trap/loop links exist only when those faults are on."""
    out = {}
    for family, origin in origins.items():
        links = []
        if faults.trap:
            links.append(
                f'<a class="snhr-archive-calendar" href="{origin}/calendar/?m=202601">Archive calendar</a>'
            )
        if faults.loop:
            links.append(f'<a class="snhr-loop" href="{origin}/redirect-loop/">Archives</a>')
        out[family] = "".join(links)
    return out
