"""The dry run's diff: what changed in a record, readable in a terminal or cron mail."""

from __future__ import annotations

from snhr_crawler.reparse.diff import record_diff

BEFORE = {
    "id": "snhr_news:7",
    "version": 2,
    "url": "https://news.snhr.org/2024/01/02/x/",
    "title": "Two civilians killed",
    "tags": [],
    "incident": {"event": "killed", "killed": 2, "spans": {"killed": [0, 3]}},
    "body_text": "First paragraph.\n\nSecond paragraph.\n\nThird paragraph.",
}


def test_scalars_objects_and_text_each_read_their_own_way() -> None:
    after = {
        **BEFORE,
        "title": "Three civilians killed",
        "tags": ["x"],
        "incident": {"event": "killed", "killed": 3, "spans": {"killed": [0, 5]}},
        "body_text": "First paragraph.\n\nSecond paragraph, corrected.\n\nThird paragraph.",
    }
    text = record_diff(BEFORE, after, ["title", "tags", "incident", "body_text"])
    assert text.splitlines() == [
        "snhr_news:7 v2 https://news.snhr.org/2024/01/02/x/",
        '- title: "Two civilians killed"',
        '+ title: "Three civilians killed"',
        "- tags: []",
        '+ tags: ["x"]',
        "- incident.killed: 2",
        "+ incident.killed: 3",
        "- incident.spans.killed: [0, 3]",
        "+ incident.spans.killed: [0, 5]",
        "--- body_text (archived)",
        "+++ body_text (today's parser)",
        "  @@ -2,3 +2,3 @@",
        " ",
        "-Second paragraph.",
        "+Second paragraph, corrected.",
        " ",
    ]


def test_a_long_diff_is_cut_and_says_so() -> None:
    after = {**BEFORE, "tags": [str(n) for n in range(3)]}
    fields = ["title", "tags"]
    text = record_diff(BEFORE, {**after, "title": "t"}, fields, max_lines=2)
    assert text.splitlines()[-1] == "  ... 3 more line(s)"
