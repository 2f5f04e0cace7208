"""The probe's printed report: one summary table, then a block per source.

Plain text through ``ops.table`` (cron mail, terminals and tickets alike),
read from the profile dicts, so what is printed is what was written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

from snhr_crawler.ops.table import render as table

SUMMARY = (
    "source", "robots", "crawl-delay", "sitemap URLs", "REST total", "feed", "categories",
    "seeds ok", "theme", "auto path", "result",
)  # fmt: skip


def _status(part: Mapping[str, Any]) -> str:
    status = part.get("status")
    return str(status) if status is not None else ("failed" if part.get("why") else "-")


def _sitemap_urls(sitemaps: Mapping[str, Any]) -> str:
    if not sitemaps.get("index"):
        return "none"
    urls = sitemaps.get("urls") or 0
    return f"{urls}" if sitemaps.get("exact") else f"~{urls}"


def _seeds(seeds: Sequence[Mapping[str, Any]]) -> str:
    ok = sum(1 for seed in seeds if seed.get("state") in ("confirmed", "answers"))
    return f"{ok}/{len(seeds)}"


def _counts(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in sorted(counts.items(), key=lambda kv: -kv[1]))


def _path(url: str, width: int = 64) -> str:
    """The URL's path, decoded (Arabic slugs readable), cut to ``width``."""
    path = unquote(urlsplit(url).path) or url
    return path if len(path) <= width else path[: width - 1] + "…"


def summary_row(profile: Mapping[str, Any]) -> list[object]:
    robots, rest, feed = profile["robots"], profile["rest"], profile["feed"]
    delay = robots.get("crawl_delay")
    theme = profile["theme"]
    themes = sorted({*filter(None, [theme.get("home")]), *theme.get("articles", {})})
    auto = profile["auto"]
    path = auto["first_run"] + (
        f" (later {auto['incremental']})" if auto["incremental"] != auto["first_run"] else ""
    )
    return [
        profile["source"],
        _status(robots),
        f"{delay:g} s" if delay else "none",
        _sitemap_urls(profile["sitemaps"]),
        rest.get("total") if rest.get("ok") else _status(rest),
        f"{feed.get('items')} items" if feed.get("ok") else _status(feed),
        len(profile["categories"]),
        _seeds(profile["seeds"]),
        "+".join(themes) or "-",
        path,
        "ok" if profile["ok"] else f"{len(profile['problems'])} problem(s)",
    ]


def detail(profile: Mapping[str, Any]) -> str:
    site = profile["site"]
    fetched = (
        "" if site["fetched_from"] == site["public"] else f" (fetched from {site['fetched_from']})"
    )
    lines = [
        f"{profile['source']}: {site['public']}{site['site_path']}{fetched}, {profile['requests']} request(s)"
    ]
    robots = profile["robots"]
    named = ", ".join(robots.get("sitemaps") or []) or "none"
    delay = robots.get("crawl_delay")
    lines.append(
        f"  robots.txt    {_status(robots)}; Crawl-delay {f'{delay:g} s' if delay else 'none'};"
        f" {len(robots.get('rules') or [])} rule line(s); sitemaps named: {named}"
    )
    sitemaps = profile["sitemaps"]
    if sitemaps.get("index"):
        how = "named in robots.txt" if sitemaps.get("named") else "found by its usual name"
        exact = (
            "exact"
            if sitemaps.get("exact")
            else f"estimated from {sitemaps.get('fetched')} file(s)"
        )
        lines.append(
            f"  sitemaps      {sitemaps['index']} ({how}): {sitemaps.get('files')} post sitemap(s),"
            f" {_sitemap_urls(sitemaps)} post URLs ({exact})"
        )
    else:
        tried = "; ".join(f"{t['url']}: {t['answer']}" for t in sitemaps.get("tried") or [])
        lines.append(f"  sitemaps      none ({tried or 'not tried'})")
    rest = profile["rest"]
    rest_text = f"X-WP-Total {rest.get('total')}" if rest.get("ok") else rest.get("why") or "-"
    lines.append(
        f"  REST API      {_status(rest)}: {rest_text}; categories {rest.get('categories_status', '-')}"
    )
    feed = profile["feed"]
    feed_text = f"{feed.get('items')} items" if feed.get("ok") else feed.get("why") or "-"
    lines.append(f"  feed          {_status(feed)}: {feed_text}")
    home = profile["home"]
    lines.append(
        f"  home listing  {_status(home)}: {home.get('items', 0)} article(s) the listing markup"
        f" recognises, next page {'yes' if home.get('next_page') else 'no'}, theme {home.get('theme') or '-'}"
    )
    auto = profile["auto"]
    lines.append(
        f"  auto path     {auto['first_run']} ({auto['why']}); incremental runs: {auto['incremental']}"
    )
    seeds = {seed["url"]: seed for seed in profile["seeds"]}
    rows: list[list[object]] = []
    for category in profile["categories"]:
        seed = seeds.get(category["url"])
        rows.append([
            _path(category["url"]), category.get("name") or "", category.get("count"),
            ", ".join(category["via"]), "seed" if seed else "extra",
        ])  # fmt: skip
    for url, seed in seeds.items():
        if not any(category["url"] == url for category in profile["categories"]):
            state = seed.get("state")
            successor = seed.get("successor")
            note = f"{state}" + (f" -> {_path(successor['url'])}" if successor else "")
            rows.append([_path(url), "", None, "seed only", note])
    if rows:
        lines.append("  categories (the site's, against the seeds):")
        lines.extend(
            "    " + line
            for line in table(["listing", "name", "posts", "via", "seed"], rows).splitlines()
        )
    layers = profile["extraction_layers"]
    if layers:
        lines.append(f"  extraction layers on {len(profile['articles'])} sampled article(s):")
        field_rows: list[list[object]] = [
            [name, _counts(counts)] for name, counts in layers.items()
        ]
        lines.extend("    " + line for line in table(["field", "layers"], field_rows).splitlines())
    if profile["articles"]:
        article_rows: list[list[object]] = [
            [
                _path(a["url"]), a.get("status") or "-", a.get("theme") or "-",
                a.get("today_widget") or "-", a.get("language") or "-",
                (a.get("charset") or {}).get("used") or "-", (a.get("note") or "")[:60],
            ]
            for a in profile["articles"]
        ]  # fmt: skip
        lines.append("  sampled articles:")
        headers = ["article", "status", "theme", "today widget", "lang", "charset", "note"]
        lines.extend("    " + line for line in table(headers, article_rows).splitlines())
    lines += [f"  PROBLEM: {problem}" for problem in profile["problems"]]
    lines += [f"  warning: {warning}" for warning in profile["warnings"]]
    return "\n".join(lines)


def report(profiles: Sequence[Mapping[str, Any]], paths: Sequence[str]) -> str:
    parts = [table(list(SUMMARY), [summary_row(profile) for profile in profiles])]
    parts += [detail(profile) for profile in profiles]
    parts.append("profiles: " + ", ".join(paths))
    return "\n\n".join(parts)
