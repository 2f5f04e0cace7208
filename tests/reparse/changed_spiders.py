"""A test-only spider module: ``snhr_news`` with a deliberately changed parser.

Loaded through ``SPIDER_MODULES`` (``changed_settings``), so ``reparse`` picks
it up exactly as it would a fixed parser in the package. The change touches
two kinds of record, chosen by what the page says:

* News in the *Arrests* category: the title gains a prefix (``content_sha256``
  changes with it, and so does the incident read from the title);
* *Daily Death Toll* posts: ``tags`` becomes ``["re-read"]`` (a field outside
  the hash: a re-read must still version it).
"""

from __future__ import annotations

from typing import Any

from snhr_crawler.extract import Extracted
from snhr_crawler.extract.tagdiv import TagDivArticleParser
from snhr_crawler.spiders.snhr_news import SnhrNewsSpider as ShippedSnhrNewsSpider

PREFIX = "Re-read: "


class ChangedParser(TagDivArticleParser):
    def parse(self, selector: Any, url: str) -> Extracted:
        extracted = super().parse(selector, url)
        categories = extracted.fields.get("categories") or []
        if "Arrests" in categories:
            extracted.fields["title"] = PREFIX + extracted.fields["title"]
        if "Daily Death Toll" in categories:
            extracted.fields["tags"] = ["re-read"]
        return extracted


class SnhrNewsSpider(ShippedSnhrNewsSpider):
    """
    Source
      The shipped snhr_news, with ChangedParser.
    Language
      en
    """

    name = "snhr_news"

    def article_parser(self) -> ChangedParser:
        return ChangedParser(self.site_origin.to_public, self.language)
