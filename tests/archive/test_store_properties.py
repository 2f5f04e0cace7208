"""Property test: any mix of edits, removals, kills and torn tails leaves a correct archive.

Hypothesis drives a random sequence of operations against the store and a
plain model of what the archive must hold: per article, the list of versions
(content hashes, or a tombstone). Kills are SIGKILL-like (descriptors dropped,
the open index transaction lost, written lines still on disk); a torn tail is
half a line appended before a restart. After every restart and at the end,
the archive must equal the model, with no duplicate and a clean ``verify``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from archive_factories import as_dict, crash, make_article
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snhr_crawler.archive.reader import iter_lines, latest_records
from snhr_crawler.archive.store import ArchiveStore
from snhr_crawler.archive.verify import verify

POST_IDS = st.integers(1, 6)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("put"), POST_IDS, st.integers(0, 2)),
        st.tuples(st.just("remove"), POST_IDS),
        st.tuples(st.just("kill")),
        st.tuples(st.just("torn"), POST_IDS),
        st.tuples(st.just("restart")),
    ),
    max_size=40,
)


def _article(post_id: int, body: int) -> dict:
    """Version ``body`` of a post; odd posts are dated (two month files), even ones undated."""
    published = f"2024-0{post_id % 3 + 1}-10" if post_id % 2 else None
    return as_dict(make_article(post_id, body_text=f"body {body}", published_at=published))


def _check(root: Path, model: dict[str, list[str]]) -> None:
    versions = [(r["id"], r["version"]) for r in iter_lines(root)]
    assert len(versions) == len(set(versions))
    expected_live = {k: v[-1] for k, v in model.items() if v[-1] != "tombstone"}
    live = {r["id"]: r["content_sha256"] for r in latest_records(root)}
    assert live == expected_live
    for key, history in model.items():
        assert sorted(v for k, v in versions if k == key) == list(range(1, len(history) + 1))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(operations, st.integers(1, 5))
def test_random_histories_survive_kills_and_torn_tails(ops: list[tuple], fsync_every: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "archive"
        model: dict[str, list[str]] = {}
        store: ArchiveStore = ArchiveStore(root, fsync_every=fsync_every)
        for op in ops:
            if op[0] == "put":
                _, post_id, body = op
                article = _article(post_id, body)
                key = article["id"]
                outcome = store.put_article(article)
                history = model.setdefault(key, [])
                if history and history[-1] == article["content_sha256"]:
                    assert outcome == "unchanged"
                else:
                    assert outcome == ("changed" if history else "new")
                    history.append(article["content_sha256"])
            elif op[0] == "remove":
                key = f"snhr_news:{op[1]}"
                outcome = store.put_removal(
                    key=key,
                    source="snhr_news",
                    url=f"https://news.snhr.org/2024/01/15/post-{op[1]}/",
                    post_id=op[1],
                    status=404,
                    checked_at="2026-11-25T00:00:00Z",
                )
                history = model.get(key)
                if history and history[-1] != "tombstone":
                    assert outcome == "removed"
                    history.append("tombstone")
                else:
                    assert outcome != "removed"
            else:
                if op[0] == "kill":
                    crash(store)
                else:
                    store.close()
                if op[0] == "torn":
                    files = sorted(root.glob("snhr_news/*.jsonl"))
                    if files:
                        target = files[op[1] % len(files)]
                        with open(target, "ab") as handle:
                            handle.write(b'{"id": "snhr_news:99", "tit')
                store = ArchiveStore(root, fsync_every=fsync_every)
                _check(root, model)
        store.close()
        _check(root, model)
        report = verify(root)
        assert report.ok, report.problems
