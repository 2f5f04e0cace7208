from snhr_crawler.base_spiders import TagDivSpider
from snhr_crawler.sites import DocTypeRules, SiteDescriptor


class HostileNewsSpider(TagDivSpider):
    """
    Source
      A tagDiv news site the hostile suite serves, https://news.hostile.test
    Language
      en
    Caveats
      Test-only (tests/hostile/): every scenario serves it from loopback
      through ``origin=``; the public host never resolves, so a request that
      escapes the origin fails at once and is seen.
    """

    name = "hostile_news"

    # NewsSpider
    site = SiteDescriptor(
        origin="https://news.hostile.test",
        old_hosts=("old.hostile.test",),
        site_names=("Hostile News",),
        doc_types=DocTypeRules(default="news"),
        seeds="hostile_news",
        seed_package="tests.hostile.seeds",
        site_path="/",
    )
    language = "en"
