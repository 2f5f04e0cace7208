"""Invariants every spider must hold, so a new source cannot skip the pattern."""

from __future__ import annotations

import inspect
import re
from importlib import resources
from pathlib import Path

import pytest
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.defer import deferred_f_from_coro_f
from scrapy.utils.project import get_project_settings

from snhr_crawler.base_spiders import NewsSpider
from snhr_crawler.sites import SiteDescriptor
from tests.helpers import FIXTURES, make_spider

LOADER = get_spider_loader(get_project_settings())
SPIDERS_DIR = Path(__file__).resolve().parents[1] / "snhr_crawler" / "spiders"
NAMES = sorted(LOADER.list())


def test_sources_are_discovered_not_listed() -> None:
    # Every module of snhr_crawler/spiders is a source; nothing here names them.
    modules = {p.stem for p in SPIDERS_DIR.glob("*.py") if p.stem != "__init__"}
    assert set(NAMES) == modules


@pytest.mark.parametrize("name", NAMES)
def test_naming(name: str) -> None:
    cls = LOADER.load(name)
    assert cls.__module__ == f"snhr_crawler.spiders.{name}"
    camel = "".join(part.capitalize() for part in name.split("_"))
    assert cls.__name__ == f"{camel}Spider"
    assert re.fullmatch(r"[a-z][a-z0-9_]*", name)


@pytest.mark.parametrize("name", NAMES)
def test_metadata(name: str) -> None:
    cls = LOADER.load(name)
    assert issubclass(cls, NewsSpider)
    assert isinstance(cls.site, SiteDescriptor)
    assert cls.site.origin.startswith("https://")
    assert cls.language in ("en", "ar")
    assert cls.allowed_domains
    doc = inspect.getdoc(cls) or ""
    for section in ("Source", "Language", "Caveats"):
        assert re.search(rf"^{section}$", doc, re.MULTILINE), f"{name}: docstring lacks {section}"
    assert "TODO" not in inspect.getsource(cls)


@pytest.mark.parametrize("name", NAMES)
def test_fixtures_and_seeds_exist(name: str) -> None:
    cases = list((FIXTURES / name).glob("*/meta.json"))
    assert len(cases) >= 2, f"{name}: needs fixture pages in tests/fixtures/{name}/"
    site = LOADER.load(name).site
    assert site.seed_urls()
    seeds = resources.files(site.seed_package) / f"{site.seeds}.txt"
    assert "TODO" not in seeds.read_text("utf-8"), f"{name}: seeds still carry a TODO"


@pytest.mark.parametrize("name", NAMES)
@deferred_f_from_coro_f
async def test_start_yields_requests_on_the_site(name: str) -> None:
    spider = make_spider(LOADER.load(name))
    requests = [request async for request in spider.start()]
    assert requests
    assert all(spider.site_origin.owns(request.url) for request in requests)
