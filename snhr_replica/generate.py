"""Builds every post of the four sites from (seed, posts per site, switches).

Drafts are laid out evenly over each site's lifetime with seeded jitter, then
sorted by date to hand out post ids (news: one WordPress install for both
languages; main site: one id sequence per sub-site), then slugs and bodies.
Nothing here reads the real clock, so the same inputs give the same sites.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from . import news_text, report_text
from .clock import LOCAL
from .model import Block, Image, Post
from .rand import rng, unit
from .sites import SITE_BY_SOURCE
from .slugs import SlugRegistry, arabic_slug, english_slug
from .switches import Switches

NEWS_START = datetime(2018, 1, 3, tzinfo=LOCAL)
MAIN_START = datetime(2011, 6, 1, tzinfo=LOCAL)
END = datetime(2026, 11, 20, tzinfo=LOCAL)


def _spread(seed: int, family: str, count: int, start: datetime) -> list[datetime]:
    span = (END - start).total_seconds()
    moments = []
    for i in range(count):
        r = rng(seed, family, "when", i)
        offset = (i + 0.1 + 0.8 * r.random()) / max(count, 1) * span
        moments.append(start + timedelta(seconds=int(offset)))
    return moments


def _date_layer(r: random.Random, template: str) -> str:
    roll = r.random()
    if template == "classic":
        return "time" if roll < 0.85 else "none"
    return "json-ld" if roll < 0.8 else "meta" if roll < 0.9 else "none"


def _modified(r: random.Random, published: datetime) -> datetime:
    """Most posts are touched within hours; some weeks later, but never after the corpus ends."""
    if r.random() < 0.3:
        later = published + timedelta(days=r.randint(1, 40), minutes=r.randint(0, 600))
    else:
        later = published + timedelta(seconds=r.randint(30, 3 * 3600))
    return max(published, min(later, END.astimezone(UTC)))


def _path(source: str, local: datetime, slug: str) -> str:
    prefix = SITE_BY_SOURCE[source].post_prefix
    return f"{prefix}{local:%Y/%m/%d}/{slug}/"


# --- news ----------------------------------------------------------------------------------


def news_kind(r: random.Random, published: date) -> str:
    if published.year >= 2020 and r.random() < 0.12:
        return "daily"
    return r.choices(("casualty", "torture", "attack", "arrest"), (40, 10, 22, 18))[0]


def news_category(r: random.Random, kind: str, switches: Switches) -> str:
    if kind == "daily":
        return "daily"
    if kind == "attack":
        return "attacks"
    if kind == "arrest":
        return "arrests" if switches.arrests_category else "news"
    filed = "news" if r.random() < 0.1 else "casualties"  # drawn either way: same world otherwise
    return "torture" if kind == "torture" and switches.extra_category else filed


def main_category(seed: int, doc_category: str, switches: Switches, key: object) -> str:
    """Where a main-site document is filed: with ``extra_category``, some monthly reports under "Reports"."""
    if (
        switches.extra_category
        and doc_category in ("death-toll", "arrest")
        and unit(seed, "filed", key) < 0.4
    ):
        return "reports"
    return doc_category


def build_news_post(
    seed: int,
    source: str,
    local: datetime,
    inc: news_text.Incident,
    category: str,
    key: object,
) -> Post:
    """A news post without id, path or translation (filled in by the caller)."""
    arabic = source.endswith("_ar")
    r = rng(seed, source, "post", key)
    style = news_text.era(local.date())
    headline = news_text.ar_headline if arabic else news_text.en_headline
    title, incident = headline(inc, style)
    blocks = news_text.ar_body(inc, style) if arabic else news_text.en_body(inc, style)
    template = "classic" if local.year <= 2019 else "tdb"
    published = local.astimezone(UTC)
    post = Post(
        source=source, family="news", language="ar" if arabic else "en", post_id=0,
        published=published, modified=_modified(r, published), path="", slug="", title=title,
        category=category, blocks=blocks, template=template, date_layer=_date_layer(r, template),
        incident_date=inc.day.isoformat(), incident=incident,
    )  # fmt: skip
    if arabic:
        post.extra["slug"] = arabic_slug(title)
    else:
        slug_title = title
        if r.random() < 0.05:  # the slug disagrees with the title, as observed
            slug_title = title.replace("eastern", "western").replace(" in ", " in syria in ", 1)
        post.extra["slug"] = english_slug(slug_title, drop_stop_words=style == "suburbs")
    if r.random() < 0.85:
        stem = f"snhr-news-{local:%Y%m%d}-{r.randrange(10**6):06d}"
        uploads = f"/wp-content/uploads/{local:%Y/%m}/"
        caption = title if template == "tdb" or r.random() < 0.8 else None
        if template == "classic":
            post.image = Image(f"{uploads}{stem}-696x392.jpg", f"{uploads}{stem}.jpg", caption)
        else:
            post.image = Image(f"{uploads}{stem}.jpg", f"{uploads}{stem}.jpg", caption)
    return post


def _news(seed: int, count: int, switches: Switches) -> list[Post]:
    en_posts: list[Post] = []
    ar_posts: list[Post] = []
    moments = _spread(seed, "news", count, NEWS_START)
    forced = next((i for i, m in enumerate(moments) if m.year in (2021, 2022)), None)
    for i, local in enumerate(moments):
        r = rng(seed, "news", "doc", i)
        kind = news_kind(r, local.date())
        inc_day = news_text.incident_day(r, local.date(), kind)
        if i == forced:  # a yearless title in December published in January
            local = local.replace(month=1, day=2, hour=10)
            inc_day = date(local.year - 1, 12, 31)
            kind = "casualty" if kind == "daily" else kind
        inc = news_text.pick_incident(r, kind, inc_day)
        category = news_category(r, kind, switches)
        en = build_news_post(seed, "snhr_news", local, inc, category, i)
        paired = r.random() < switches.translation_share
        if paired:
            ar_local = local + timedelta(minutes=r.randint(10, 300))
            ar_inc = inc
        else:
            ar_local = local + timedelta(hours=r.randint(6, 40))
            ar_kind = news_kind(r, ar_local.date())
            ar_inc = news_text.pick_incident(
                r, ar_kind, news_text.incident_day(r, ar_local.date(), ar_kind)
            )
            category = news_category(r, ar_kind, switches)
        ar = build_news_post(seed, "snhr_news_ar", ar_local, ar_inc, category, i)
        if paired:
            en.extra["pair"] = ar.extra["pair"] = str(i)
        en_posts.append(en)
        ar_posts.append(ar)
    everything = sorted(en_posts + ar_posts, key=lambda p: p.published)
    assign_news_ids(seed, everything, 60000, count)
    registry = SlugRegistry()
    for post in everything:
        finish(post, registry)
    link_pairs(en_posts, ar_posts)
    return en_posts + ar_posts


def assign_news_ids(seed: int, posts: list[Post], start: int, count: int) -> None:
    step = max(4, 90000 // max(2 * count, 1))
    next_id = start
    for post in posts:
        r = rng(seed, "news-id", post.source, post.published.isoformat())
        next_id += max(3, int(step * (0.5 + r.random())))
        post.post_id = next_id


def finish(post: Post, registry: SlugRegistry) -> None:
    """Give a post its unique slug and permalink path (needs the id for numeric slugs)."""
    slug = post.extra.pop("slug")
    if slug == "#id":
        slug = str(post.post_id)
    post.slug = registry.claim(slug)
    post.path = _path(post.source, post.published.astimezone(LOCAL), post.slug)


def link_pairs(en_posts: list[Post], ar_posts: list[Post]) -> None:
    for en, ar in zip(en_posts, ar_posts, strict=True):
        if "pair" in en.extra:
            en.translation = (ar.source, ar.post_id)
            ar.translation = (en.source, en.post_id)


# --- main site -----------------------------------------------------------------------------


def _covered(r: random.Random, category: str, local: datetime) -> tuple[datetime, date]:
    """Monthly series appear on day 1–4 of the following month."""
    if category in ("death-toll", "arrest"):
        local = local.replace(day=r.randint(1, 4))
        first = local.date().replace(day=1)
        return local, (first - timedelta(days=1)).replace(day=1)
    if category == "statements":
        return local, local.date() - timedelta(days=r.randint(0, 2))
    return local, local.date()


def build_main_post(
    seed: int, source: str, local: datetime, doc: report_text.Document, key: object
) -> Post:
    arabic = source.endswith("_ar")
    site = SITE_BY_SOURCE[source]
    r = rng(seed, source, "post", key)
    title = report_text.ar_title(doc) if arabic else report_text.en_title(doc)
    template = "classic" if local.year <= 2019 else "tdb"
    published = local.astimezone(UTC)
    numeric = 2012 <= local.year <= 2021 and not (local.year == 2014 and r.random() < 0.4)
    word = arabic_slug(title) if arabic else english_slug(title)
    pdf = None
    if report_text.has_pdf(doc):
        stem = "-".join(english_slug(report_text.en_title(doc)).split("-")[:6])
        pdf = f"{site.uploads}{local:%Y/%m}/{stem}-{'ar' if arabic else 'en'}.pdf"
    post = Post(
        source=source, family="main", language=site.language, post_id=0, published=published,
        modified=_modified(r, published), path="", slug="", title=title, category=doc.category,
        blocks=[], template=template, date_layer=_date_layer(r, template),
        subtitle=report_text.ar_subtitle(doc) if arabic else report_text.en_subtitle(doc),
        incident_date=doc.covered.isoformat() if report_text.has_day_date(doc) else None,
    )  # fmt: skip
    post.extra.update(slug="#id" if numeric else word, pdf=pdf or "")
    roll = r.random()
    post.extra["earlier"] = "bare" if roll < 0.2 else "1" if roll < 0.4 else ""
    if r.random() < 0.7:
        stem = f"snhr-{local:%Y%m%d}-{r.randrange(10**6):06d}"
        img = f"{site.uploads}{local:%Y/%m}/{stem}.jpg"
        post.image = Image(img, img, title)
    return post


def main_body(post: Post, doc: report_text.Document, earlier: str | None) -> list[Block]:
    """The body, built last because it may link the previous post's permalink."""
    pdf = post.extra.pop("pdf") or None
    flag = post.extra.pop("earlier")
    use_earlier = earlier if flag else None
    bare = flag == "bare"  # editors paste links without the trailing slash
    local = post.published.astimezone(LOCAL).date()
    maker = report_text.ar_body if post.language == "ar" else report_text.en_body
    return maker(doc, local, pdf, use_earlier, bare=bare)


