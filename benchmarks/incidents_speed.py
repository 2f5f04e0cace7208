"""How long ``parse_title`` takes per title, English and Arabic.

    python -m benchmarks.incidents_speed [--titles 2000] [--repeat 9]

Titles come from the offline replica's generator (every era and kind). The
figure is process CPU time per title, best of ``--repeat`` passes; next to it,
in the same run, the time of one bare word split of the same titles, because
absolute times on shared 2-core machines are noisy and the ratio is not.
"""

from __future__ import annotations

import argparse
import random
import re
import time
from collections.abc import Callable
from datetime import date

from snhr_crawler.incidents import parse_title
from snhr_replica import news_text

ERAS = {
    "suburbs": date(2019, 6, 1),
    "yearless": date(2021, 6, 1),
    "long": date(2023, 6, 1),
    "compact": date(2024, 6, 1),
}
_WORD = re.compile(r"\w+")


def titles(count: int) -> dict[str, list[tuple[str, str]]]:
    r = random.Random(2024)
    out: dict[str, list[tuple[str, str]]] = {"en": [], "ar": []}
    per = max(1, count // (len(ERAS) * len(news_text.KINDS)))
    for style, published in ERAS.items():
        for kind in news_text.KINDS:
            for _ in range(per):
                incident = news_text.pick_incident(r, kind, published)
                out["en"].append((news_text.en_title(incident, style), published.isoformat()))
                out["ar"].append((news_text.ar_title(incident, style), published.isoformat()))
    return out


def best_per_title(
    work: Callable[[str, str], object], batch: list[tuple[str, str]], repeat: int
) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for title, published in batch:
            work(title, published)
        best = min(best, (time.process_time() - started) / len(batch))
    return best * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--titles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    for language, batch in titles(args.titles).items():
        parsed = best_per_title(
            lambda t, p, lang=language: parse_title(t, p, lang), batch, args.repeat
        )
        split = best_per_title(lambda t, _p: _WORD.findall(t), batch, args.repeat)
        print(
            f"{language}: {len(batch)} titles, parse_title {parsed:.1f} µs/title, "
            f"word split {split:.2f} µs/title, ratio {parsed / split:.0f}x"
        )


if __name__ == "__main__":
    main()
