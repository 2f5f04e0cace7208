"""Which furniture a post's page carries, and in which theme it is drawn.

Each furniture switch reaches about ``furniture_share`` of the posts; the draw,
the plugin variant and the position are fixed by (seed, switch, post), so the
same post always looks the same and different switches reach different posts.
None of it is article data: the truth does not change with these switches.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Post
from .rand import unit
from .switches import Switches
from .world import World

SHARE_BARS = ("social-warfare", "shariff", "sharedaddy")
RELATED_BOXES = ("read-also", "jetpack", "crp")
AD_SLOTS = ("ad-inserter", "tagdiv")
HEADERS = ("entry-header", "post-header")


@dataclass(frozen=True)
class Furniture:
    """What one page adds to its content; ``None`` for a kind it does not carry."""

    share: str | None = None  # one of SHARE_BARS
    rating: str | None = None  # "top" or "bottom" of the content (KK Star Ratings' setting)
    votes: int = 0  # 0: the widget invites a first vote
    related: str | None = None  # one of RELATED_BOXES
    related_posts: tuple[Post, ...] = ()
    ad: str | None = None  # one of AD_SLOTS
    ad_after: int = 1  # the slot follows this many blocks
    header: str | None = None  # one of HEADERS
    em: bool = False  # part of the headline in <em>

    @property
    def any(self) -> bool:
        return bool(self.share or self.rating or self.related or self.ad or self.header or self.em)


NONE = Furniture()


def _reaches(seed: int, kind: str, post: Post, share: float) -> bool:
    return unit(seed, "furniture", kind, post.source, post.post_id) < share


def _pick(seed: int, kind: str, post: Post, choices: tuple[str, ...]) -> str:
    return choices[int(unit(seed, "variant", kind, post.source, post.post_id) * len(choices))]


def _neighbours(world: World, post: Post, n: int = 3) -> tuple[Post, ...]:
    """Up to ``n`` other live posts of the same site published just before (else after) it."""
    live = [p for p in world.posts[post.source] if p.gone is None and p is not post]
    earlier = [p for p in live if p.published <= post.published]
    return tuple(reversed(earlier[-n:])) or tuple(live[:n])


def plan(world: World, post: Post) -> Furniture:
    """The furniture ``post``'s page carries under the world's switches."""
    sw: Switches = world.switches
    seed, share = world.seed, sw.furniture_share

    def on(flag: bool, kind: str) -> bool:
        return flag and _reaches(seed, kind, post, share)

    blocks = len(post.blocks)
    related = (
        _pick(seed, "related", post, RELATED_BOXES) if on(sw.inline_related, "related") else None
    )
    return Furniture(
        share=_pick(seed, "share", post, SHARE_BARS) if on(sw.share_bar, "share") else None,
        rating=_pick(seed, "rating", post, ("top", "bottom")) if on(sw.rating_widget, "rating") else None,
        votes=int(unit(seed, "votes", post.source, post.post_id) * 4) * 3,
        related=related,
        related_posts=_neighbours(world, post) if related else (),
        ad=_pick(seed, "ad", post, AD_SLOTS) if on(sw.ad_slots, "ad") else None,
        ad_after=1 + int(unit(seed, "ad-after", post.source, post.post_id) * max(blocks - 1, 1)),
        header=_pick(seed, "header", post, HEADERS) if on(sw.nested_header, "header") else None,
        em=on(sw.headline_em, "em"),
    )  # fmt: skip


def plain_theme(world: World, post: Post) -> bool:
    """Whether ``post``'s page is drawn by the plain WordPress theme instead of tagDiv's."""
    theme = world.switches.theme
    if theme == "mixed":
        return unit(world.seed, "theme", post.source, post.post_id) < 0.5
    return theme == "plain"