def _main(seed: int, count: int, switches: Switches) -> list[Post]:
    en_posts: list[Post] = []
    ar_posts: list[Post] = []
    docs: dict[int, report_text.Document] = {}
    moments = _spread(seed, "main", count, MAIN_START)
    for i, local in enumerate(moments):
        r = rng(seed, "main", "doc", i)
        category = report_text.pick_category(r)
        local, covered = _covered(r, category, local)
        doc = report_text.pick_document(r, category, covered)
        if count >= 5 and i == count - 3:
            doc = report_text.Document(**{**doc.__dict__, "long_title": True})
        en = build_main_post(seed, "snhr_reports", local, doc, i)
        paired = r.random() < switches.translation_share
        if paired:
            ar_local, ar_doc = local + timedelta(hours=r.randint(1, 30)), doc
        else:
            ar_local = local + timedelta(days=r.randint(1, 5), hours=r.randint(0, 12))
            ar_local, ar_covered = _covered(r, category, ar_local)
            ar_doc = report_text.pick_document(r, category, ar_covered)
        ar = build_main_post(seed, "snhr_reports_ar", ar_local, ar_doc, i)
        en.category = main_category(seed, doc.category, switches, i)
        ar.category = main_category(seed, ar_doc.category, switches, i)
        if paired:
            en.extra["pair"] = ar.extra["pair"] = str(i)
        docs[id(en)], docs[id(ar)] = doc, ar_doc
        en_posts.append(en)
        ar_posts.append(ar)
    for posts, first in ((en_posts, 700), (ar_posts, 120)):
        ordered = sorted(posts, key=lambda p: p.published)
        assign_main_ids(seed, ordered, first, count)
        registry = SlugRegistry()
        previous: str | None = None
        for post in ordered:
            finish(post, registry)
            post.blocks = main_body(post, docs[id(post)], previous)
            previous = post.path
    link_pairs(en_posts, ar_posts)
    return en_posts + ar_posts


