"""Without network a run says so in one line, in seconds, without lowering live politeness."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.utils.defer import deferred_f_from_coro_f
from scrapy.utils.test import get_crawler
from twisted.internet import error

from snhr_crawler.middlewares.unreachable import UnreachableHostMiddleware
from tests.crawling import crawl
from tests.ops.bad_inputs import refused_origin
from tests.ops.conftest import run_cli

pytestmark = pytest.mark.e2e


def test_a_host_that_never_answered_is_not_retried_one_that_did_is() -> None:
    middleware = UnreachableHostMiddleware.from_crawler(get_crawler())
    first = Request("https://news.snhr.org/robots.txt")
    assert middleware.process_exception(first, error.DNSLookupError("no such host")) is None
    assert first.meta["dont_retry"] is True
    answered = Request("https://snhr.org/robots.txt")
    middleware.process_response(answered, Response(answered.url, status=200))
    later = Request("https://snhr.org/blog/")
    middleware.process_exception(later, error.ConnectionRefusedError())
    assert "dont_retry" not in later.meta  # the site answered before: retried as usual
    parse_error = Request("https://news.snhr.org/x")
    middleware.process_exception(parse_error, ValueError("not a network failure"))
    assert "dont_retry" not in parse_error.meta


@deferred_f_from_coro_f
async def test_a_refused_origin_ends_at_once_and_says_why(tmp_path: Path) -> None:
    with refused_origin() as origin:
        started = time.monotonic()
        # The live retry settings (4 retries, 2 s backoff base): none of them is spent.
        result = await crawl(
            "snhr_news", tmp_path / "a", origin=origin, settings={"RETRY_BACKOFF_BASE": 2.0}
        )
    assert time.monotonic() - started < 5
    assert result.finished
    assert result.stat("retry/count") == 0
    assert result.stat("snhr/unreachable/not_retried") == 1  # robots.txt, then disallowed
    assert result.stat("snhr/site_unreachable") == origin


def test_crawl_without_network_is_one_line_in_seconds(tmp_path: Path) -> None:
    """``make crawl`` here: the sealed child cannot resolve any name, as without network."""
    archive = tmp_path / "archive"
    started = time.monotonic()
    result = run_cli("crawl", "--archive", str(archive))
    elapsed = time.monotonic() - started
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "snhr-crawler crawl: error: check site_reachable FAILED: no site could be reached from"
        " here (https://news.snhr.org, https://snhr.org: DNS lookup failed); nothing was"
        " archived. Without network access, run `make demo` to crawl the offline replica"
    ]
    assert elapsed < 15  # was 41 s: four sources, each retrying robots.txt four times
    (report_path,) = (archive / "runs").glob("*.json")
    report = json.loads(report_path.read_text("utf-8"))
    assert {s["outcome"] for s in report["sources"].values()} == {"unreachable"}
    assert {s["unreachable_cause"] for s in report["sources"].values()} == {"DNS lookup failed"}
    assert report["options"]["local"] == []  # live politeness all along
    log = (archive / "runs" / f"{report['run_id']}.log").read_text("utf-8")
    assert "Spider closed (finished)" in log  # Scrapy's 400-odd lines went there
