"""What the seeds get right and wrong about a replica, read from the replica's own model.

The seeds file as shipped (read as text, not through the crawler's reader) and
the category tree the replica serves under its switches: the tests of the
listing walk and of the probe take their expected answers from here.
"""

from __future__ import annotations

from importlib import resources

from snhr_replica import ReplicaServer


def shipped_seeds(source: str) -> list[str]:
    text = (resources.files("snhr_crawler.seeds") / f"{source}.txt").read_text("utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def category_url(server: ReplicaServer, source: str, path: str) -> str:
    site = server.site.site_by_source[source]
    return f"https://{site.public_host}{site.category_base}{path}/"


def site_listings(server: ReplicaServer, source: str) -> set[str]:
    """The category listings the replica serves today, as public URLs."""
    site = server.site.site_by_source[source]
    return {category_url(server, source, cat.path) for cat in site.categories}


def wrong_seeds(server: ReplicaServer, source: str) -> list[str]:
    """Seeds that name no category the replica serves: they answer 404."""
    listings = site_listings(server, source)
    return [seed for seed in shipped_seeds(source) if seed not in listings]


def unreachable_from_seeds(server: ReplicaServer, source: str) -> set[int]:
    """Posts no seed listing shows (a category archive lists its own and its children's posts)."""
    site = server.site.site_by_source[source]
    seeds = set(shipped_seeds(source))
    orphans = set()
    for post in server.site.live(source):
        shown_in = {category_url(server, source, cat.path) for cat in site.lineage(post.category)}
        if not shown_in & seeds:
            orphans.add(post.post_id)
    return orphans
