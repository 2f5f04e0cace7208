"""One run's WACZ: its WARC files, their CDXJ index, its pages, its records, the manifest chain.

Inside the ZIP (each listed, sized and hashed in ``datapackage.json``)::

    archive/<source>-<warc name>       the run's WARC files, and those its lines point at
    indexes/index.cdx                  CDXJ of every response and revisit in them
    pages/pages.jsonl                  one page per archived line that has a capture
    records/<source>-<YYYY-MM>.jsonl   the run's lines of each data file, byte for byte
    manifest/manifest.json             the archive's manifest when the release was made
    manifest/manifest-chain.jsonl      the manifest chain up to that manifest
    reports/<run-id>.json              the run's report

``records/<source>-<YYYY-MM>.jsonl`` is bytes ``offset .. offset+bytes`` of
``<source>/<YYYY-MM>.jsonl`` in the archive (``datapackage.json``'s ``snhr``
section says which), so its hash can be checked against the archive for
ever: data files are append-only. Each page names the record it stands for
(``id``, ``version``, the canonical ``record_url``) and replays the captured
URL (``url``) at the capture's time (``ts``). A line without a capture
(capture was off) has no page.

``datapackage.json`` also holds, under ``snhr``, the run, the chain's head at
release time and the ranges above: the facts ``verify`` and ``show`` check
the archive against. Its hash is what a time-stamping authority signs.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from snhr_crawler import __version__
from snhr_crawler.archive.chain import CHAIN_NAME, read_chain, sha256_bytes
from snhr_crawler.archive.paths import MANIFEST_NAME
from snhr_crawler.capture.reader import CaptureReadError, read_record
from snhr_crawler.ops.runs import parse_iso
from snhr_crawler.release.runs import (
    Line,
    ReleaseError,
    Run,
    Slice,
    iter_lines,
    needed_warc_files,
    pointer_of,
    read_slice,
)
from snhr_crawler.release.wacz import Member, WaczWriter, package_of

#: The version of the ``snhr`` section of a release's ``datapackage.json``.
RELEASE_FORMAT = 1
#: How Frictionless is to read the archive's own files: JSON Lines records and chain lines
#: as files (their hash and size are what matter; they are no table), JSON documents as
#: JSON (read otherwise, a run report's "checks" would be taken for a validation checklist).
JSON_LINES = {"type": "file", "mediatype": "application/jsonl", "encoding": "utf-8"}
JSON_DOCUMENT = {"type": "json", "mediatype": "application/json", "encoding": "utf-8"}
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "Archived records"}


@dataclass
class Contents:
    """Everything a run's WACZ holds, read from the archive."""

    run: Run
    slices: list[tuple[Slice, bytes]]
    lines: list[Line]
    own_warc: list[str]
    other_warc: list[str]
    manifest: bytes
    chain: bytes
    chain_head: dict[str, Any]
    pages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def warc_files(self) -> list[str]:
        return [*self.own_warc, *self.other_warc]

    @property
    def empty(self) -> bool:
        return not self.lines and not self.own_warc


def wacz_name(warc_file: str) -> str:
    """``warc/snhr_news/<name>`` -> ``<source>-<name>``: unique in one ``archive/`` folder."""
    parts = warc_file.split("/")
    return f"{parts[-2]}-{parts[-1]}"


def records_name(data_file: str) -> str:
    """``snhr_news/2024-05.jsonl`` -> ``records/snhr_news-2024-05.jsonl``."""
    return "records/" + data_file.replace("/", "-")


def read_contents(archive_dir: Path, run: Run, manifest_bytes: bytes | None = None) -> Contents:
    """What the run's WACZ holds. ``manifest_bytes``: the manifest an earlier release recorded."""
    root = Path(archive_dir)
    slices = [read_slice(root, piece) for piece in run.slices]
    lines = [line for whole, (data, piece) in zip(run.slices, slices, strict=True)
             for line in iter_lines(root, piece, data)]  # fmt: skip
    own, other = needed_warc_files(root, run, lines)
    chain = read_chain(root)
    if not chain:
        raise ReleaseError(f"{CHAIN_NAME}: missing; a release needs the manifest chain")
    chain_bytes = (root / CHAIN_NAME).read_bytes()
    if manifest_bytes is None:
        manifest_bytes = (root / MANIFEST_NAME).read_bytes()
    head = _entry_for(chain, sha256_bytes(manifest_bytes))
    # The chain as far as that manifest: later lines are later runs'.
    cut = 0
    for number, raw in enumerate(chain_bytes.splitlines(keepends=True), start=1):
        cut += len(raw)
        if number == head["position"]:
            break
    contents = Contents(
        run=run,
        slices=[(piece, data) for data, piece in slices],
        lines=lines,
        own_warc=own,
        other_warc=other,
        manifest=manifest_bytes,
        chain=chain_bytes[:cut],
        chain_head={"sequence": head["sequence"], "sha256": head["sha256"]},
    )
    contents.pages = list(_pages(root, lines))
    return contents


def _entry_for(chain: list[dict[str, Any]], manifest_sha: str) -> dict[str, Any]:
    for position, entry in enumerate(chain, start=1):
        if entry.get("sha256") == manifest_sha:
            return {"position": position, "sequence": int(entry.get("sequence") or position),
                    "sha256": manifest_sha}  # fmt: skip
    raise ReleaseError(
        f"{MANIFEST_NAME} is not a manifest of {CHAIN_NAME} (run `snhr-crawler verify`)"
    )


