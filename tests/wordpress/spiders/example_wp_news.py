from snhr_crawler.base_spiders import WordPressSpider
from snhr_crawler.sites import DocTypeRules, SiteDescriptor


class ExampleWpNewsSpider(WordPressSpider):
    """
    Source
      A plain-WordPress news site the tests serve, https://news.example.org
    Language
      en
    Caveats
      Test-only (tests/wordpress/site.py): the second platform, proving that a
      source on another base gets incremental runs, tombstones and discovery
      without copying any of it. Old links point at old-news.example.org.
    """

    name = "example_wp_news"

    # NewsSpider
    site = SiteDescriptor(
        origin="https://news.example.org",
        old_hosts=("old-news.example.org",),
        site_names=("Example News",),
        doc_types=DocTypeRules((("statement", frozenset({"Statements"})),), default="news"),
        seeds="example_wp_news",
        seed_package="tests.wordpress.seeds",
    )
    language = "en"
