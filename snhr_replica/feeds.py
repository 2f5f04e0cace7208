"""RSS2 feeds: ``/feed/`` and ``/category/<path>/feed/``, newest items first.

``guid`` is the ``?p=ID`` shortlink with ``isPermaLink="false"`` and pubDate is
RFC-822 in UTC, as in SNHR's saved feeds; ``content:encoded`` holds the body.
"""

from __future__ import annotations

from datetime import datetime
from xml.sax.saxutils import escape as xml_escape

from .clock import rfc822
from .html_common import SITE_NAME, page_href, render_block
from .model import Post
from .sites import SiteSpec


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def render_feed(
    site: SiteSpec,
    posts: list[Post],
    origins: dict[str, str],
    feed_url: str,
    heading: str | None,
    now: datetime,
) -> str:
    origin = origins[site.family]
    name = SITE_NAME[site.language]
    title = f"{heading} – {name}" if heading else name
    built = rfc822(max((p.modified for p in posts), default=now))
    items = []
    for post in posts:
        body = "\n".join(render_block(block, page_href(origins)) for block in post.blocks)
        description = " ".join(post.plain_text().split()[:55]) + " [&#8230;]"
        items.append(
            f"""<item>
<title>{xml_escape(post.title)}</title>
<link>{xml_escape(origin + post.path)}</link>
<dc:creator>{_cdata("SNHR")}</dc:creator>
<pubDate>{rfc822(post.published)}</pubDate>
<category>{_cdata(site.category(post.category).name)}</category>
<guid isPermaLink="false">{origin}{site.wp_home}?p={post.post_id}</guid>
<description>{_cdata(description)}</description>
<content:encoded>{_cdata(body)}</content:encoded>
</item>"""
        )
    language = "ar" if site.language == "ar" else "en-US"
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
xmlns:content="http://purl.org/rss/1.0/modules/content/"
xmlns:dc="http://purl.org/dc/elements/1.1/"
xmlns:atom="http://www.w3.org/2005/Atom"
xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel>
<title>{xml_escape(title)}</title>
<atom:link href="{xml_escape(feed_url)}" rel="self" type="application/rss+xml" />
<link>{origin}{site.root.rstrip("/")}</link>
<description>No Justice without Accountability</description>
<lastBuildDate>{built}</lastBuildDate>
<language>{language}</language>
<sy:updatePeriod>hourly</sy:updatePeriod>
<sy:updateFrequency>1</sy:updateFrequency>
<image><url>{origin}/wp-content/uploads/2017/01/favicon-32x32.png</url><title>{xml_escape(title)}</title><link>{origin}{site.root.rstrip("/")}</link><width>32</width><height>32</height></image>
{chr(10).join(items)}
</channel>
</rss>
"""