def _pages(root: Path, lines: list[Line]) -> Iterator[dict[str, Any]]:
    """One page per captured line: the URL and time to replay, and the record it stands for."""
    for line in lines:
        pointer = pointer_of(line.record)
        if pointer is None:
            continue
        try:
            record = read_record(root, pointer)
        except CaptureReadError as exc:
            raise ReleaseError(f"{line.file}:{line.number}: {exc}") from exc
        data = line.record
        title = data.get("title")
        if data.get("tombstone"):
            title = f"(removed: HTTP {data.get('status')})"
        yield {
            "id": f"{data.get('id')}@v{data.get('version')}",
            "url": record.target_uri,
            "ts": pointer.fetched_at,
            "title": title,
            "record_id": data.get("id"),
            "version": data.get("version"),
            "change": data.get("change"),
            "record_url": data.get("url"),
            "status": pointer.status,
        }


def cdxj_lines(archive_dir: Path, warc_files: list[str]) -> list[bytes]:
    """The sorted CDXJ index of ``warc_files``, each line naming its file as the WACZ does.

    Responses and revisits only: the certificates (``metadata``) are evidence
    to read, not pages to replay, and an index line would offer them at the
    page's own URL.
    """
    from cdxj_indexer.main import CDXJIndexer

    lines: list[str] = []
    for warc_file in warc_files:
        out = io.StringIO()
        indexer = CDXJIndexer(
            out,
            [str(Path(archive_dir) / warc_file)],
            sort=True,
            post_append=True,
            filename=wacz_name(warc_file),
            records="response,revisit",
        )
        indexer.process_all()
        lines.extend(out.getvalue().splitlines(keepends=True))
    return [line.encode("utf-8") for line in sorted(lines)]


def write_wacz(
    archive_dir: Path,
    contents: Contents,
    path: Path,
    digest_extra: Callable[[bytes], dict[str, Any]] | None = None,
) -> tuple[bytes, bytes]:
    """Write the run's WACZ at ``path``; return its ``datapackage.json`` and digest bytes."""
    root = Path(archive_dir)
    run = contents.run
    ended = parse_iso(run.finished_at or run.started_at)
    extra: dict[str, dict[str, Any]] = {}
    with WaczWriter(path, ended) as writer:
        warc: list[dict[str, Any]] = []
        for warc_file in contents.warc_files:
            member = writer.add_file(f"archive/{wacz_name(warc_file)}", root / warc_file)
            own = warc_file in contents.own_warc
            warc.append({"path": member.path, "file": warc_file, "own": own})
            extra[member.path] = {"mediatype": "application/warc"}
        writer.add_lines("indexes/index.cdx", cdxj_lines(root, contents.warc_files))
        pages = [json.dumps(PAGES_HEADER, ensure_ascii=False).encode() + b"\n"]
        pages += [json.dumps(page, ensure_ascii=False).encode() + b"\n" for page in contents.pages]
        writer.add_lines("pages/pages.jsonl", pages)
        records = []
        for piece, data in contents.slices:
            member = writer.add_bytes(records_name(piece.file), data)
            records.append(_record_range(member, piece, data))
            extra[member.path] = JSON_LINES
        for member in (
            writer.add_bytes(f"manifest/{MANIFEST_NAME}", contents.manifest),
            writer.add_bytes(
                f"reports/{Path(run.report_file).name}", (root / run.report_file).read_bytes()
            ),
        ):
            extra[member.path] = JSON_DOCUMENT
        extra[writer.add_bytes(f"manifest/{CHAIN_NAME}", contents.chain).path] = JSON_LINES
        fields: dict[str, Any] = {
            "title": f"SNHR archive: {run.kind} run {run.run_id}",
            "description": _description(contents),
            "created": run.finished_at or run.started_at,
            "software": f"snhr-crawler {__version__}",
            "snhr": _facts(contents, warc, records),
        }
        home = _home(contents)
        if home is not None:
            fields["home"] = home
        package = package_of(writer.members, extra, **fields)
        return writer.finish(package, digest_extra)


def _record_range(member: Member, piece: Slice, data: bytes) -> dict[str, Any]:
    return {
        "path": member.path,
        "file": piece.file,
        "offset": piece.start,
        "bytes": piece.bytes,
        "first_line": piece.first_line,
        "lines": data.count(b"\n"),
    }


def _facts(
    contents: Contents, warc: list[dict[str, Any]], records: list[dict[str, Any]]
) -> dict[str, Any]:
    run = contents.run
    return {
        "format": RELEASE_FORMAT,
        "run": {
            "id": run.run_id,
            "kind": run.kind,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "report": run.report_file,
            "manifests": [run.first_sequence, run.last_sequence]
            if run.last_sequence >= run.first_sequence
            else [],
        },
        "manifest": {**contents.chain_head, "chain_bytes": len(contents.chain)},
        "records": records,
        "warc": warc,
        "pages": len(contents.pages),
    }


def _home(contents: Contents) -> dict[str, Any] | None:
    if not contents.pages:
        return None
    first = contents.pages[0]
    return {"url": first["url"], "ts": first["ts"]}


def _description(contents: Contents) -> str:
    run = contents.run
    return (
        f"What the {run.kind} run {run.run_id} ({run.started_at} to {run.finished_at}) wrote"
        f" to the archive: {len(contents.lines)} archived line(s) in records/, the HTTP"
        f" exchanges in archive/ ({len(contents.own_warc)} WARC file(s) of the run,"
        f" {len(contents.other_warc)} earlier one(s) its lines point at), the archive's"
        " manifest chain in manifest/, and the run report in reports/."
    )


def released_at(package: dict[str, Any]) -> datetime:
    return parse_iso(str(package.get("created")))
