"""Settings read from the environment: a bad value is one line and exit 2, for scrapy too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_bad_number_in_the_environment_stops_scrapy_in_one_line() -> None:
    env = {**os.environ, "SNHR_DOWNLOAD_DELAY": "two seconds"}
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "snhr_news"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: environment variable SNHR_DOWNLOAD_DELAY='two seconds' is not a number"
    )


def test_the_polite_defaults() -> None:
    from snhr_crawler import settings

    assert settings.ROBOTSTXT_OBEY is True
    assert settings.AUTOTHROTTLE_ENABLED is True
    assert settings.CONCURRENT_REQUESTS_PER_DOMAIN == 1
    assert settings.DOWNLOAD_DELAY >= 1
    assert "+http" in settings.USER_AGENT  # a contact URL identifies us
    assert settings.FEED_EXPORT_ENCODING == "utf-8"


def test_bound_defaults_in_settings_match_the_bounds_module() -> None:
    """settings.py is where an archivist reads them; Bounds() is what a bare crawler uses."""
    from snhr_crawler import settings
    from snhr_crawler.bounds import SETTINGS, Bounds

    defaults = Bounds()
    for name, attribute in SETTINGS.items():
        assert getattr(settings, name) == getattr(defaults, attribute), name
    assert dict(defaults.field_sizes) == settings.BOUND_FIELD_SIZES


def test_a_bad_bound_stops_scrapy_crawl_in_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "snhr_news", "-s", "BOUND_REST_PAGES=inf"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: setting BOUND_REST_PAGES: expected a whole number >= 1, got 'inf'"
    )
