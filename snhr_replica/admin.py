"""The HTTP admin API under ``/__replica/``: change the sites while a crawl runs.

``POST add?n=&source=``, ``POST edit?id=&source=&text=``,
``POST delete?id=&status=404|410&source=``, ``GET truth?source=``
(JSON Lines),
``GET requests`` (the request log). ``source`` defaults to the family's
English site (for ``edit``/``delete`` on news, the site holding that id).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from aiohttp import web

from .sites import SITES
from .truth import truth

if TYPE_CHECKING:
    from .app import Answer, State


def _answer(data: object, status: int = 200) -> Answer:
    from .app import Answer

    return Answer(
        status, json.dumps(data, ensure_ascii=False).encode(), "application/json; charset=UTF-8"
    )


def _source(state: State, family: str, query: dict[str, str], post_id: int | None) -> str:
    source = query.get("source")
    family_sources = [s.source for s in SITES if s.family == family]
    if source:
        if source not in family_sources:
            raise ValueError(f"source {source!r} is not served on this port")
        return source
    if post_id is not None:
        for candidate in family_sources:
            if (candidate, post_id) in state.world.by_id:
                return candidate
    return family_sources[0]


async def handle_admin(state: State, family: str, request: web.BaseRequest) -> Answer:
    action = request.path.removeprefix("/__replica/").strip("/")
    query = dict(request.query)
    world = state.world
    try:
        if action == "truth" and request.method == "GET":
            from .app import Answer

            lines = truth(world, query.get("source"))
            body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines).encode()
            return Answer(200, body, "application/x-ndjson; charset=UTF-8")
        if action == "requests" and request.method == "GET":
            return _answer([list(item) for item in state.requests])
        if request.method != "POST":
            return _answer({"error": "use POST"}, 405)
        post_id = int(query["id"]) if "id" in query else None
        source = _source(state, family, query, post_id)
        if action == "add":
            posts = world.add(source, int(query.get("n", "1")))
            return _answer([{"source": p.source, "id": p.post_id, "path": p.path} for p in posts])
        if post_id is None:
            return _answer({"error": "id is required"}, 400)
        if action == "edit":
            post = world.edit(source, post_id, query.get("text"))
        elif action == "delete":
            post = world.delete(source, post_id, int(query.get("status", "404")))
        else:
            return _answer({"error": f"unknown action {action!r}"}, 404)
        return _answer({"source": post.source, "id": post.post_id, "path": post.path})
    except KeyError as error:
        return _answer({"error": str(error)}, 404)
    except ValueError as error:
        return _answer({"error": str(error)}, 400)
