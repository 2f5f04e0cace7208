"""``--set NAME=VALUE`` is checked before the run: known names, values of the right type."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from snhr_crawler.ops.overrides import BadOverride, known_settings, parse_overrides
from snhr_crawler.setting_values import NotANumber, number

PACKAGE = Path(__file__).resolve().parents[2] / "snhr_crawler"
#: ``settings.getint("NAME"`` and friends, as the package reads its settings.
READ = re.compile(r"settings\.(?:get|getint|getfloat|getbool|getdict|getlist)\(\s*\"([A-Z0-9_]+)\"")


def parse(*pairs: tuple[str, str]) -> dict[str, object]:
    return parse_overrides(pairs, get_project_settings())


def test_every_setting_the_package_reads_can_be_set() -> None:
    read = {name for path in PACKAGE.rglob("*.py") for name in READ.findall(path.read_text())}
    assert {"ARCHIVE_FSYNC_EVERY", "OPS_PROGRESS", "RETRY_BACKOFF_BASE"} <= read
    assert read - known_settings() == set()
    assert "ARCHIVE_DIR" in known_settings()  # read through archive.paths.SETTING


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("DOWNLOAD_DELEY", "did you mean DOWNLOAD_DELAY?"),
        ("download_delay", "did you mean DOWNLOAD_DELAY?"),
        ("AUTOTHROTLE_ENABLED", "did you mean AUTOTHROTTLE_ENABLED?"),
        ("OPS_CHECK_MAX_ERORR_RATE", "did you mean OPS_CHECK_MAX_ERROR_RATE?"),
    ],
)
def test_an_unknown_name_is_refused_with_a_suggestion(name: str, hint: str) -> None:
    with pytest.raises(BadOverride) as exc:
        parse((name, "3"))
    assert str(exc.value) == f"--set {name}: unknown setting ({hint})"


def test_a_name_like_nothing_gets_no_suggestion() -> None:
    with pytest.raises(BadOverride, match=r"^--set XYZZY: unknown setting$"):
        parse(("XYZZY", "1"))


@pytest.mark.parametrize(
    ("name", "raw", "value"),
    [
        ("DOWNLOAD_DELAY", "5", 5.0),
        ("DOWNLOAD_DELAY", " 2.5 ", 2.5),
        ("CONCURRENT_REQUESTS", "8", 8),
        ("CONCURRENT_REQUESTS", "8.0", 8),
        ("DOWNLOAD_TIMEOUT", "7.5", 7.5),  # an int default Scrapy reads as a float
        ("AUTOTHROTTLE_ENABLED", "0", False),
        ("AUTOTHROTTLE_ENABLED", "True", True),
        ("ROBOTSTXT_OBEY", "yes", True),
        ("OPS_CHECK_MIN_FIELD_COVERAGE", '{"title": 0.5}', {"title": 0.5}),
        ("RETRY_HTTP_CODES", "[500, 503]", [500, 503]),
        ("RETRY_HTTP_CODES", "500,503", "500,503"),  # Scrapy's getlist splits it
        ("LOG_LEVEL", "warning", "WARNING"),
        ("LOG_FILE", "/tmp/x.log", "/tmp/x.log"),
        ("ARCHIVE_DIR", "/srv/archive", "/srv/archive"),
    ],
)
def test_values_take_the_type_of_the_setting(name: str, raw: str, value: object) -> None:
    assert parse((name, raw)) == {name: value}
    assert type(parse((name, raw))[name]) is type(value)


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("DOWNLOAD_DELAY", "abc", "--set DOWNLOAD_DELAY='abc' is not a number"),
        ("DOWNLOAD_DELAY", "nan", "--set DOWNLOAD_DELAY='nan' is not a finite number"),
        ("CONCURRENT_REQUESTS", "1.5", "--set CONCURRENT_REQUESTS='1.5' is not a whole number"),
        ("OPS_CHECK_HISTORY", "many", "--set OPS_CHECK_HISTORY='many' is not a number"),
        (
            "AUTOTHROTTLE_ENABLED",
            "maybe",
            "--set AUTOTHROTTLE_ENABLED='maybe': expected true or false (1 or 0)",
        ),
        ("OPS_CHECK_MIN_FIELD_COVERAGE", "[1]", "--set OPS_CHECK_MIN_FIELD_COVERAGE='[1]' is not"),
        ("RETRY_HTTP_CODES", "[500", "--set RETRY_HTTP_CODES='[500' is not a JSON list"),
        ("LOG_LEVEL", "loud", "--set LOG_LEVEL='loud': expected one of CRITICAL, ERROR"),
        ("OPS_PROGRESS", "bar", "--set OPS_PROGRESS='bar': expected one of tty, log, off"),
    ],
)
def test_a_bad_value_is_refused_naming_it(name: str, raw: str, message: str) -> None:
    with pytest.raises(BadOverride) as exc:
        parse((name, raw))
    assert str(exc.value).startswith(message)


def test_the_environment_and_set_share_one_number_check() -> None:
    """settings.py's SNHR_* numbers go through the same function (see tests/test_settings.py)."""
    with pytest.raises(NotANumber, match=r"^is not a number$"):
        number("two seconds")
    assert number("10", whole=True) == 10
    with pytest.raises(NotANumber, match=r"^is not a whole number$"):
        number("10.5", whole=True)
    source = (PACKAGE / "settings.py").read_text()
    assert "from snhr_crawler.setting_values import NotANumber, number" in source


def test_component_dictionaries_are_json_objects() -> None:
    settings = Settings({"ITEM_PIPELINES": {"a.B": 1}})
    assert parse_overrides([("ITEM_PIPELINES", '{"x.Y": 5}')], settings) == {
        "ITEM_PIPELINES": {"x.Y": 5}
    }
