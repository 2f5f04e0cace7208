"""Article pages of a plain WordPress theme (``entry-content`` markup), layered like the tagDiv parser.

Default and most classic themes print a post as ``article.post`` with
``h1.entry-title``, ``time.entry-date``/``time.published``, ``.cat-links a``
and ``.tags-links a`` (``rel="category tag"``), the text in
``.entry-content`` and the featured image in ``.post-thumbnail``. Each field
is read from that markup first (layer ``site:wp``), then from page metadata
(JSON-LD, ``og:``/``article:`` meta tags, ``link rel=shortlink``, body
classes), then from the URL, and the layer that answered is recorded, so the
stats show a theme change as a shift between layers.

The body, its links and the JSON-LD are read with the shared helpers of
``snhr_crawler.extract``; the entry point is the one every platform parser
has: ``WordPressArticleParser(map_url, language).parse(selector, url)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from parsel import Selector

from snhr_crawler.extract import Extracted
from snhr_crawler.extract.body import Body, detached_copy, read_body, strip_furniture
from snhr_crawler.extract.identity import first_post_id, post_id_evidence
from snhr_crawler.extract.jsonld import breadcrumb_names, json_ld_nodes
from snhr_crawler.extract.safety import squash
from snhr_crawler.extract.tagdiv import first_date, own_article_node
from snhr_crawler.urls import join, url_date

TITLE_CSS = "article h1.entry-title ::text, main h1.entry-title ::text"
DATE_CSS = (
    "article time.entry-date.published",
    "article time.published",
    "article time.entry-date",
)
CATEGORY_CSS = "article .cat-links a::text, article a[rel~=category]::text"
TAG_CSS = "article .tags-links a::text, article a[rel=tag]::text"
BODY_CSS = "article .entry-content, .entry-content"
IMAGE_CSS = "article .post-thumbnail img, .post-thumbnail img"
#: The block editor's image figure in the content (with its caption).
FIGURE_CSS = "article .entry-content figure.wp-block-image, .entry-content figure.wp-block-image"

_PDF = re.compile(r"\.pdf$", re.IGNORECASE)


def _squash(text: str | None) -> str:
    return squash(text)


class WordPressArticleParser:
    """Parses a plain-theme WordPress article page into Article fields (without derived ones)."""

    def __init__(self, map_url: Callable[[str], str], language: str) -> None:
        self.map_url = map_url
        self.language = language
        self.page_url = ""

    def public(self, href: str) -> str:
        link = join(self.page_url, href.strip())
        return self.map_url(link) if link else ""

    def parse(self, selector: Selector, url: str) -> Extracted:
        self.page_url = url
        out = Extracted()
        nodes = json_ld_nodes(selector)
        article = own_article_node(nodes, url, self.public, out)
        canonical = selector.css('link[rel="canonical"]::attr(href)').get()
        out.put("url", self.public(canonical or url), "meta" if canonical else "url")
        self._post_id(selector, out)
        self._title(selector, article, out)
        out.put("subtitle", None, "none")
        self._dates(selector, article, out)
        self._categories(selector, nodes, article, out)
        tags = [t for t in map(_squash, selector.css(TAG_CSS).getall()) if t]
        out.put("tags", list(dict.fromkeys(tags)), "site:wp" if tags else "none")
        body = self._body(selector, out)
        self._attachments(body, out)
        self._images(selector, out)
        self._translations(selector, out)
        return out

    def _post_id(self, selector: Selector, out: Extracted) -> None:
        evidence = post_id_evidence(
            selector.css('link[rel="shortlink"]::attr(href)').get(),
            selector.css("body::attr(class)").get() or "",
            selector.css("article::attr(id)").getall(),
        )
        out.evidence["post_id"] = evidence
        post_id, layer = first_post_id(evidence)
        out.put("post_id", post_id, layer)

    def _title(self, selector: Selector, article: dict[str, Any], out: Extracted) -> None:
        candidates = (
            ("site:wp", " ".join(selector.css(TITLE_CSS).getall())),
            ("meta", selector.css('meta[property="og:title"]::attr(content)').get()),
            (
                "json-ld",
                article.get("headline") if isinstance(article.get("headline"), str) else None,
            ),
            ("title", selector.css("title::text").get()),
        )
        for layer, value in candidates:
            if text := _squash(value):
                # The site's name after the title is the descriptor's to strip (build_article).
                out.put("title", text, layer)
                return
        out.put("title", None, "none")

    def _dates(self, selector: Selector, article: dict[str, Any], out: Extracted) -> None:
        element = next((found for css in DATE_CSS if (found := selector.css(css))), None)
        published = selector.css('meta[property="article:published_time"]::attr(content)').get()
        first_date(
            (
                ("json-ld", lambda: article.get("datePublished")),
                ("meta", lambda: published),
                ("time-element", lambda: element.attrib.get("datetime") if element else None),
                ("url", lambda: url_date(out.fields["url"])),
            ),
            "published_at",
            out,
        )
        # Not time.updated: themes print it on the published date's element
        # ("entry-date published updated") whether or not the post was edited.
        modified = selector.css('meta[property="article:modified_time"]::attr(content)').get()
        first_date(
            (("json-ld", lambda: article.get("dateModified")), ("meta", lambda: modified)),
            "modified_at",
            out,
        )

    def _categories(
        self,
        selector: Selector,
        nodes: list[dict[str, Any]],
        article: dict[str, Any],
        out: Extracted,
    ) -> None:
        names = [n for n in map(_squash, selector.css(CATEGORY_CSS).getall()) if n]
        if names:
            out.put("categories", list(dict.fromkeys(names)), "site:wp")
            return
        crumbs = breadcrumb_names(nodes)
        if len(crumbs) > 2:
            out.put("categories", crumbs[1:-1], "json-ld")
            return
        section = article.get("articleSection")
        sections = section if isinstance(section, list) else [section]
        listed = [s for s in sections if isinstance(s, str) and s.strip()]
        out.put("categories", listed, "json-ld" if listed else "none")

    def _body(self, selector: Selector, out: Extracted) -> Body:
        found = selector.css(BODY_CSS)
        if found:
            container = detached_copy(found[0].root)
            strip_furniture(container)
            body = read_body(container, self.public, title=out.fields.get("title") or "")
            if body.text:
                out.put("body_text", body.text, "site:wp")
                out.put("body_html", body.html, "site:wp")
                return body
        out.put("body_text", "", "none")
        out.put("body_html", "", "none")
        return Body()

    def _attachments(self, body: Body, out: Extracted) -> None:
        attachments: dict[str, dict[str, Any]] = {}
        for href, text in body.links:
            public = self.public(href)
            if _PDF.search(public.split("?")[0]) and public not in attachments:
                attachments[public] = {"url": public, "title": text or None}
        out.put("attachments", list(attachments.values()), "site" if attachments else "none")

    def _images(self, selector: Selector, out: Extracted) -> None:
        src = selector.css(f"{IMAGE_CSS}::attr(src)").get()
        if src:
            out.put("images", [{"url": self.public(src), "caption": None}], "site:wp")
            return
        for figure in selector.css(FIGURE_CSS):
            if src := figure.css("img::attr(src)").get():
                caption = _squash(" ".join(figure.css("figcaption ::text").getall())) or None
                out.put("images", [{"url": self.public(src), "caption": caption}], "site:wp")
                return
        og_image = selector.css('meta[property="og:image"]::attr(content)').get()
        if og_image:
            out.put("images", [{"url": self.public(og_image), "caption": None}], "meta")
        else:
            out.put("images", [], "none")

    def _translations(self, selector: Selector, out: Extracted) -> None:
        """``hreflang`` links: ``link rel=alternate`` in the head (language plugins), else
        language-switch links in the post."""
        translations: dict[str, str] = {}
        links = selector.css('link[rel="alternate"][hreflang]') or selector.css(
            "article a[hreflang][href]"
        )
        for link in links:
            language = (link.attrib.get("hreflang") or "").split("-")[0].lower()
            href = (link.attrib.get("href") or "").strip()
            if language and language not in ("x", self.language) and href:
                translations.setdefault(language, self.public(href))
        out.put("translations", translations, "meta" if translations else "none")
