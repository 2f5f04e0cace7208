"""Same seed → same sites, byte for byte, except the clock-dependent parts."""

from __future__ import annotations

import re
from datetime import timedelta

from replica_helpers import NOW, fetch, local

from snhr_replica import ReplicaServer, World

_CLOCK = re.compile(
    r'<div class="tdb-head-date-txt">[^<]*</div>|<div style="visibility:hidden;">[^<]*</div>'
    r'|<div class="td_block_wrap td_flex_block_1.*?(?=\n</div></div>\n<div class="vc_column tdi_55)'
    r"|<div class=\"td_block_wrap td_block_related_posts.*?(?=\n +</div>)",
    re.S,
)

_PORT = re.compile(r"127\.0\.0\.1(:|%3A)\d+")


def test_generation_is_deterministic():
    first = World(posts=30, seed=7, now=NOW)
    second = World(posts=30, seed=7, now=NOW)
    for source, posts in first.posts.items():
        other = second.posts[source]
        assert [(p.post_id, p.path, p.title, p.blocks) for p in posts] == [
            (p.post_id, p.path, p.title, p.blocks) for p in other
        ]
    third = World(posts=30, seed=8, now=NOW)
    assert [p.title for p in third.posts["snhr_news"]] != [
        p.title for p in first.posts["snhr_news"]
    ]


def test_pages_equal_except_clock_parts():
    later = NOW + timedelta(days=3)
    with (
        ReplicaServer(posts=20, seed=5, now=NOW) as a,
        ReplicaServer(posts=20, seed=5, now=later) as b,
    ):
        records = a.truth()
        assert records == b.truth()
        for record in records[::9]:
            page_a = _PORT.sub("ORIGIN", fetch(local(a, record["url"])).text)
            page_b = _PORT.sub("ORIGIN", fetch(local(b, record["url"])).text)
            assert _CLOCK.sub("", page_a) == _CLOCK.sub("", page_b)
            assert page_a != page_b  # the header date differs run to run


def test_header_date_follows_now(replica):
    record = replica.truth("snhr_news")[-1]
    html = fetch(local(replica, record["url"])).text
    assert "Wednesday, November 25, 2026" in html
    record_ar = replica.truth("snhr_news_ar")[-1]
    html_ar = fetch(local(replica, record_ar["url"])).text
    assert "الأربعاء, نوفمبر 25, 2026" in html_ar


def test_moving_the_clock_changes_only_clock_parts():
    with ReplicaServer(posts=8, seed=5, now=NOW) as replica:
        url = local(replica, replica.truth("snhr_news")[-1]["url"])
        before = fetch(url).text
        replica.site.set_now(NOW + timedelta(days=1))
        after = fetch(url).text
        assert "Thursday, November 26, 2026" in after
        assert _CLOCK.sub("", before) == _CLOCK.sub("", after)
