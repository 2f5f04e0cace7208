"""Page parsing, separate from crawling: what a page says, not how we got it."""

from snhr_crawler.extract.tagdiv import Extracted, TagDivArticleParser

__all__ = ["Extracted", "TagDivArticleParser"]
