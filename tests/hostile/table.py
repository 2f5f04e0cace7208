"""The table the hostile suite prints: case, outcome, counter or check, seconds, memory."""

from __future__ import annotations

from typing import Any

ROWS: list[dict[str, Any]] = []


def record(case: Any, outcome: str, evidence: str, wall: float, cpu: float, peak: float) -> None:
    ROWS.append(
        {
            "group": case.group,
            "case": case.name,
            "outcome": outcome,
            "evidence": evidence,
            "wall": round(wall, 2),
            "cpu": round(cpu, 2),
            "peak_mb": round(peak),
        }
    )


def render(rows: list[dict[str, Any]]) -> list[str]:
    """Markdown lines, in group order, with a totals line."""
    if not rows:
        return []
    order = ["lost", "bounded", "offsite", "unsafe", "pages", "identity", "tamper"]
    rows = sorted(rows, key=lambda r: order.index(r["group"]) if r["group"] in order else 99)
    lines = [
        "| group | case | outcome | counter / check | wall s | CPU s | +MB |",
        "|---|---|---|---|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['group']} | {row['case']} | {row['outcome']} | `{row['evidence']}` |"
            f" {row['wall']:.2f} | {row['cpu']:.2f} | {row['peak_mb']} |"
        )
    failed = sum(1 for row in rows if row["outcome"] == "FAILED")
    lines.append(
        f"{len(rows)} case(s) tried, {len(rows) - failed} held, {failed} failed;"
        f" {sum(r['wall'] for r in rows):.1f} s wall, {sum(r['cpu'] for r in rows):.1f} s CPU,"
        f" most memory one case added: {max(r['peak_mb'] for r in rows)} MB"
    )
    return lines
