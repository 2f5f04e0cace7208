"""Each fault, on and off; decisions are deterministic and a retry succeeds."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
from collections import Counter

import pytest
from replica_helpers import NOW, fetch, local

from snhr_replica import Faults, ReplicaServer, parse_faults

pytestmark = pytest.mark.e2e


def _article(replica: ReplicaServer, source: str = "snhr_news") -> str:
    return local(replica, replica.truth(source)[1]["url"])


def test_faults_off_by_default(replica):
    url = _article(replica)
    assert [fetch(url).status for _ in range(3)] == [200, 200, 200]
    assert "calendar" not in fetch(url).text
    assert fetch(replica.origins["snhr_news"] + "/calendar/?m=202601").status == 404


@pytest.mark.parametrize(
    ("spec", "status"), [("500=1", 500), ("503=1", 503), ("429=1,retry_after=7", 429)]
)
def test_status_faults_then_retry_succeeds(spec, status):
    with ReplicaServer(posts=4, seed=1, now=NOW, faults=spec) as replica:
        url = _article(replica)
        first = fetch(url)
        assert first.status == status
        if status == 429:
            assert first.headers["retry-after"] == "7"
        assert fetch(url).status == 200


def test_fault_decisions_are_deterministic():
    def statuses() -> list[int]:
        with ReplicaServer(posts=10, seed=9, now=NOW, faults="5xx=0.5") as replica:
            return [fetch(local(replica, r["url"])).status for r in replica.truth("snhr_news")]

    first = statuses()
    assert first == statuses()
    assert set(first) > {200}


def test_slow_answers():
    with ReplicaServer(posts=3, seed=1, now=NOW, faults="slow=1,slow_s=0.3") as replica:
        url = _article(replica)
        start = time.perf_counter()
        assert fetch(url).status == 200
        assert time.perf_counter() - start >= 0.3
        start = time.perf_counter()
        fetch(url)
        assert time.perf_counter() - start < 0.3


def test_truncated_body_drops_connection():
    with ReplicaServer(posts=3, seed=1, now=NOW, faults="truncate=1") as replica:
        url = _article(replica)
        with pytest.raises(http.client.IncompleteRead):
            fetch(url)
        assert fetch(url).text.rstrip().endswith("</html>")


def test_arabic_pages_in_windows_1256_without_charset():
    with ReplicaServer(posts=3, seed=1, now=NOW, faults="charset=1") as replica:
        record = replica.truth("snhr_news_ar")[1]
        reply = fetch(local(replica, record["url"]))
        assert reply.headers["content-type"] == "text/html"
        assert b"charset" not in reply.body.lower()
        assert record["title"] in reply.body.decode("cp1256")
        assert fetch(_article(replica)).headers["content-type"] == "text/html; charset=UTF-8"


def test_wrong_declared_charset():
    with ReplicaServer(posts=3, seed=1, now=NOW, faults="charset=1,charset_mode=wrong") as replica:
        record = replica.truth("snhr_reports_ar")[1]
        reply = fetch(local(replica, record["url"]))
        assert reply.headers["content-type"] == "text/html; charset=ISO-8859-1"
        assert record["title"] in reply.body.decode("utf-8")


def test_redirect_loop_and_calendar_trap_linked_from_footer():
    with ReplicaServer(posts=3, seed=1, now=NOW, faults="loop,trap") as replica:
        origin = replica.origins["snhr_news"]
        page = fetch(_article(replica)).text
        assert f'href="{origin}/calendar/?m=202601"' in page
        assert f'href="{origin}/redirect-loop/"' in page
        hop = fetch(origin + "/redirect-loop/")
        assert hop.status == 302
        back = fetch(hop.headers["location"])
        assert back.headers["location"] == origin + "/redirect-loop/"
        month = "202601"
        for _ in range(30):
            text = fetch(f"{origin}/calendar/?m={month}").text
            month = text.split("calendar/?m=")[1][:6]
        assert month == "202807"


def test_soft_404():
    with ReplicaServer(posts=3, seed=1, now=NOW, faults="soft404") as replica:
        reply = fetch(replica.origins["snhr_news"] + "/not/here/")
        assert reply.status == 200
        assert "Page not found" in reply.text


def test_bad_fault_specs_are_rejected():
    for spec in ("nope", "500=2", "slow_s=x", "charset_mode=latin1", "500=0.6,503=0.6"):
        with pytest.raises(ValueError, match=r"."):
            parse_faults(spec)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("500=0.5,503=0.5", {500: 0.5, 503: 0.5}),
        ("5xx=0.2", {500: 0.1, 503: 0.1}),
        ("500=0.1,503=0.05,429=0.05", {500: 0.1, 503: 0.05, 429: 0.05}),
        ("429=0.3,retry_after=2", {429: 0.3}),
        ("5xx=0.6,429=0.4", {500: 0.3, 503: 0.3, 429: 0.4}),
    ],
)
def test_status_faults_fire_at_their_configured_rates(spec, expected):
    """One draw per (seed, url, attempt) in bands: every status at its own rate, none shrunk."""
    faults = parse_faults(spec)
    urls = [f"news:/2024/01/{n}/post-{n}/" for n in range(20_000)]
    counts = Counter(faults.status_fault(7, url, 1) for url in urls)
    for status in (500, 503, 429):
        share = counts[status] / len(urls)
        assert share == pytest.approx(expected.get(status, 0.0), abs=0.015), (status, share)
    assert counts[None] / len(urls) == pytest.approx(1 - sum(expected.values()), abs=0.015)
    # deterministic, and a retry past ``attempts`` is never faulted
    assert [faults.status_fault(7, url, 1) for url in urls[:500]] == [
        faults.status_fault(7, url, 1) for url in urls[:500]
    ]
    assert {faults.status_fault(7, url, 2) for url in urls[:2000]} == {None}


def test_status_fault_rates_above_one_are_rejected():
    for spec in ("500=0.6,503=0.6", "5xx=0.8,429=0.3", "500=1,429=0.01"):
        with pytest.raises(ValueError, match=r"^status fault rates sum to [^\n]*at most 1$"):
            parse_faults(spec)
    with pytest.raises(ValueError, match="at most 1"):
        Faults(r500=0.7, r429=0.7)
    assert parse_faults("500=0.5,503=0.3,429=0.2").any_status  # exactly 1 is fine


def test_cli_rejects_status_rates_above_one_with_exit_2():
    result = subprocess.run(
        [sys.executable, "-m", "snhr_replica", "serve", "--faults", "500=0.6,503=0.6"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert "status fault rates sum to 1.2" in lines[0]
