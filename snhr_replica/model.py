"""The replica's data: posts made of blocks of inline nodes.

Bodies are stored as structure, not HTML, so the same post can be rendered
against the local origin (pages, feeds) and against the public origin (the
ground truth) without string surgery.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Link:
    """An ``<a>``: ``family`` + ``path`` for SNHR URLs, else ``url`` absolute.

    ``path`` is the target's own path (a permalink keeps its trailing slash);
    ``bare`` says the editor pasted it without that slash, which is how the page
    spells the link, not where it points. ``url`` is written in canonical form.
    """

    text: str
    path: str = ""
    family: str = ""
    url: str = ""
    bare: bool = False


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Em:
    text: str


Inline = str | Link | Strong | Em


@dataclass(frozen=True)
class Block:
    tag: str  # "p", "h3" or "h5"
    inlines: tuple[Inline, ...]


@dataclass(frozen=True)
class Image:
    path: str  # src path on the family's origin
    full_path: str  # link target of classic thumbnails
    caption: str | None


@dataclass
class Post:
    """One post as the site stores it. Mutable: the admin API edits it."""

    source: str
    family: str
    language: str
    post_id: int
    published: datetime  # aware, UTC
    modified: datetime
    path: str  # permalink path, lower-case escapes, trailing slash
    slug: str
    title: str
    category: str  # category key
    blocks: list[Block]
    subtitle: str | None = None
    image: Image | None = None
    template: str = "tdb"  # "tdb" or "classic"
    date_layer: str = "json-ld"  # tdb: json-ld|meta|none; classic: time|none
    incident_date: str | None = None
    #: What the title states about the incident it was written from (news only; keys:
    #: ``news_text.INCIDENT_KEYS``, None where the title does not say), else None.
    incident: dict[str, Any] | None = None
    translation: tuple[str, int] | None = None  # (source, post_id) of the other language
    gone: int | None = None  # 404/410 once deleted
    revision: int = 0
    #: Generation scratch (pending slug, PDF path, pairing key), consumed by ``generate``.
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def url_date(self) -> str:
        year, month, day = self.path.strip("/").split("/")[-4:-1]
        return f"{year}-{month}-{day}"

    def plain_text(self) -> str:
        """The body's text, used for excerpts and descriptions."""
        return " ".join(inline_text(block.inlines) for block in self.blocks)


def inline_text(inlines: tuple[Inline, ...]) -> str:
    return "".join(node if isinstance(node, str) else node.text for node in inlines)
