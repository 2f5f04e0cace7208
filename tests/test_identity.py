"""Identity rules (extract.identity) on hand-written evidence: what a page may claim about itself."""

from __future__ import annotations

from snhr_crawler.extract.identity import describes_other_page, post_id_evidence, resolve_identity

HOST = "news.snhr.org"
POST = "https://news.snhr.org/2024/05/01/shelling-of-the-market/"
OTHER = "https://news.snhr.org/2024/05/02/a-school-damaged/"


def resolve(
    url: str, fetched: str, **evidence: int | str
) -> tuple[str, int | None, tuple[str, ...]]:
    found = resolve_identity(
        {"url": url}, {"url": "meta"}, evidence, fetched=fetched, own_host=HOST
    )
    return found.url, found.post_id, found.untrusted


def test_the_canonical_of_the_fetched_page_is_trusted() -> None:
    assert resolve(POST, POST) == (POST, None, ())


def test_a_page_fetched_through_its_shortlink_or_amp_takes_its_canonical() -> None:
    assert resolve(POST, "https://news.snhr.org/?p=141766") == (POST, None, ())
    assert resolve(POST, POST + "amp/") == (POST, None, ())


def test_a_canonical_naming_another_post_home_or_host_is_not_trusted() -> None:
    for canonical in (OTHER, "https://news.snhr.org/", "https://evil.example/2024/05/01/x/"):
        assert resolve(canonical, POST) == (POST, None, ("canonical",))


def test_the_pages_own_markup_outranks_its_shortlink() -> None:
    _url, post_id, untrusted = resolve(POST, POST, shortlink=7, **{"body-class": 9})
    assert (post_id, untrusted) == (9, ("shortlink",))


def test_ids_that_cannot_be_refuse_the_page_and_p0_is_no_id() -> None:
    assert post_id_evidence("https://news.snhr.org/?p=0", "", []) == {}
    huge = post_id_evidence("https://news.snhr.org/?p=99999999999999999999", "postid-5", [])
    assert huge == {"shortlink": "99999999999999999999", "body-class": 5}
    found = resolve_identity({"url": POST}, {}, huge, fetched=POST, own_host=HOST)
    assert found.refused == "bad_post_id"


def test_json_ld_about_another_page_is_recognised() -> None:
    same = lambda url: url  # noqa: E731
    assert describes_other_page({"mainEntityOfPage": {"@id": OTHER}}, POST, same)
    assert not describes_other_page({"@id": POST + "#article"}, POST, same)
    assert not describes_other_page({"headline": "no page named"}, POST, same)