def assign_main_ids(seed: int, posts: list[Post], start: int, count: int) -> None:
    """Ids mostly follow dates, but some old posts were imported later with high ids."""
    step = max(4, 75000 // max(count, 1))
    taken: set[int] = set()
    next_id = start
    for post in posts:
        r = rng(seed, "main-id", post.source, post.published.isoformat())
        next_id += max(3, int(step * (0.5 + r.random())))
        candidate = next_id
        if post.published.year <= 2014 and r.random() < 0.2:
            candidate = 42000 + r.randrange(12000)
            while candidate in taken or candidate <= next_id:
                candidate += 7
        taken.add(candidate)
        post.post_id = candidate
    # A normal id must never collide with an imported one.
    seen: set[int] = set()
    for post in posts:
        while post.post_id in seen:
            post.post_id += 1
        seen.add(post.post_id)


def build_all(seed: int, count: int, switches: Switches) -> dict[str, list[Post]]:
    """Every post of every site, by spider name, newest last."""
    posts = _news(seed, count, switches) + _main(seed, count, switches)
    by_source: dict[str, list[Post]] = {source: [] for source in SITE_BY_SOURCE}
    for post in posts:
        by_source[post.source].append(post)
    for items in by_source.values():
        items.sort(key=lambda p: (p.published, p.post_id))
    return by_source
